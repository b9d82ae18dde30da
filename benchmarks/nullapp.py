"""A WSGI application that does no work, for what gunicorn alone costs per request.

    APP=benchmarks.nullapp:application benchmarks/cpusplit.sh WORKDIR

It answers the harness's start-up GETs with a page of the shape load.py reads (count,
results) and every POST with 201 and a body of about a created klantcontact's size, holding
a fresh uuid, so f2's second step has one to send. Nothing is stored.
"""

import json
import uuid

PAGE = json.dumps({"count": 20000, "next": None, "previous": None, "results": [{}] * 100}).encode()


def application(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)
    if environ["REQUEST_METHOD"] == "GET":
        status, body = "200 OK", PAGE
    else:
        status = "201 Created"
        body = json.dumps({"uuid": str(uuid.uuid4()), "padding": "x" * 1000}).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
