"""Delivering the outbox: the worker behind `manage.py afleveren`.

A round claims open deliveries whose time has come, oldest first, with `FOR UPDATE SKIP
LOCKED` (several workers share the queue, none sends what another holds), leaving out any
whose object has an earlier delivery to the same destination still open: per object and
destination, announcements arrive in the order of their changes. It sends them one by one
and records each outcome in the same transaction: a worker killed halfway rolls back and
everything it held is sent again (at least once; a CloudEvent keeps its id, a receiver can
skip a repeat). A failure is tried again after an exponential wait; after
GEBEURTENISSEN_POGINGEN tries the delivery is parked (the admin sends it again). Between
rounds the worker sleeps until a commit announces something (LISTEN/NOTIFY) or a retry is
due.
"""

import base64
import datetime
import hashlib
import hmac
import json
import logging
import socket
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import jwt
import psycopg
import urllib3
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import Aflevering, Bestemming, Gebeurtenis

logger = logging.getLogger(__name__)

KANAAL = "gebeurtenissen"


def _setting(name: str, default):
    return getattr(settings, name, default)


def pogingen() -> int:
    return _setting("GEBEURTENISSEN_POGINGEN", 10)


def wachttijd(poging: int) -> datetime.timedelta:
    """The wait after the n-th failed try: doubling from GEBEURTENISSEN_WACHTTIJD seconds, at
    most GEBEURTENISSEN_WACHTTIJD_MAX."""
    basis = _setting("GEBEURTENISSEN_WACHTTIJD", 5.0)
    hoogste = _setting("GEBEURTENISSEN_WACHTTIJD_MAX", 3600.0)
    return datetime.timedelta(seconds=min(hoogste, basis * 2 ** (poging - 1)))


class Mislukt(Exception):
    pass


def cloudevent(gebeurtenis: Gebeurtenis) -> dict:
    """What a webhook receives: a CloudEvent (a notification becomes its `data`)."""
    if gebeurtenis.soort == Gebeurtenis.Soort.CLOUDEVENT:
        return json.loads(gebeurtenis.bericht)
    bericht = json.loads(gebeurtenis.bericht)
    return {
        "id": str(gebeurtenis.uuid),
        "source": _setting("NOTIFICATIONS_SOURCE", "") or "klantinteracties",
        "specversion": "1.0",
        "type": gebeurtenis.type,
        "subject": bericht["resourceUrl"].rstrip("/").rsplit("/", 1)[-1],
        "time": bericht["aanmaakdatum"],
        "datacontenttype": "application/json",
        "data": bericht,
    }


def handtekening(geheim: str, event_id: str, timestamp: int, body: bytes) -> str:
    """`webhook-signature` (Standard Webhooks): HMAC-SHA256 over `id.timestamp.body`."""
    signed = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(geheim.encode(), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def _autorisatie(bestemming: Bestemming) -> dict:
    if not bestemming.secret:
        return {}
    if not bestemming.client_id:
        return {"Authorization": f"Token {bestemming.secret}"}
    # A ZGW JWT, as the reference's client sends it.
    now = int(time.time())
    claims = {
        "iss": bestemming.client_id,
        "iat": now,
        "exp": now + 600,
        "client_id": bestemming.client_id,
        "user_id": "",
        "user_representation": "",
    }
    return {"Authorization": f"Bearer {jwt.encode(claims, bestemming.secret, algorithm='HS256')}"}


def verzoek(aflevering: Aflevering) -> tuple[str, bytes, dict]:
    """The POST of one delivery: url, body and headers."""
    bestemming, gebeurtenis = aflevering.bestemming, aflevering.gebeurtenis
    if bestemming.soort == Bestemming.Soort.NOTIFICATIES:
        base = bestemming.url if bestemming.url.endswith("/") else f"{bestemming.url}/"
        headers = _autorisatie(bestemming)
        body = gebeurtenis.bericht.encode()
        if gebeurtenis.soort == Gebeurtenis.Soort.CLOUDEVENT:
            headers["Content-Type"] = "application/cloudevents+json"
            return f"{base}cloudevents", body, headers
        headers["Content-Type"] = "application/json"
        return f"{base}notificaties", body, headers
    event = cloudevent(gebeurtenis)
    body = (
        gebeurtenis.bericht
        if gebeurtenis.soort == Gebeurtenis.Soort.CLOUDEVENT
        else json.dumps(event, ensure_ascii=False)
    ).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/cloudevents+json",
        "webhook-id": event["id"],
        "webhook-timestamp": str(timestamp),
    }
    if bestemming.secret:
        headers["webhook-signature"] = handtekening(bestemming.secret, event["id"], timestamp, body)
    return bestemming.url, body, headers


