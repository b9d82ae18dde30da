"""Gunicorn defaults; HOST/PORT/WORKERS from the Makefile or the command line win."""

import os
import signal
import tempfile
from pathlib import Path

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WORKERS", "2"))
# Threads keep clients' connections open (keep-alive) and serve while another request waits
# on the database; see docs/performance.md.
worker_class = os.environ.get("WORKER_CLASS", "gthread")
threads = int(os.environ.get("THREADS", "2"))
timeout = 30
graceful_timeout = 10
# Recycle workers now and then so a slow leak can never exhaust memory.
max_requests = int(os.environ.get("MAX_REQUESTS", "20000"))
max_requests_jitter = 2000
# With LOG_FORMAT=json the app writes a JSON line per request, with its trace id, instead.
accesslog = (
    "-"
    if os.environ.get("ACCESS_LOG", "1") == "1" and os.environ.get("LOG_FORMAT") != "json"
    else None
)
# gunicorn's control socket (for `gunicornc`) has one path per user by default, which a second
# server on the same machine would take over. Off unless a path is given.
if os.environ.get("CONTROL_SOCKET"):
    control_socket = os.environ["CONTROL_SOCKET"]
else:
    control_socket_disable = True


def on_starting(server):
    # The workers' metrics are shared through files in one folder, fresh for each start
    # (klantinteracties/waarneming.py); set before any worker imports prometheus_client.
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(
            prefix="klantinteracties-metrics-"
        )
    else:
        for stale in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
            stale.unlink()
    # The master is the embedded PostgreSQL's last user: it stops it on exit (Ctrl-C), once every
    # worker has exited or been killed.
    from klantinteracties.db import hold_embedded_server

    hold_embedded_server(Path(__file__).resolve().parent.parent)


def post_worker_init(worker):
    # Ctrl-C sends SIGINT to the whole process group and the master then sends SIGQUIT. gthread's
    # quit handler shuts its thread pool down under a lock; run again from the second signal while
    # the first holds that lock, it waits for itself forever (python/cpython#121649). Quit once.
    quit_worker = worker.handle_quit
    quitting = False

    def handle_quit_once(sig, frame):
        nonlocal quitting
        if not quitting:
            quitting = True
            quit_worker(sig, frame)

    signal.signal(signal.SIGINT, handle_quit_once)
    signal.signal(signal.SIGQUIT, handle_quit_once)


def child_exit(server, worker):
    # A worker's live gauges leave the shared metrics with it (klantinteracties/waarneming.py).
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
