#!/usr/bin/env python
"""The import from a running register (manage.py importeren, docs/overstappen.md), measured.

A throw-away embedded PostgreSQL with two databases: the source, filled by generate.py with
N klantcontacten (their betrokkenen, onderwerpobjecten, partijen with identificatoren and
digitale adressen, interne taken and actoren) and served by gunicorn; and the target, freshly
migrated. Measures the first import (objects per second), a re-sync without changes, and a
re-sync after 1% of the klantcontacten and 1% of the partijen changed at the source. Prints a
markdown section.

    .venv/bin/python benchmarks/overstap.py --klantcontacten 100000

The importer and the source share the machine: on 2 cores the source's rendering and the
importer's writes compete, so the rate is a floor for a source on its own server.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(BASE_DIR))


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(admin_uri: str, name: str) -> str:
    parsed = urlparse(admin_uri)
    host = parse_qs(parsed.query).get("host", [parsed.hostname or ""])[0]
    port = f"&port={parsed.port}" if parsed.port else ""
    return f"postgres://{parsed.username or 'postgres'}@/{name}?host={host}{port}"


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=BASE_DIR, env=env, check=True, **kwargs)


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the source stopped while starting")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the source did not start")


def importeren(env, urls, token, rapport: Path, extra=()) -> tuple[float, dict]:
    start = time.monotonic()
    run(
        [
            str(BIN / "python"),
            "manage.py",
            "importeren",
            "--klantinteracties-url",
            urls["klantinteracties"],
            "--contactgegevens-url",
            urls["contactgegevens"],
            "--token",
            token,
            "--rapport",
            str(rapport),
            *extra,
        ],
        env,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - start, json.loads(rapport.read_text())["tellingen"]


def som(tellingen: dict, sleutel: str) -> int:
    return sum(t[sleutel] for t in tellingen.values())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--klantcontacten", type=int, default=100_000)
    ap.add_argument("--gelijktijdig", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers of the source")
    ap.add_argument("--verify", action="store_true", help="also time manage.py importeren --verify")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="klantinteracties-overstap-"))
    from klantinteracties.db import _embedded_server, _ensure_database

    pg = _embedded_server(tmp / "pgdata", throwaway=True)
    admin = pg.get_uri("postgres")
    for name in ("bron", "doel"):
        _ensure_database(admin, name)
    base = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "DATABASE_URL"}}
    base.update(KLANTINTERACTIES_DEV="1", ACCESS_LOG="0", NOTIFICATIONS_DISABLED="1")
    bron_env = {**base, "DATABASE_URL": database_url(admin, "bron")}
    doel_env = {**base, "DATABASE_URL": database_url(admin, "doel")}
    python = str(BIN / "python")
    server = None
    try:
        for env in (bron_env, doel_env):
            run([python, "manage.py", "migrate", "--noinput", "-v0"], env)
        t = time.monotonic()
        run(
            [
                python,
                "benchmarks/generate.py",
                "--klantcontacten",
                str(args.klantcontacten),
                "--out",
                str(tmp / "ids.json"),
            ],
            bron_env,
            stdout=subprocess.DEVNULL,
        )
        print(f"generated in {time.monotonic() - t:.0f}s", file=sys.stderr)
        token = (
            run(
                [python, "manage.py", "createtoken", "overstap"],
                bron_env,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        port = free_port()
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "klantinteracties.wsgi",
                "-c",
                "klantinteracties/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
            ],
            cwd=BASE_DIR,
            env={**bron_env, "MAX_REQUESTS": "0"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        origin = f"http://127.0.0.1:{port}"
        wait_until_up(origin + "/klantinteracties/api/v1/partijen", server)
        urls = {
            "klantinteracties": f"{origin}/klantinteracties/api/v1",
            "contactgegevens": f"{origin}/contactgegevens/api/v1",
        }
        extra = ["--no-progress", "--gelijktijdig", str(args.gelijktijdig)]

        eerste_duur, eerste = importeren(doel_env, urls, token, tmp / "eerste.json", extra)
        print(f"first import: {eerste_duur:.0f}s", file=sys.stderr)
        leeg_duur, leeg = importeren(doel_env, urls, token, tmp / "leeg.json", extra)

        # 1% of the klantcontacten and of the partijen change at the source.
        run(
            [
                python,
                "-c",
                "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = "
                "'klantinteracties.settings'; django.setup()\n"
                "from django.db import connection\n"
                "with connection.cursor() as c:\n"
                '    c.execute("UPDATE klantcontacten_klantcontact SET onderwerp = '
                "onderwerp || ' (gewijzigd)' WHERE id % 100 = 0\")\n"
                "    c.execute(\"UPDATE partijen_partij SET interne_notitie = 'gewijzigd' "
                'WHERE id % 100 = 0")\n',
            ],
            bron_env,
        )
        sync_duur, sync = importeren(doel_env, urls, token, tmp / "sync.json", extra)
        controle = None
        if args.verify:
            t = time.monotonic()
            run(
                [
                    python,
                    "manage.py",
                    "importeren",
                    "--verify",
                    "--klantinteracties-url",
                    urls["klantinteracties"],
                    "--contactgegevens-url",
                    urls["contactgegevens"],
                    "--token",
                    token,
                    "--no-progress",
                ],
                doel_env,
                stdout=subprocess.DEVNULL,
            )
            controle = time.monotonic() - t
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        # The throw-away cluster (and its folder) goes when this process exits.
        del pg

    gelezen = som(eerste, "gelezen")
    regels = [
        f"### Overstap: import of {args.klantcontacten:,} klantcontacten from a running register",
        "",
        f"`benchmarks/overstap.py --klantcontacten {args.klantcontacten}`: source and target "
        f"on one embedded PostgreSQL, the source served by gunicorn ({args.workers} workers), "
        f"the importer with {args.gelijktijdig} requests at a time, pages of 500; all on the "
        "same machine.",
        "",
        "| resource | objects |",
        "|---|---:|",
        *[f"| {naam} | {t['gelezen']:,} |" for naam, t in eerste.items()],
        f"| **total** | **{gelezen:,}** |",
        "",
        "| run | time | objects/s | created | updated | unchanged | refused |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for naam, duur, tellingen in (
        ("first import", eerste_duur, eerste),
        ("re-sync, nothing changed", leeg_duur, leeg),
        ("re-sync, 1% changed", sync_duur, sync),
    ):
        regels.append(
            f"| {naam} | {duur:.0f} s | {som(tellingen, 'gelezen') / duur:,.0f} | "
            f"{som(tellingen, 'nieuw'):,} | {som(tellingen, 'gewijzigd'):,} | "
            f"{som(tellingen, 'ongewijzigd'):,} | {som(tellingen, 'geweigerd'):,} |"
        )
    if controle is not None:
        regels.append(f"| --verify | {controle:.0f} s | {gelezen / controle:,.0f} | | | | |")
    print("\n".join(regels))
    return 0


if __name__ == "__main__":
    sys.exit(main())
