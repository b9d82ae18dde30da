"""A real HTTP receiver for the events tests: a Notificaties API (`POST .../notificaties`,
`POST .../cloudevents`) and a CloudEvents webhook, on one server in a thread.

Each `POST /notificaties` body is validated against the Notificaties API 1.0 contract
(`notificaties-api-1.0.0.yaml` beside this file, `Message`); a body that does not validate is
answered 400 and kept in `invalid`. `down` makes it answer 503; `delay` slows each answer;
`in_flight` counts the deliveries of one id being received at once (`overlaps` records any
id received twice at the same time).
"""

import datetime
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from jsonschema import Draft4Validator

SPEC = yaml.safe_load((Path(__file__).parent / "notificaties-api-1.0.0.yaml").read_text())
MESSAGE = Draft4Validator(SPEC["components"]["schemas"]["Message"])


def contract_errors(body) -> list[str]:
    """Where a notification breaks the Notificaties API 1.0 contract (formats included)."""
    errors = [error.message for error in MESSAGE.iter_errors(body)]
    if isinstance(body, dict):
        for key in ("hoofdObject", "resourceUrl"):
            if urlsplit(str(body.get(key, ""))).scheme not in ("http", "https"):
                errors.append(f"{key} is geen url")
        try:
            datetime.datetime.fromisoformat(str(body.get("aanmaakdatum")).replace("Z", "+00:00"))
        except ValueError:
            errors.append("aanmaakdatum is geen date-time")
    return errors


class Ontvanger:
    def __init__(self):
        self.received: list[dict] = []
        self.invalid: list[tuple] = []
        self.down = False
        self.delay = 0.0
        self.in_flight: Counter = Counter()
        self.overlaps: list[str] = []
        self._lock = threading.Lock()
        ontvanger = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                ontvanger._handle(self, raw)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def _handle(self, handler, raw: bytes):
        body = json.loads(raw)
        key = handler.headers.get("webhook-id") or (
            body.get("id") if "specversion" in body else json.dumps(body, sort_keys=True)
        )
        with self._lock:
            self.in_flight[key] += 1
            if self.in_flight[key] > 1:
                self.overlaps.append(key)
        try:
            if self.delay:
                time.sleep(self.delay)
            if self.down:
                status = 503
            elif handler.path.endswith("/notificaties") and contract_errors(body):
                self.invalid.append((body, contract_errors(body)))
                status = 400
            else:
                with self._lock:
                    self.received.append(
                        {
                            "path": handler.path,
                            "headers": dict(handler.headers),
                            "raw": raw,
                            "body": body,
                        }
                    )
                status = 201 if handler.path.endswith("/notificaties") else 204
        finally:
            with self._lock:
                self.in_flight[key] -= 1
        handler.send_response(status)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def at(self, suffix: str) -> list[dict]:
        return [r["body"] for r in self.received if r["path"].endswith(suffix)]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
