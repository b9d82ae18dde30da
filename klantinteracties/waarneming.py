"""The operator's view: Prometheus metrics, structured logs with the trace id, OpenTelemetry
tracing (docs/operations.md).

- Every request gets its trace context here, first: from a valid W3C `traceparent`, else a
  new trace. The same ids go into the processing log (autorisatie.context), every log line
  of the request, the `traceparent` response header and, when configured, the spans.
- Metrics (`GET /metrics`, prometheus-client): requests by route and status, their latency,
  database time and statements per database, and at scrape time the database's connections
  (pool use), the outbox backlog and the replicas. Under gunicorn the workers share their
  counters through PROMETHEUS_MULTIPROC_DIR (set in gunicorn.conf.py).
- Logs: `LOG_FORMAT=json` writes one JSON object per line with `trace_id` and `span_id`, and
  one line per request (`klantinteracties.verzoek`) with method, route, status and duration.
- Tracing: only when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) is set, a server
  span per request and a child span per SQL statement, exported over OTLP/HTTP. Unset,
  OpenTelemetry is not even imported.
"""

import contextvars
import logging
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

logger = logging.getLogger("klantinteracties.verzoek")

TRACEPARENT = re.compile(
    r"\A(?P<version>[0-9a-f]{2})-(?P<trace>[0-9a-f]{32})-(?P<parent>[0-9a-f]{16})-(?P<flags>[0-9a-f]{2})\Z"
)


@dataclass(frozen=True)
class Trace:
    trace_id: str
    span_id: str
    parent_span_id: str = ""


_trace: contextvars.ContextVar[Trace | None] = contextvars.ContextVar("trace", default=None)


def trace() -> Trace | None:
    """The trace context of the request being handled."""
    return _trace.get()


def uit_traceparent(value: str) -> tuple[str, str] | None:
    """(trace id, parent span id) of a valid W3C traceparent; all-zero ids and the version
    `ff` are invalid."""
    match = TRACEPARENT.match(value.strip())
    if (
        match
        and match["version"] != "ff"
        and set(match["trace"]) != {"0"}
        and set(match["parent"]) != {"0"}
    ):
        return match["trace"], match["parent"]
    return None


# Metrics. Routes are url patterns (never paths with uuids), so the label set stays small.
VERZOEKEN = Counter(
    "klantinteracties_http_requests",
    "HTTP requests, by method, route and status.",
    ["method", "route", "status"],
)
DUUR = Histogram(
    "klantinteracties_http_request_duration_seconds",
    "Time from the request to its response, by method and route.",
    ["method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30),
)
DATABASE_TIJD = Counter(
    "klantinteracties_db_query_duration_seconds",
    "Time spent in SQL statements, by database alias.",
    ["database"],
)
DATABASE_STATEMENTS = Counter(
    "klantinteracties_db_queries", "SQL statements executed, by database alias.", ["database"]
)


class _OpScrape:
    """What is read from the database when metrics are scraped."""

    def collect(self):
        from klantinteracties import gezondheid, replicas

        verbindingen = GaugeMetricFamily(
            "klantinteracties_db_connections",
            "Connections of this register's database user at the primary, by state.",
            labels=["state"],
        )
        backlog = GaugeMetricFamily(
            "klantinteracties_outbox_deliveries",
            "Deliveries of events in the outbox, by status.",
            labels=["status"],
        )
        wacht = GaugeMetricFamily(
            "klantinteracties_outbox_oldest_due_seconds",
            "How long the oldest due delivery has waited.",
        )
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute(
                    "SELECT coalesce(state, 'onbekend'), count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND usename = current_user"
                    " GROUP BY 1"
                )
                for state, count in cursor.fetchall():
                    verbindingen.add_metric([state], count)
            achterstand = gezondheid._achterstand()
        except Exception:  # noqa: BLE001 - a scrape while the database is away still answers
            logger.warning("Metrics: database niet bereikbaar", exc_info=True)
        else:
            backlog.add_metric(["open"], achterstand["open"])
            backlog.add_metric(["geparkeerd"], achterstand["geparkeerd"])
            wacht.add_metric([], achterstand["oudsteWachtSeconden"])
        yield verbindingen
        yield backlog
        yield wacht
        if settings.REPLICAS:
            bruikbaar = GaugeMetricFamily(
                "klantinteracties_replica_usable",
                "Whether reads use the replica.",
                labels=["alias"],
            )
            lag = GaugeMetricFamily(
                "klantinteracties_replica_lag_seconds",
                "How far the replica is behind the primary.",
                labels=["alias"],
            )
            for alias, stand in replicas.standen().items():
                bruikbaar.add_metric([alias], 1 if stand["bruikbaar"] else 0)
                if stand["vertragingSeconden"] is not None:
                    lag.add_metric([alias], stand["vertragingSeconden"])
            yield bruikbaar
            yield lag


_enkel_proces = None


def _registry():
    """Under gunicorn: the workers' counters from PROMETHEUS_MULTIPROC_DIR; in one process
    (runserver, tests, commands): the default registry."""
    global _enkel_proces
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_OpScrape())
        return registry
    if _enkel_proces is None:
        REGISTRY.register(_OpScrape())
        _enkel_proces = REGISTRY
    return _enkel_proces


def metrics(request):
    token = settings.METRICS_TOKEN
    if token and request.META.get("HTTP_AUTHORIZATION", "") != f"Bearer {token}":
        return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    response = HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


# Tracing, only when an OTLP endpoint is configured.
_tracer = None
_provider = None
_tracer_lock = threading.Lock()