# The connection a thread is sending on, for the deadline of its request (Verbindingen.post).
_lopend = threading.local()


class _Bewaakt:
    """A connection that tells its thread's deadline which socket to cut."""

    def request(self, *args, **kwargs):
        houder = getattr(_lopend, "houder", None)
        if houder is not None:
            houder["verbinding"] = self
        return super().request(*args, **kwargs)


class _HTTPConnectionPool(urllib3.HTTPConnectionPool):
    ConnectionCls = type("HTTPVerbinding", (_Bewaakt, urllib3.connection.HTTPConnection), {})


class _HTTPSConnectionPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = type("HTTPSVerbinding", (_Bewaakt, urllib3.connection.HTTPSConnection), {})


def _bewaakt(manager: urllib3.PoolManager) -> urllib3.PoolManager:
    manager.pool_classes_by_scheme = {"http": _HTTPConnectionPool, "https": _HTTPSConnectionPool}
    return manager


def _afbreken(houder: dict) -> None:
    verbinding = houder.get("verbinding")
    sock = getattr(verbinding, "sock", None)
    if sock is not None:
        houder["afgebroken"] = True
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Verbindingen:
    """Keep-alive connections to the destinations, shared by the worker's threads.

    urllib3 directly: requests costs twice its CPU per POST (it reads the whole environment at
    every request), and a worker sends hundreds a second. Proxies come from the environment
    (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), read once per destination; certificates are checked
    against the system's store (SSL_CERT_FILE to name another).
    """

    def __init__(self, threads: int = 1):
        self.threads = threads
        self.direct = _bewaakt(urllib3.PoolManager(maxsize=threads, retries=False))
        self._via: dict[str, urllib3.PoolManager] = {}

    def _manager(self, url: str) -> urllib3.PoolManager:
        if url not in self._via:
            parts = urllib.parse.urlsplit(url)
            proxy = urllib.request.getproxies_environment().get(parts.scheme)
            if proxy and not urllib.request.proxy_bypass_environment(parts.hostname or ""):
                self._via[url] = _bewaakt(
                    urllib3.ProxyManager(proxy, maxsize=self.threads, retries=False)
                )
            else:
                self._via[url] = self.direct
        return self._via[url]

    def post(self, url: str, body: bytes, headers: dict, timeout: float):
        """The answer, within `timeout` seconds in all: urllib3's time-out holds per read, so
        a receiver that answers a byte at a time would hold the worker as long as it likes;
        at the deadline the request's socket is cut (urllib3.exceptions.ProtocolError)."""
        houder: dict = {}
        _lopend.houder = houder
        deadline = threading.Timer(timeout, _afbreken, args=(houder,))
        deadline.daemon = True
        deadline.start()
        try:
            response = self._manager(url).request(
                "POST", url, body=body, headers=headers, timeout=timeout, redirect=False
            )
        finally:
            deadline.cancel()
            _lopend.houder = None
        if houder.get("afgebroken"):
            raise urllib3.exceptions.TimeoutError(f"geen antwoord binnen {timeout} s")
        return response

    def close(self):
        for manager in {id(m): m for m in [self.direct, *self._via.values()]}.values():
            manager.clear()


def versturen(aflevering: Aflevering, verbindingen: Verbindingen) -> None:
    url, body, headers = verzoek(aflevering)
    try:
        response = verbindingen.post(url, body, headers, _setting("GEBEURTENISSEN_TIMEOUT", 10))
    except urllib3.exceptions.HTTPError as exc:
        raise Mislukt(f"{type(exc).__name__}: {exc}") from exc
    if not 200 <= response.status < 300:
        tekst = response.data[:500].decode(errors="replace")
        raise Mislukt(f"HTTP {response.status}: {tekst}")


