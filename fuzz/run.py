"""Property-based fuzzing of the served API with schemathesis, against the committed specs.

Starts a throw-away embedded PostgreSQL and the real app (gunicorn) on a free loopback port,
creates a token, and runs schemathesis over every operation of openapi/klantinteracties.yaml
and openapi/contactgegevens.yaml with positive and negative data. Bounded: a fixed number of
examples per operation (and of stateful scenarios, fuzz/schemathesis.toml) and a fixed seed,
so a run stops by itself in about two minutes; FUZZ_TIMEOUT is only a safety net. Exits
non-zero on any failure; the server log is printed then.

schemathesis runs with one worker: with two threads, Python 3.11's `ast.parse` (which
Hypothesis calls to describe its strategies) now and then raises "SystemError: AST constructor
recursion depth mismatch" (CPython gh-106905), an error of the generator, not of the API; and
two threads are no faster, as generation holds the GIL. A run whose only problems are such
errors of schemathesis itself (its JSON report lists errors and no failures) is repeated
once; a failed check (a response that breaks the contract) always counts.

Usage: .venv/bin/python fuzz/run.py   (or `make fuzz`)
Environment: FUZZ_MAX_EXAMPLES (default 25), FUZZ_SEED, FUZZ_TIMEOUT (seconds per API; a run
that takes longer fails), FUZZ_ARGS (more schemathesis options, e.g. `--phases stateful`).
"""

import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(BASE_DIR))

APIS = [
    ("klantinteracties", "/klantinteracties/api/v1"),
    ("contactgegevens", "/contactgegevens/api/v1"),
]
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped while starting")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer means it is up
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer on {url} within {timeout}s")


def stop_leftover_postgres(pgdata: Path) -> None:
    """The cluster stops with its last handle; a child that died without running its exit
    handlers keeps its handle registered, so make sure (fast shutdown on SIGINT)."""
    pidfile = pgdata / "postmaster.pid"
    if not pidfile.exists():
        return
    try:
        os.kill(int(pidfile.read_text().split()[0]), signal.SIGINT)
    except (ValueError, IndexError, ProcessLookupError):
        return
    deadline = time.monotonic() + 20
    while pidfile.exists() and time.monotonic() < deadline:
        time.sleep(0.2)


def report_problems(path: Path) -> tuple[list, list] | None:
    """(failures, errors) from schemathesis's JSON report; None when it wrote none."""
    try:
        report = json.loads(path.read_text())
        return report["failures"], report["errors"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def main() -> int:
    max_examples = os.environ.get("FUZZ_MAX_EXAMPLES", "25")
    seed = os.environ.get("FUZZ_SEED", "20250601")
    timeout = int(os.environ.get("FUZZ_TIMEOUT", "420"))

    tmp = Path(tempfile.mkdtemp(prefix="klantinteracties-fuzz-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_VERSION"}}
    env.update(
        KLANTINTERACTIES_DEV="1",
        EMBEDDED_PGDATA=str(tmp / "pgdata"),
        ACCESS_LOG="0",
        PYTHONUNBUFFERED="1",
    )
    # Holding a handle here keeps the cluster up between the steps below and deletes it
    # when this process is done.
    from klantinteracties.db import _embedded_server

    pg = _embedded_server(tmp / "pgdata", throwaway=True)
    server = None
    log_path = tmp / "server.log"
    try:
        manage = [str(BIN / "python"), str(BASE_DIR / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
        token = subprocess.run(
            [*manage, "createtoken", "fuzz"], env=env, check=True, capture_output=True, text=True
        ).stdout.strip()

        port = free_port()
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "klantinteracties.wsgi",
                    "-c",
                    str(BASE_DIR / "klantinteracties/gunicorn.conf.py"),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    # The request-line limit (414 in HTML, before the app sees the request)
                    # is a protection of the HTTP server, not part of the API contract; the
                    # fuzzer's long query strings should reach the app.
                    "--limit-request-line",
                    "0",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        origin = f"http://127.0.0.1:{port}"
        wait_until_up(f"{origin}/klantinteracties/api/v1/schema", server)

        failed = []
        for api, prefix in APIS:
            print(f"\n=== schemathesis: {api} ===", flush=True)
            started = time.monotonic()
            command = [
                str(BIN / "schemathesis"),
                "--config-file",
                str(BASE_DIR / "fuzz/schemathesis.toml"),
                "run",
                str(BASE_DIR / f"openapi/{api}.yaml"),
                "--url",
                origin + prefix,
                "--header",
                f"Authorization: Token {token}",
                "--checks",
                CHECKS,
                "--mode",
                "all",
                "--max-examples",
                max_examples,
                "--seed",
                seed,
                "--workers",
                "1",
                "--no-color",
                "--generation-database",
                "none",
                "--report",
                "json",
                *shlex.split(os.environ.get("FUZZ_ARGS", "")),
            ]
            for attempt in (1, 2):
                report = tmp / f"{api}-{attempt}.json"
                try:
                    returncode = subprocess.run(
                        [*command, "--report-json-path", str(report)],
                        cwd=tmp,
                        env=env,
                        timeout=timeout,
                    ).returncode
                except subprocess.TimeoutExpired:
                    print(f"=== {api}: stopped after {timeout}s (FUZZ_TIMEOUT)")
                    returncode = -1
                print(
                    f"=== {api}: exit {returncode} in {time.monotonic() - started:.0f}s"
                    f" (attempt {attempt})"
                )
                problems = report_problems(report) if returncode > 0 else None
                if problems is None or problems[0]:
                    break  # passed, timed out, or the API failed a check: that stands
                titles = ", ".join(f"{e['title']} ({e['count']})" for e in problems[1])
                print(f"=== {api}: errors of schemathesis itself, no failed check: {titles}")
            if returncode:
                failed.append(api)
        if failed:
            print(f"\nFuzzing found failures in: {', '.join(failed)}. Server log:")
            print(log_path.read_text()[-20000:])
        print(f"fuzz: {len(APIS) - len(failed)} passed, {len(failed)} failed")
        return 1 if failed else 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        pg.cleanup()
        stop_leftover_postgres(tmp / "pgdata")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