def tracing_aan() -> bool:
    return (
        bool(
            os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
            or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        )
        and os.environ.get("OTEL_SDK_DISABLED", "").lower() != "true"
    )


def tracer():
    """The process's tracer, made on first use (after gunicorn forked the worker: the batch
    exporter's thread must belong to it)."""
    global _tracer, _provider
    if _tracer is None:
        with _tracer_lock:
            if _tracer is None:
                from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
                    OTLPSpanExporter,
                )
                from opentelemetry.sdk.resources import Resource
                from opentelemetry.sdk.trace import TracerProvider
                from opentelemetry.sdk.trace.export import BatchSpanProcessor

                resource = Resource.create(
                    {
                        "service.name": os.environ.get("OTEL_SERVICE_NAME", "klantinteracties"),
                        "service.version": settings.API_VERSION,
                    }
                )
                provider = TracerProvider(resource=resource)
                provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
                _provider = provider
                _tracer = provider.get_tracer("klantinteracties")
    return _tracer


def _server_span(request, ouder: tuple[str, str] | None, naam: str):
    from opentelemetry import trace as ot
    from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, TraceFlags

    context = None
    if ouder:
        parent = SpanContext(
            int(ouder[0], 16), int(ouder[1], 16), True, TraceFlags(TraceFlags.SAMPLED)
        )
        context = ot.set_span_in_context(NonRecordingSpan(parent))
    return tracer().start_span(
        naam,
        context=context,
        kind=SpanKind.SERVER,
        attributes={
            "http.request.method": request.method,
            "url.path": request.path,
            "server.address": request.get_host() if request.META.get("HTTP_HOST") else "",
        },
    )


class _Statements:
    """Execute wrapper: database time and statement count per alias; a span per statement
    when tracing."""

    def __init__(self, alias: str, span):
        self.alias = alias
        self.span = span
        self.tijd = 0.0
        self.aantal = 0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            if self.span is None:
                return execute(sql, params, many, context)
            with self._span(sql):
                return execute(sql, params, many, context)
        finally:
            self.tijd += time.perf_counter() - start
            self.aantal += 1

    def _span(self, sql):
        from opentelemetry import trace as ot
        from opentelemetry.trace import SpanKind

        return tracer().start_as_current_span(
            "SQL",
            context=ot.set_span_in_context(self.span),
            kind=SpanKind.CLIENT,
            attributes={
                "db.system": "postgresql",
                "db.name": str(connections[self.alias].settings_dict.get("NAME", "")),
                "db.statement": str(sql)[:1000],
                "klantinteracties.database": self.alias,
            },
        )


class WaarnemingMiddleware:
    """Trace context, metrics, the request's log line and (when configured) its span."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.json_log = settings.LOG_FORMAT == "json"
        self.tracing = tracing_aan()

    def __call__(self, request):
        if request.path_info == "/metrics":
            return metrics(request)
        start = time.perf_counter()
        ouder = uit_traceparent(request.META.get("HTTP_TRACEPARENT", ""))
        span = _server_span(request, ouder, request.method) if self.tracing else None
        if span is not None:
            ids = span.get_span_context()
            huidig = Trace(f"{ids.trace_id:032x}", f"{ids.span_id:016x}", ouder[1] if ouder else "")
        else:
            huidig = Trace(
                ouder[0] if ouder else secrets.token_hex(16),
                secrets.token_hex(8),
                ouder[1] if ouder else "",
            )
        token = _trace.set(huidig)
        wrappers = [_Statements(alias, span) for alias in connections]
        for wrapper in wrappers:
            connections[wrapper.alias].execute_wrappers.append(wrapper)
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            # W3C Trace Context: this request's span, in the caller's trace or a new one; on
            # every answer, so the caller can link its own log to the processing log.
            response.setdefault("traceparent", f"00-{huidig.trace_id}-{huidig.span_id}-01")
            return response
        finally:
            for wrapper in wrappers:
                connections[wrapper.alias].execute_wrappers.remove(wrapper)
            _trace.reset(token)
            duur = time.perf_counter() - start
            match = getattr(request, "resolver_match", None)
            route = f"/{match.route}" if match is not None and match.route else "onbekend"
            VERZOEKEN.labels(request.method, route, str(status)).inc()
            DUUR.labels(request.method, route).observe(duur)
            for wrapper in wrappers:
                if wrapper.aantal:
                    DATABASE_TIJD.labels(wrapper.alias).inc(wrapper.tijd)
                    DATABASE_STATEMENTS.labels(wrapper.alias).inc(wrapper.aantal)
            if span is not None:
                span.update_name(f"{request.method} {route}")
                span.set_attribute("http.route", route)
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    from opentelemetry.trace import Status, StatusCode

                    span.set_status(Status(StatusCode.ERROR))
                span.end()
            if self.json_log:
                logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    status,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "route": route,
                        "status": status,
                        "duration_ms": round(duur * 1000, 2),
                        "db_ms": round(sum(w.tijd for w in wrappers) * 1000, 2),
                        "trace_id": huidig.trace_id,
                        "span_id": huidig.span_id,
                    },
                )


class TraceFilter(logging.Filter):
    """Adds the request's trace id and span id to every log record (empty outside one)."""

    def filter(self, record):
        current = _trace.get()
        if not hasattr(record, "trace_id"):
            record.trace_id = current.trace_id if current else ""
        if not hasattr(record, "span_id"):
            record.span_id = current.span_id if current else ""
        return True