def _kolommen(model, alias: str) -> str:
    return ", ".join(f"{alias}.{f.column}" for f in model._meta.concrete_fields)


_MODELLEN = (Aflevering, Gebeurtenis, Bestemming)
_NAMEN = [[f.attname for f in model._meta.concrete_fields] for model in _MODELLEN]
# What a round claims: open deliveries whose time has come, oldest first, none whose object
# has an earlier open delivery to the same destination, none another worker holds; with
# their announcements and destinations. Written out rather than built by the ORM: a worker
# runs it at every wake-up, and building the query cost more than running it.
_TE_VERSTUREN = f"""
SELECT {_kolommen(Aflevering, "a")}, {_kolommen(Gebeurtenis, "g")}, {_kolommen(Bestemming, "b")}
  FROM {Aflevering._meta.db_table} a
  JOIN {Gebeurtenis._meta.db_table} g ON g.id = a.gebeurtenis_id
  JOIN {Bestemming._meta.db_table} b ON b.id = a.bestemming_id
 WHERE a.status = 'open' AND a.volgende_poging <= %s
   AND NOT EXISTS (
       SELECT 1 FROM {Aflevering._meta.db_table} e
        WHERE e.status = 'open' AND e.bestemming_id = a.bestemming_id
          AND e.sleutel = a.sleutel AND e.id < a.id)
 ORDER BY a.id
 LIMIT %s
 FOR UPDATE OF a SKIP LOCKED
"""


def te_versturen(batch: int) -> list[Aflevering]:
    """The deliveries this worker may send now (locked until its transaction ends)."""
    with connection.cursor() as cursor:
        cursor.execute(_TE_VERSTUREN, [timezone.now(), batch])
        rows = cursor.fetchall()
    afleveringen = []
    for row in rows:
        objecten, begin = [], 0
        for model, attnames in zip(_MODELLEN, _NAMEN, strict=True):
            einde = begin + len(attnames)
            objecten.append(model.from_db(connection.alias, attnames, row[begin:einde]))
            begin = einde
        aflevering, aflevering.gebeurtenis, aflevering.bestemming = objecten
        afleveringen.append(aflevering)
    return afleveringen


def _uitkomst(aflevering: Aflevering, verbindingen: Verbindingen) -> None:
    """Send one delivery and note its outcome on it (saved by the round)."""
    aflevering.pogingen += 1
    try:
        versturen(aflevering, verbindingen)
    except Exception as exc:
        if not isinstance(exc, Mislukt):
            # A request that cannot even be made (a destination's secret that is no valid
            # header) fails this delivery alone, not the round and the worker with it.
            logger.exception("Aflevering %s: het verzoek kon niet worden gemaakt.", aflevering.pk)
            exc = Mislukt(f"{type(exc).__name__}: {exc}")
        aflevering.laatste_fout = str(exc)[:2000]
        if aflevering.pogingen >= pogingen():
            aflevering.status = Aflevering.Status.GEPARKEERD
            logger.warning("Aflevering %s geparkeerd: %s", aflevering.pk, exc)
        else:
            aflevering.volgende_poging = timezone.now() + wachttijd(aflevering.pogingen)
    else:
        aflevering.status = Aflevering.Status.AFGELEVERD
        aflevering.afgeleverd_op = timezone.now()
        aflevering.laatste_fout = ""


def ronde(verbindingen: Verbindingen, batch: int = 100, pool=None) -> int:
    """Claim and send what may be sent now; the number handled.

    A round holds at most one delivery per object and destination (a later one waits for the
    earlier to be done), so its deliveries may be sent at once, by `pool`'s threads.
    """
    with transaction.atomic():
        afleveringen = te_versturen(batch)
        if pool is None or len(afleveringen) < 2:
            for aflevering in afleveringen:
                _uitkomst(aflevering, verbindingen)
        else:
            list(pool.map(lambda a: _uitkomst(a, verbindingen), afleveringen))
        vastleggen_uitkomsten(afleveringen)
    return len(afleveringen)


