"""Read replicas: reads of the registers from a PostgreSQL streaming replica, the rest from the
primary (docs/scaling.md).

- `DATABASE_REPLICA_URLS` (comma-separated) adds the aliases `replica_1`, `replica_2`, ...
  Without it nothing here runs: one database, as before.
- What goes to a replica: the register tables (partijen, klantcontacten, taken,
  contactgegevens) read by a GET or HEAD of the APIs. Everything else reads from the primary:
  every write and the reads of a request that writes, the tokens, applications and scopes (a
  revoked token or scope counts at once), the processing log and audit trail, the admin.
- Read-your-writes: after each write request the primary's WAL position is stored for the
  client (a hash of its `Authorization` header, in an UNLOGGED table on the primary). A
  later read of that client goes to a replica only when the replica has replayed that
  position, else to the primary. This holds across app nodes, since the position is on the
  primary: a client that got its write's answer sees the write in every read after it. It
  costs a read one primary-key lookup on the primary.
- A replica is skipped while it cannot be reached, is not a standby streaming from the
  primary, or lags more than `REPLICA_MAX_VERTRAGING` seconds. Each process checks each
  replica at most every `REPLICA_CONTROLE_INTERVAL` seconds; a read that finds its replica
  gone between two checks is answered again from the primary.
"""

import contextvars
import hashlib
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection, connections

logger = logging.getLogger(__name__)

# The apps whose tables a read may take from a replica.
REGISTERS = frozenset({"partijen", "klantcontacten", "taken", "contactgegevens"})
API_PREFIXES = ("/klantinteracties/api/", "/contactgegevens/api/")
LEESMETHODEN = frozenset({"GET", "HEAD", "OPTIONS"})
TABEL = "replicatie_schrijfpositie"

# The alias this request's register reads use (None: the primary).
_lezen_van: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "replica_lezen_van", default=None
)


def aliassen() -> list[str]:
    return settings.REPLICAS


def lsn(text: str | None) -> int | None:
    """A pg_lsn's text ('16/B374D848') as a number."""
    if not text:
        return None
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


class ReplicaRouter:
    """Register reads of a read request to the replica chosen for it; all else the primary."""

    def db_for_read(self, model, **hints):
        alias = _lezen_van.get()
        if alias is not None and model._meta.app_label in REGISTERS:
            return alias
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same database, replicated

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


@dataclass
class Stand:
    """What a process last found out about a replica."""

    bruikbaar: bool = False
    replay: int | None = None  # the WAL position it has replayed
    vertraging: float | None = None  # seconds behind the primary
    reden: str = "nog niet gecontroleerd"
    gecontroleerd: float = float("-inf")


_standen: dict[str, Stand] = {}
_lock = threading.Lock()

# Lag: how long ago the last replayed transaction committed on the primary, while the
# replica has received WAL it has not replayed yet (else it is up to date: 0).
CONTROLE_SQL = (
    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
    " CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0"
    " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END,"
    " (SELECT status FROM pg_stat_wal_receiver)"
)


def controleer(alias: str) -> Stand:
    """Ask the replica now (in this thread's connection to it)."""
    stand = Stand(gecontroleerd=time.monotonic())
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(CONTROLE_SQL)
            herstel, replay, vertraging, ontvanger = cursor.fetchone()
    except DatabaseError as exc:
        connections[alias].close()
        stand.reden = f"onbereikbaar: {str(exc).strip().splitlines()[0] if str(exc) else exc}"
    else:
        stand.replay, stand.vertraging = lsn(replay), float(vertraging)
        if not herstel:
            stand.reden = "geen standby (niet in recovery)"
        elif ontvanger != "streaming":
            stand.reden = f"ontvangt geen WAL van de primary ({ontvanger or 'geen ontvanger'})"
        elif stand.vertraging > settings.REPLICA_MAX_VERTRAGING:
            stand.reden = f"loopt {stand.vertraging:.1f} s achter"
        else:
            stand.bruikbaar, stand.reden = True, "ok"
    vorige = _standen.get(alias)
    if vorige is None or vorige.bruikbaar != stand.bruikbaar:
        log = logger.info if stand.bruikbaar else logger.warning
        log("Replica %s: %s", alias, stand.reden)
    with _lock:
        _standen[alias] = stand
    return stand


