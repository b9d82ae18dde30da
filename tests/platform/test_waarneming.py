"""The operator's view (klantinteracties/waarneming.py): metrics, the trace id in logs and in
the processing log, and OpenTelemetry spans exported over OTLP/HTTP."""

import json
import logging
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from logging.config import DictConfigurator

import pytest
from django.db import connection
from django.test import Client
from django.urls import resolve
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from prometheus_client.parser import text_string_to_metric_families

from klantinteracties import waarneming
from logboek.models import Handeling
from tests.partijen.factories import make_partij

from .servers import BASE_DIR

API = "/klantinteracties/api/v1"
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE}-{PARENT}-01"


def _samples(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def _value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.mark.django_db
def test_metrics_count_requests_by_route_and_status_with_their_time_and_database_time(token):
    partij = make_partij()
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    voor = _samples(client)
    for _ in range(3):
        assert client.get(f"{API}/partijen/{partij.uuid}").status_code == 200
    assert client.get(f"{API}/partijen/00000000-0000-0000-0000-000000000000").status_code == 404
    na = _samples(client)

    routes = {
        dict(labels)["route"]
        for (name, labels) in na
        if name == "klantinteracties_http_requests_total"
    }
    # The route is the url pattern: a uuid never becomes a label.
    assert not [route for route in routes if str(partij.uuid) in route]
    route = "/" + resolve(f"{API}/partijen/{partij.uuid}").route
    assert route in routes
    total = "klantinteracties_http_requests_total"
    assert (
        _value(na, total, method="GET", route=route, status="200")
        - _value(voor, total, method="GET", route=route, status="200")
        == 3
    )
    assert (
        _value(na, total, method="GET", route=route, status="404")
        - _value(voor, total, method="GET", route=route, status="404")
        == 1
    )
    count = "klantinteracties_http_request_duration_seconds_count"
    assert (
        _value(na, count, method="GET", route=route)
        - _value(voor, count, method="GET", route=route)
        == 4
    )
    queries = "klantinteracties_db_queries_total"
    assert _value(na, queries, database="default") > _value(voor, queries, database="default")
    tijd = "klantinteracties_db_query_duration_seconds_total"
    assert _value(na, tijd, database="default") > _value(voor, tijd, database="default")
    # Read at scrape time from the database: its connections and the outbox.
    assert sum(v for (name, _), v in na.items() if name == "klantinteracties_db_connections") >= 1
    assert ("klantinteracties_outbox_deliveries", (("status", "open"),)) in na


@pytest.mark.django_db
def test_metrics_can_require_a_token(settings):
    settings.METRICS_TOKEN = "geheim"
    assert Client().get("/metrics").status_code == 401
    response = Client(HTTP_AUTHORIZATION="Bearer geheim").get("/metrics")
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_trace_id_is_the_same_in_the_response_the_log_lines_and_the_processing_log(
    token, settings, caplog
):
    settings.LOG_FORMAT = "json"
    partij = make_partij()
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_TRACEPARENT=TRACEPARENT)
    caplog.set_level(logging.INFO, logger="klantinteracties.verzoek")

    response = client.get(f"{API}/partijen/{partij.uuid}")

    assert response.status_code == 200
    _, trace_id, span_id, _ = response["traceparent"].split("-")
    assert trace_id == TRACE
    handeling = Handeling.objects.get(naam="partijen.retrieve")
    assert (handeling.trace_id, handeling.span_id, handeling.parent_span_id) == (
        TRACE,
        span_id,
        PARENT,
    )
    [record] = [r for r in caplog.records if r.name == "klantinteracties.verzoek"]
    assert (record.trace_id, record.span_id, record.status) == (TRACE, span_id, 200)
    assert record.method == "GET" and record.duration_ms > 0
    # As JSON, by the formatter settings.LOGGING configures.
    formatter = DictConfigurator(settings.LOGGING).configure_formatter(
        dict(settings.LOGGING["formatters"]["json"])
    )
    line = json.loads(formatter.format(record))
    assert line["trace_id"] == TRACE and line["level"] == "INFO" and line["status"] == 200
    assert line["route"] == record.route and str(partij.uuid) in line["path"]


def test_every_log_record_of_a_request_carries_its_trace_id():
    filt = waarneming.TraceFilter()
    token = waarneming._trace.set(waarneming.Trace(TRACE, PARENT))
    try:
        record = logging.LogRecord("x", logging.WARNING, __file__, 1, "bericht", (), None)
        filt.filter(record)
    finally:
        waarneming._trace.reset(token)
    assert (record.trace_id, record.span_id) == (TRACE, PARENT)
    buiten = logging.LogRecord("x", logging.WARNING, __file__, 1, "bericht", (), None)
    filt.filter(buiten)
    assert buiten.trace_id == ""


class _Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def otlp_collector(monkeypatch):
    _Collector.received = []
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setattr(waarneming, "_tracer", None)
    monkeypatch.setattr(waarneming, "_provider", None)
    try:
        yield _Collector.received
    finally:
        if waarneming._provider is not None:
            waarneming._provider.shutdown()
        server.shutdown()


@pytest.mark.django_db
def test_spans_are_exported_over_otlp_in_the_callers_trace(token, otlp_collector):
    partij = make_partij()
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_TRACEPARENT=TRACEPARENT)

    response = client.get(f"{API}/partijen/{partij.uuid}?expand=digitaleAdressen")
    assert response.status_code == 200
    waarneming._provider.force_flush()

    spans = []
    for path, body in otlp_collector:
        assert path == "/v1/traces"
        request = ExportTraceServiceRequest.FromString(body)
        for resource_spans in request.resource_spans:
            service = {a.key: a.value.string_value for a in resource_spans.resource.attributes}[
                "service.name"
            ]
            assert service == "klantinteracties"
            for scope in resource_spans.scope_spans:
                spans.extend(scope.spans)
    [server] = [s for s in spans if s.kind == s.SPAN_KIND_SERVER]
    assert server.trace_id.hex() == TRACE
    assert server.parent_span_id.hex() == PARENT
    assert server.name.startswith("GET ") and "partijen" in server.name
    # The response names the server span, as the processing log does.
    assert response["traceparent"] == f"00-{TRACE}-{server.span_id.hex()}-01"
    assert Handeling.objects.get(naam="partijen.retrieve").span_id == server.span_id.hex()
    sql = [s for s in spans if s.kind == s.SPAN_KIND_CLIENT]
    assert sql and all(s.parent_span_id == server.span_id for s in sql)
    assert all(s.trace_id.hex() == TRACE for s in sql)


def test_without_an_endpoint_opentelemetry_is_not_even_imported():
    settings_dict = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(
        DATABASE_URL=f"postgres://{settings_dict['USER']}@/{settings_dict['NAME']}"
        f"?host={settings_dict['HOST']}&port={settings_dict['PORT']}",
        KLANTINTERACTIES_DEV="1",
    )
    env.pop("PYTEST_VERSION", None)
    code = (
        "import os, sys, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE',"
        " 'klantinteracties.settings'); django.setup()\n"
        "from django.test import Client\n"
        "assert Client(HTTP_HOST='localhost').get('/geen-pagina').status_code == 404\n"
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
