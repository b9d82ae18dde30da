"""Failures answered honestly, and the health endpoints for load balancers and orchestrators.

A request that finds the database unreachable (stopped, restarting, the network gone) gets
`503 Service Unavailable` with `Retry-After` and a problem body, never a 500: the client may
try again, and nothing was changed (the transaction did not commit). Django drops a broken
connection at the end of the request, so the next one connects anew: when the database is
back the service answers again without a restart.

`GET /health/live`: the process answers (no database). `GET /health/ready`: the database
answers too (200 or 503); it also reports the outbox's backlog (docs/events.md). Neither needs
a token, and neither says anything about the register's contents. They are answered by the
first middleware, before anything else looks at the request: a probe asks a container by its
own address, not by a name in ALLOWED_HOSTS.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils import timezone

from klantinteracties import replicas

logger = logging.getLogger(__name__)

# How long a client should wait before it tries again (seconds).
RETRY_AFTER = 5

# PostgreSQL's codes for a connection that failed or a server that is going away or not yet
# accepting connections (class 08, and admin/crash shutdown, cannot connect now).
_ONBEREIKBAAR = ("08", "57P01", "57P02", "57P03")


def database_onbereikbaar(exc: BaseException | None) -> bool:
    """Whether `exc` says the database could not be reached (rather than refusing a
    statement)."""
    while exc is not None:
        if isinstance(exc, InterfaceError):
            return True
        if isinstance(exc, OperationalError):
            sqlstate = getattr(exc.__cause__, "sqlstate", None)
            return sqlstate is None or sqlstate.startswith(_ONBEREIKBAAR)
        exc = exc.__cause__
    return False


def _json(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def live(request):
    return _json({"status": "ok"}, 200)


def _achterstand() -> dict:
    """The outbox: open deliveries, and how long the oldest due one has waited."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), min(volgende_poging) FILTER (WHERE volgende_poging <= now())"
            " FROM gebeurtenissen_aflevering WHERE status = 'open'"
        )
        open_, oudste = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM gebeurtenissen_aflevering WHERE status = 'geparkeerd'")
        [geparkeerd] = cursor.fetchone()
    wacht = 0 if oudste is None else max(0, int((timezone.now() - oudste).total_seconds()))
    return {"open": open_, "geparkeerd": geparkeerd, "oudsteWachtSeconden": wacht}


def ready(request):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 2000")
            cursor.execute("SELECT 1")
            uitgaand = _achterstand()
    except DatabaseError as exc:
        logger.warning("Health: database niet bereikbaar: %s", exc)
        response = _json({"status": "niet gereed", "database": "onbereikbaar"}, 503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    body = {"status": "ok", "database": "ok", "uitgaand": uitgaand}
    if settings.REPLICAS:
        # Ready as long as the primary answers: reads skip a replica that does not.
        body["replicas"] = replicas.standen()
    return _json(body, 200)


PADEN = {"/health/live": live, "/health/ready": ready}


class GezondheidMiddleware:
    """Answers the health endpoints before any other middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = PADEN.get(request.path_info)
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return view(request)
