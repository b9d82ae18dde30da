#!/usr/bin/env python3
"""Parts of the events benchmark (benchmarks/gebeurtenissen.sh), against a work dir of run.sh.

    gebeurtenissen.py ontvanger --port P --out FILE    a CloudEvents webhook receiver: per
        delivery a line `<received, epoch s> <aanmaakdatum> <id>` in FILE
    gebeurtenissen.py bestemming --url URL --aan|--uit  the webhook destination `benchmark`
        (every type), active or not
    gebeurtenissen.py schrijven --base-url U --token T --rate R --duration D
        POST klantcontacten at R per second (paced, from 16 threads) for D seconds
    gebeurtenissen.py wachten [--timeout S]             until no delivery is open
    gebeurtenissen.py latentie FILE [--na EPOCH]       p50 and p99 of commit to delivery

The Django parts need KLANTINTERACTIES_DEV=1 and EMBEDDED_PGDATA of the work dir (as the
server has them).
"""

import argparse
import datetime as dt
import http.client
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ontvanger(port: int, out: Path) -> None:
    lock = threading.Lock()
    log = out.open("a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        # Keep-alive, as a receiver in production keeps its connections.
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            received = time.time()
            with lock:
                log.write(f"{received:.6f} {body['data'].get('aanmaakdatum', '')} {body['id']}\n")
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klantinteracties.settings")
    import django

    django.setup()


def wachten(timeout: float) -> None:
    _django()
    from gebeurtenissen.models import Aflevering

    end = time.monotonic() + timeout
    while Aflevering.objects.filter(status="open").exists():
        if time.monotonic() > end:
            raise SystemExit("deliveries still open")
        time.sleep(0.5)


def bestemming(url: str, aan: bool) -> None:
    _django()
    from gebeurtenissen import definities
    from gebeurtenissen.models import Bestemming

    Bestemming.objects.update_or_create(
        naam="benchmark",
        defaults={
            "soort": Bestemming.Soort.WEBHOOK,
            "url": url,
            "typen": definities.typen(),
            "secret": "benchmark-geheim-van-32-tekens!!",
            "actief": aan,
        },
    )


def schrijven(base_url: str, token: str, rate: float, duration: float) -> None:
    """POST klantcontacten at `rate` per second (paced: request i leaves at start + i / rate,
    whatever the answers take), from 16 threads."""
    base = urllib.parse.urlsplit(base_url)
    start = time.monotonic()
    count = int(rate * duration)
    slots = iter(range(count))
    lock = threading.Lock()
    failures = []

    def run():
        connection = http.client.HTTPConnection(base.hostname, base.port)
        while True:
            with lock:
                index = next(slots, None)
            if index is None:
                return
            delay = start + index / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            body = json.dumps(
                {
                    "kanaal": "telefoon",
                    "onderwerp": f"benchmark {index}",
                    "inhoud": "Gebeld over de afvalpas.",
                    "indicatieContactGelukt": True,
                    "taal": "nld",
                    "vertrouwelijk": False,
                }
            )
            connection.request(
                "POST",
                f"{base.path}/klantcontacten",
                body=body,
                headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            response.read()
            if response.status != 201:
                failures.append(response.status)

    threads = [threading.Thread(target=run) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.monotonic() - start
    print(f"{count} writes in {took:.1f} s ({count / took:.1f}/s), {len(failures)} failed")


def latentie(out: Path, na: float) -> None:
    latencies = []
    for line in out.read_text().splitlines():
        received, aanmaakdatum, _ = line.split(" ", 2)
        moment = dt.datetime.fromisoformat(aanmaakdatum.replace("Z", "+00:00")).timestamp()
        if moment >= na:
            latencies.append((float(received) - moment) * 1000)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
    print(
        f"{len(latencies)} deliveries: commit to delivery p50 "
        f"{statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms, max {latencies[-1]:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ontvanger")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", type=Path, required=True)
    p = sub.add_parser("bestemming")
    p.add_argument("--url", required=True)
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--aan", action="store_true")
    group.add_argument("--uit", action="store_true")
    p = sub.add_parser("schrijven")
    p.add_argument("--base-url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--rate", type=float, default=100)
    p.add_argument("--duration", type=float, default=20)
    p = sub.add_parser("wachten")
    p.add_argument("--timeout", type=float, default=600)
    p = sub.add_parser("latentie")
    p.add_argument("out", type=Path)
    p.add_argument("--na", type=float, default=0.0)
    args = parser.parse_args()
    if args.command == "ontvanger":
        ontvanger(args.port, args.out)
    elif args.command == "bestemming":
        bestemming(args.url, args.aan)
    elif args.command == "wachten":
        wachten(args.timeout)
    elif args.command == "schrijven":
        schrijven(args.base_url, args.token, args.rate, args.duration)
    else:
        latentie(args.out, args.na)


if __name__ == "__main__":
    main()