def vastleggen_uitkomsten(afleveringen: list[Aflevering]) -> None:
    """Save the outcomes of a round in one statement (Django's bulk_update builds a CASE per
    row and field: most of a worker's time at a few hundred deliveries a second)."""
    if not afleveringen:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {Aflevering._meta.db_table} AS a
               SET pogingen = v.pogingen, status = v.status, laatste_fout = v.laatste_fout,
                   volgende_poging = v.volgende_poging, afgeleverd_op = v.afgeleverd_op
              FROM unnest(%b::bigint[], %b::integer[], %b::text[], %b::text[],
                          %b::timestamptz[], %b::timestamptz[])
                   AS v(id, pogingen, status, laatste_fout, volgende_poging, afgeleverd_op)
             WHERE a.id = v.id
            """,
            [
                [a.pk for a in afleveringen],
                [a.pogingen for a in afleveringen],
                [a.status for a in afleveringen],
                [a.laatste_fout for a in afleveringen],
                [a.volgende_poging for a in afleveringen],
                [a.afgeleverd_op for a in afleveringen],
            ],
        )


def opruimen() -> tuple[int, int]:
    """Delete deliveries delivered longer than GEBEURTENISSEN_BEWAARDAGEN ago, and the
    announcements nothing is left to deliver of."""
    grens = timezone.now() - datetime.timedelta(days=_setting("GEBEURTENISSEN_BEWAARDAGEN", 7))
    afleveringen, _ = Aflevering.objects.filter(
        status=Aflevering.Status.AFGELEVERD, afgeleverd_op__lt=grens
    ).delete()
    gebeurtenissen, _ = (
        Gebeurtenis.objects.filter(aangemaakt_op__lt=grens)
        .exclude(Exists(Aflevering.objects.filter(gebeurtenis=OuterRef("pk"))))
        .delete()
    )
    return afleveringen, gebeurtenissen


def volgende() -> float | None:
    """Seconds until the next open delivery is due (None: nothing open)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT min(volgende_poging) FROM {Aflevering._meta.db_table} WHERE status = 'open'"
        )
        [moment] = cursor.fetchone()
    if moment is None:
        return None
    return max(0.0, (moment - timezone.now()).total_seconds())


def luisteren() -> psycopg.Connection:
    """A connection of its own that is woken by every commit with new deliveries."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    listener = psycopg.connect(**params, autocommit=True)
    listener.execute(f"LISTEN {KANAAL}")
    return listener


def werken(
    *, batch: int = 100, wacht: float = 5.0, stop=lambda: False, eenmalig=False, threads=8
) -> int:
    """Deliver until `stop()` (or, `eenmalig`, until nothing may be sent now), sending up to
    `threads` deliveries at once."""
    from .bestemmingen import uit_instellingen

    uit_instellingen()
    verbindingen = Verbindingen(threads)
    pool = ThreadPoolExecutor(threads) if threads > 1 else None
    listener = None if eenmalig else luisteren()
    handled = 0
    laatst_opgeruimd = 0.0
    try:
        while not stop():
            count = ronde(verbindingen, batch, pool)
            handled += count
            # A full round: more may be waiting. Otherwise what was committed meanwhile has
            # sent its NOTIFY, and what this round held back is due now (`volgende`).
            if count >= batch or (count and eenmalig):
                continue
            if eenmalig:
                break
            if time.monotonic() - laatst_opgeruimd > 60:
                opruimen()
                laatst_opgeruimd = time.monotonic()
            due = volgende()
            timeout = wacht if due is None else min(wacht, due)
            # Woken by a commit's NOTIFY, or when a retry is due.
            for _ in listener.notifies(timeout=max(timeout, 0.01), stop_after=1):
                pass
            # The next round sees every commit announced so far: one round for all of them.
            for _ in listener.notifies(timeout=0):
                pass
    finally:
        if listener is not None:
            listener.close()
        if pool is not None:
            pool.shutdown()
        verbindingen.close()
    return handled