def stand(alias: str) -> Stand:
    """The replica's state, checked anew when the last check is older than the interval."""
    bekend = _standen.get(alias)
    if bekend is not None and (
        time.monotonic() - bekend.gecontroleerd < settings.REPLICA_CONTROLE_INTERVAL
    ):
        return bekend
    return controleer(alias)


def buiten_gebruik(alias: str, reden: str) -> None:
    """A replica that failed a read: skipped until the next check."""
    logger.warning("Replica %s: %s", alias, reden)
    connections[alias].close()
    with _lock:
        _standen[alias] = Stand(reden=reden, gecontroleerd=time.monotonic())


def standen() -> dict[str, dict]:
    """For /health/ready: each replica as this process sees it now."""
    return {
        alias: {
            "bruikbaar": s.bruikbaar,
            "vertragingSeconden": None if s.vertraging is None else round(s.vertraging, 3),
            "reden": s.reden,
        }
        for alias in aliassen()
        for s in [stand(alias)]
    }


def _client(request) -> str | None:
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if not authorization:
        return None
    return hashlib.sha256(authorization.encode()).hexdigest()[:32]


def schrijfpositie(client: str) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT lsn::text FROM {TABEL} WHERE client = %s", [client])
        row = cursor.fetchone()
    return lsn(row[0]) if row else None


def schrijfpositie_vastleggen(client: str) -> None:
    # After the request's own transaction committed: the primary's position now is at or past
    # its commit. Concurrent writes of one client keep the furthest position.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABEL} AS t (client, lsn, tijdstip)"
            " VALUES (%s, pg_current_wal_insert_lsn(), now())"
            " ON CONFLICT (client) DO UPDATE"
            " SET lsn = greatest(t.lsn, EXCLUDED.lsn), tijdstip = EXCLUDED.tijdstip",
            [client],
        )


def kies(client: str | None, overslaan: frozenset = frozenset()) -> str | None:
    """The replica a read of this client may use, or None for the primary."""
    kandidaten = [alias for alias in aliassen() if alias not in overslaan]
    if not kandidaten:
        return None
    positie = schrijfpositie(client) if client else None
    # Spread the reads: start at another replica for each client.
    start = int(client[:8], 16) % len(kandidaten) if client else 0
    for alias in kandidaten[start:] + kandidaten[:start]:
        s = stand(alias)
        if not s.bruikbaar:
            continue
        if positie is not None and (s.replay is None or s.replay < positie):
            s = controleer(alias)  # it may have replayed the write since the last check
            if not s.bruikbaar or s.replay is None or s.replay < positie:
                continue
        return alias
    return None


class ReplicaMiddleware:
    """Chooses where a request's register reads go, and records a client's writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIXES):
            return self.get_response(request)
        client = _client(request)
        if request.method not in LEESMETHODEN:
            response = self.get_response(request)
            # A refused write (a 4xx, a 5xx) changed nothing: nothing to wait for, and no row
            # for each unknown token someone tries.
            if client is not None and response.status_code < 400:
                try:
                    schrijfpositie_vastleggen(client)
                except DatabaseError as exc:
                    # The write itself is done: its answer stands. Only this client's next
                    # reads may miss it on a lagging replica.
                    logger.warning("Schrijfpositie niet vastgelegd: %s", exc)
            return response
        overslaan: set[str] = set()
        while True:
            alias = kies(client, frozenset(overslaan))
            token = _lezen_van.set(alias)
            try:
                response = self.get_response(request)
            finally:
                _lezen_van.reset(token)
            if alias is None or not getattr(request, "database_onbereikbaar", False):
                return response
            # Its replica went away since the last check: the same read from elsewhere.
            buiten_gebruik(alias, "onbereikbaar tijdens een verzoek")
            overslaan.add(alias)
            request.database_onbereikbaar = False
