#!/usr/bin/env python3
"""CPU time of f2's pairs (POST /klantcontacten, then POST /betrokkenen) in-process: each
request a call of the project's WSGI application in this thread, no HTTP, no server.

    KLANTINTERACTIES_DEV=1 EMBEDDED_PGDATA=WORKDIR/pgdata \
        .venv/bin/python benchmarks/inprocess.py WORKDIR [--pairs N]

WORKDIR is a work dir seeded by run.sh (its ids.json and token). The bodies are those of the
harness's f2. Prints the CPU time and the wall time per pair, best of --rounds. What a pair
costs here and what it costs the workers under load (cpusplit.sh) differ by what gunicorn,
the sockets and a shared machine add.
"""

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klantinteracties.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

BASE = "/klantinteracties/api/v1/"
KLANTCONTACT = {
    "kanaal": "telefoon",
    "onderwerp": "Loadtest vraag",
    "inhoud": "Loadtest klantcontact",
    "reactie": "Beantwoord",
    "indicatieContactGelukt": True,
    "taal": "nld",
    "vertrouwelijk": False,
    "plaatsgevondenOp": "2026-01-15T10:00:00Z",
}
NAAM = {"voorletters": "", "voornaam": "", "voorvoegselAchternaam": "", "achternaam": ""}


class Client:
    def __init__(self, token: str):
        self.app = get_wsgi_application()
        self.token = token

    def post(self, path: str, body: dict) -> dict:
        data = json.dumps(body).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": BASE + path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "HTTP_AUTHORIZATION": f"Token {self.token}",
            "HTTP_ACCEPT": "application/json",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status = []
        body = b"".join(self.app(environ, lambda s, headers, exc_info=None: status.append(s)))
        if not status[0].startswith("201"):
            raise SystemExit(f"POST {path}: {status[0]} {body[:300]!r}")
        return json.loads(body)


def pair(client: Client, partij_uuid: str) -> None:
    contact = client.post("klantcontacten", KLANTCONTACT)
    client.post(
        "betrokkenen",
        {
            "wasPartij": {"uuid": partij_uuid},
            "hadKlantcontact": {"uuid": contact["uuid"]},
            "rol": "klant",
            "initiator": True,
            "organisatienaam": "",
            "contactnaam": NAAM,
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    partijen = [p["uuid"] for p in json.loads((args.workdir / "ids.json").read_text())["partijen"]]
    client = Client((args.workdir / "token").read_text().strip())
    for i in range(200):  # warm-up: connection, prepared statements, field sets
        pair(client, partijen[i % len(partijen)])
    best_cpu = best_wall = float("inf")
    for _ in range(args.rounds):
        cpu, wall = time.process_time(), time.perf_counter()
        for i in range(args.pairs):
            pair(client, partijen[i % len(partijen)])
        best_cpu = min(best_cpu, (time.process_time() - cpu) / args.pairs)
        best_wall = min(best_wall, (time.perf_counter() - wall) / args.pairs)
    print(f"f2 pair in-process: {best_cpu * 1000:.2f} ms CPU, {best_wall * 1000:.2f} ms wall")


if __name__ == "__main__":
    main()
