"""Writing the processing log and the audit trail.

`verwerking_vastleggen` writes one handeling and a record per data subject in one
statement, in the caller's transaction: a write's records commit with it or not at all. A
record that cannot be stored raises `LogboekNietBeschikbaar` (503): the request is then not
answered, and a write rolls back.
"""

import functools
import json
import logging
import re
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from rest_framework import exceptions, status

from gebeurtenissen.vastleggen import aankondigen
from klantinteracties.db_backend.base import prepared_cursor

from .subjecten import KEYS_PARAM, hmac_pads, identificator_hash, subject_query

logger = logging.getLogger(__name__)


class LogboekNietBeschikbaar(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = (
        "De verwerking kon niet in het verwerkingenlog worden vastgelegd; er is niets "
        "verwerkt. Probeer het later opnieuw."
    )
    default_code = "logboek_niet_beschikbaar"
    wait = 5


@dataclass(frozen=True)
class Wie:
    """Who processes, on whose behalf, why, and in which trace."""

    bron: str
    trace_id: str
    span_id: str
    parent_span_id: str = ""
    applicatie_id: str | None = None
    applicatie_weergave: str = ""
    gebruikers_id: str = ""
    gebruikers_weergave: str = ""
    verwerkingsactiviteit: str = ""
    toelichting: str = ""

    @classmethod
    def van(cls, context, bron: str, toelichting: str = "") -> "Wie":
        """From the request context (autorisatie.context.RequestContext)."""
        purpose = context.verwerkingsactiviteit
        return cls(
            bron=bron,
            trace_id=context.trace_id,
            span_id=context.span_id,
            parent_span_id=context.parent_span_id,
            applicatie_id=str(context.applicatie.uuid),
            applicatie_weergave=context.applicatie.naam,
            # A portal's user may be a citizen named by BSN.
            gebruikers_id=scrub_text(context.user_id),
            gebruikers_weergave=scrub_text(context.user_representation),
            verwerkingsactiviteit=purpose.uri if purpose is not None else "",
            toelichting=scrub_text(toelichting),
        )


_HANDELING = (
    'INSERT INTO "logboek_handeling" (trace_id, span_id, parent_span_id, naam, bewerking,'
    " start, einde, status, bron, component, applicatie_id, applicatie_weergave,"
    " gebruikers_id, gebruikers_weergave, verwerkingsactiviteit) SELECT %(trace_id)s,"
    " %(span_id)s, %(parent_span_id)s, %(naam)s, %(bewerking)s, %(start)s,"
    " clock_timestamp(), %(status)s, %(bron)s, %(component)s, %(applicatie_id)s::uuid,"
    " %(applicatie_weergave)s, %(gebruikers_id)s, %(gebruikers_weergave)s,"
    " %(verwerkingsactiviteit)s{} RETURNING id"
)
# A read's own transaction that need not wait for the disk at its commit
# (LOGBOEK_LEZEN_SYNCHROON=False) says so in the statement that writes its record: the
# setting is local to that transaction (SET LOCAL), which is the statement's own.
_NIET_WACHTEN = " FROM (SELECT set_config('synchronous_commit', 'off', true)) instelling"


def lezen_wacht(connection) -> bool:
    """Whether a read's record waits for the disk at its commit: unless
    LOGBOEK_LEZEN_SYNCHROON=False and its statement is its own transaction (a read within
    another transaction never decides how that one commits)."""
    return settings.LOGBOEK_LEZEN_SYNCHROON or connection.in_atomic_block


def _handeling(wachten: bool = True) -> str:
    return _HANDELING.format("" if wachten else _NIET_WACHTEN)


_EARLIER = (
    "SELECT * FROM unnest(%(e_soort)b::text[], %(e_uuid)b::uuid[], %(e_isoort)b::text[],"
    " %(e_hash)b::bytea[])"
)


def _records(source: str, distinct: bool = False) -> str:
    """The INSERT of a record per subject of `source` (a SELECT of soort, uuid,
    identificator soort and hash) for the handeling of the CTE `handeling`."""
    insert = (
        'INSERT INTO "logboek_verwerking" (handeling_id, subject_soort, subject_uuid,'
        " identificator_soort, identificator_hash)"
    )
    if not distinct:
        return (
            f"{insert} SELECT handeling.id, s.soort, s.uuid, s.isoort, s.hash FROM handeling,"
            f" ({source}) s(soort, uuid, isoort, hash)"
        )
    # A subject found twice (before and after a change) is recorded once per number it had:
    # a partij whose BSN changed is found by either. Without a number only when it had none.
    return (
        f"{insert} SELECT DISTINCT handeling.id, s.soort, s.uuid, s.isoort, s.hash FROM"
        " handeling, (SELECT *, count(hash) OVER (PARTITION BY soort, uuid) AS nummers FROM"
        f" ({source}) s(soort, uuid, isoort, hash)) s WHERE s.hash IS NOT NULL OR s.nummers = 0"
    )


_statements: dict = {}


def _statement(subjects_sql: str, earlier: bool, wachten: bool = True) -> str:
    statement = _statements.get((subjects_sql, earlier, wachten))
    if statement is None:
        source = " UNION ALL ".join(
            part for part in (subjects_sql, _EARLIER if earlier else "") if part
        )
        # Subjects found twice (before and after a change) are recorded once.
        distinct = bool(earlier and subjects_sql)
        handeling = _handeling(wachten)
        statement = _statements[(subjects_sql, earlier, wachten)] = (
            f"WITH handeling AS ({handeling}) {_records(source, distinct)}" if source else handeling
        )
    return statement


def _params(wie: "Wie", naam: str, bewerking: str, status_code: int, start) -> dict:
    return {
        "trace_id": wie.trace_id,
        "span_id": wie.span_id,
        "parent_span_id": wie.parent_span_id,
        "naam": naam[:100],
        "bewerking": bewerking,
        "start": start,
        "status": status_code,
        "bron": wie.bron,
        "component": COMPONENT,
        "applicatie_id": wie.applicatie_id,
        "applicatie_weergave": wie.applicatie_weergave[:200],
        "gebruikers_id": wie.gebruikers_id[:255],
        "gebruikers_weergave": wie.gebruikers_weergave[:255],
        "verwerkingsactiviteit": wie.verwerkingsactiviteit[:1000],
    }


class LeesRecord:
    """The processing record of a read, written by the statement that reads: its handeling
    and a record per subject of the rendered keys, as two data-modifying CTEs that run with
    the page's SELECT (api.sqljson.PageSql). One statement, one round trip, one commit.

    The same handeling and subject query as verwerking_vastleggen writes on its own; `used`
    is set once a statement carries it (`bind`).
    """

    def __init__(
        self, *, wie: "Wie", naam: str, start, model, serializer_class, tree, wachten=True
    ):
        """`wachten=False`: the statement's transaction (its own: not within another)
        commits without waiting for the disk."""
        self._subjects = subject_query(model, serializer_class, tree).sql
        self._wachten = wachten
        self.params = {**_params(wie, naam, "lezen", 200, start), **hmac_pads()}
        self.used = False

    def bind(self, params: dict) -> None:
        """Adds the record's parameters to a statement's that carries its CTEs."""
        params.update(self.params)
        self.used = True

    def ctes(self, keys_sql: str) -> str:
        """`handeling AS (...), <name> AS (...)`: the record of the keys `keys_sql` (an SQL
        expression of type bigint[]). Its parameters are those `bind` adds (and `keys` when
        `keys_sql` is the parameter %(keys)s::bigint[])."""
        return _ctes(self._subjects, keys_sql, self._wachten)


@functools.lru_cache(maxsize=512)
def _ctes(subjects_sql: str, keys_sql: str, wachten: bool) -> str:
    handeling = f"handeling AS ({_handeling(wachten)})"
    if not subjects_sql:
        return handeling
    source = subjects_sql.replace(KEYS_PARAM, keys_sql)
    return f"{handeling}, logboek_records AS ({_records(source)})"


def verwerking_vastleggen(
    *,
    wie: Wie,
    naam: str,
    bewerking: str,
    status_code: int,
    start,
    model=None,
    keys=(),
    serializer_class=None,
    tree: dict | None = None,
    eerder: list[tuple] = (),
) -> None:
    """Log one handeling, with a record per subject of the objects `keys` of `model` (and
    of their expansions in `tree`) and the `eerder` subjects (rows of subjects_of(), taken
    before a change)."""
    if settings.LOGBOEK_UIT:
        return
    query = subject_query(model, serializer_class, tree) if model is not None and keys else None
    subjects_sql = query.sql if query is not None else ""
    params = {
        **_params(wie, naam, bewerking, status_code, start),
        "keys": list(keys),
        **hmac_pads(),
    }
    if eerder:
        params.update(
            e_soort=[row[0] for row in eerder],
            e_uuid=[row[1] for row in eerder],
            e_isoort=[row[2] for row in eerder],
            e_hash=[row[3] for row in eerder],
        )
    if not subjects_sql:
        # Parameters the statement does not name are not sent.
        for name in ("keys", "ipad", "opad"):
            params.pop(name)
    try:
        wachten = bewerking != "lezen" or lezen_wacht(connection)
        _execute(_statement(subjects_sql, bool(eerder), wachten), params)
    except (DatabaseError, psycopg.Error) as exc:
        logger.exception("Verwerkingenlog: vastleggen mislukt (%s).", naam)
        raise LogboekNietBeschikbaar() from exc


def _execute(statement: str, params: dict) -> None:
    """Run the log statement, prepared: PostgreSQL settles on its generic plan (the subject
    query reads its keys as logboek.subjecten._ANY_KEYS), planned once per connection. In a
    write's transaction it is one more statement of it; a read's commits on its own."""
    with prepared_cursor(connection) as cursor:
        cursor.execute(statement, params)


COMPONENT = f"klantinteracties {settings.API_VERSION}"

# A BSN (nine digits that pass the elfproef) anywhere in a text, as a word of its own; RSINs
# pass it too. Not within letters or digits: a uuid's or an IBAN's digits are not one.
# Also written in groups of three ("123 456 782", "123.456.782") or right after "BSN".
_NINE_DIGITS = re.compile(
    r"(?i)(?:(?<=bsn)|(?<![0-9a-z]))(\d{3})[ .]?(\d{3})[ .]?(\d{3})(?![0-9a-z])"
)


def _elfproef(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0 and digits != "000000000"


def scrub_text(text: str) -> str:
    """The text with every number that may be a BSN replaced by its keyed hash."""
    # Most texts hold no nine digits at all: one scan, in C.
    if not text or _NINE_DIGITS.search(text) is None:
        return text

    def replace(match):
        digits = "".join(match.groups())
        if not _elfproef(digits):
            return match[0]
        return f"hmac-sha256:{identificator_hash('bsn', digits).hex()}"

    return _NINE_DIGITS.sub(replace, text)


def scrub(value):
    """A representation with every possible BSN in it replaced by its keyed hash."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {
            scrub_text(key) if isinstance(key, str) else key: scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value


ACTIE_WEERGAVE = {
    "create": "Object aangemaakt",
    "update": "Object bijgewerkt",
    "partial_update": "Object deels bijgewerkt",
    "destroy": "Object verwijderd",
}


@dataclass
class Wijziging:
    """One object's change, for the audit trail."""

    actie: str
    resource: str
    resource_uuid: object
    resource_url: str
    hoofd_object: str
    resource_weergave: str = ""
    oud: dict | None = None
    nieuw: dict | None = None


# The audit records of one write: what they share once, a row per change from the arrays.
# The arrays are sent in binary (`%(name)b`): in text, psycopg escapes every quote of the
# representations' JSON one by one in Python (about a millisecond per write).
_AUDIT = (
    'INSERT INTO "logboek_auditrecord" (uuid, bron, applicatie_id, applicatie_weergave,'
    " gebruikers_id, gebruikers_weergave, actie, actie_weergave, resultaat, hoofd_object,"
    " resource, resource_url, resource_uuid, resource_weergave, toelichting,"
    " verwerkingsactiviteit, trace_id, span_id, aanmaakdatum, oud, nieuw) SELECT"
    " gen_random_uuid(),"
    " %(bron)s, %(applicatie_id)s, %(applicatie_weergave)s, %(gebruikers_id)s,"
    " %(gebruikers_weergave)s, r.actie, r.actie_weergave, %(resultaat)s, r.hoofd_object,"
    " r.resource, r.resource_url, r.resource_uuid, r.resource_weergave, %(toelichting)s,"
    " %(verwerkingsactiviteit)s, %(trace_id)s, %(span_id)s, %(aanmaakdatum)s, r.oud::jsonb,"
    " r.nieuw::jsonb"
    " FROM unnest(%(actie)b::text[], %(actie_weergave)b::text[], %(hoofd_object)b::text[],"
    " %(resource)b::text[], %(resource_url)b::text[], %(resource_uuid)b::uuid[],"
    " %(resource_weergave)b::text[], %(oud)b::text[], %(nieuw)b::text[]) r(actie,"
    " actie_weergave, hoofd_object, resource, resource_url, resource_uuid, resource_weergave,"
    " oud, nieuw)"
)


# Where a text may hold a BSN: nine digits, in a row or in groups of three, with no digit
# right before or after (every text scrub_text changes has them). In JSON written without
# ASCII escapes a digit stands next to such digits exactly where one does in the text: the
# only escapes with digits are the control characters' `\u00XX`, the others end in a quote,
# a backslash or a letter. An ASCII text is searched with every digit made `0` and a space or
# point `.` (bytes.translate and find: a few microseconds, where a regular expression takes
# tens); a text with other characters (digits of other scripts count for scrub_text too) or
# with a `\u` escape is searched for nine digits anywhere, as a regular expression.
_MASK = bytes(
    ord("0") if chr(b) in "0123456789" else ord(".") if chr(b) in " ." else ord("x")
    for b in range(256)
)
_FORMS = (b"000000000", b"000.000.000", b"000.000000", b"000000.000")
_ANY_NINE = re.compile(r"\d{3}[ .]?\d{3}[ .]?\d{3}")


def _may_hold_bsn(text: str) -> bool:
    if not text.isascii() or "\\u" in text:
        return _ANY_NINE.search(text) is not None
    masked = text.encode("ascii").translate(_MASK)
    for form in _FORMS:
        start = masked.find(form)
        while start >= 0:
            end = start + len(form)
            if masked[start - 1 : start] != b"0" and masked[end : end + 1] != b"0":
                return True
            start = masked.find(form, start + 1)
    return False


def _json(value) -> str | None:
    """The representation as the model's JSONField stores it (None is SQL NULL), scrubbed:
    walked through only when its text may hold a BSN (a klantcontact's ten-digit nummer does
    not)."""
    if value is None:
        return None
    text = json.dumps(value, ensure_ascii=False)
    return json.dumps(scrub(value)) if _may_hold_bsn(text) else text


def audit_vastleggen(*, wie: Wie, resultaat: int, wijzigingen: list[Wijziging]) -> None:
    """The audit records of a write, in its transaction (one INSERT, prepared: the same
    text for any number of changes)."""
    if settings.LOGBOEK_UIT:
        aankondigen(wijzigingen)
        return
    if not wijzigingen:
        return
    params = {
        "bron": wie.bron,
        "applicatie_id": wie.applicatie_id or "",
        "applicatie_weergave": wie.applicatie_weergave[:200],
        "gebruikers_id": wie.gebruikers_id[:255],
        "gebruikers_weergave": wie.gebruikers_weergave[:255],
        "resultaat": resultaat,
        "toelichting": wie.toelichting,
        "verwerkingsactiviteit": wie.verwerkingsactiviteit,
        "trace_id": wie.trace_id,
        "span_id": wie.span_id,
        "aanmaakdatum": timezone.now(),
        "actie": [w.actie for w in wijzigingen],
        "actie_weergave": [ACTIE_WEERGAVE.get(w.actie, w.actie) for w in wijzigingen],
        "hoofd_object": [w.hoofd_object for w in wijzigingen],
        "resource": [w.resource for w in wijzigingen],
        "resource_url": [w.resource_url for w in wijzigingen],
        "resource_uuid": [w.resource_uuid for w in wijzigingen],
        "resource_weergave": [scrub_text(w.resource_weergave)[:200] for w in wijzigingen],
        "oud": [_json(w.oud) for w in wijzigingen],
        "nieuw": [_json(w.nieuw) for w in wijzigingen],
    }
    try:
        with prepared_cursor(connection) as cursor:
            cursor.execute(_AUDIT, params)
    except (DatabaseError, psycopg.Error) as exc:
        logger.exception("Audit trail: vastleggen mislukt.")
        raise LogboekNietBeschikbaar() from exc
    # Every change the audit trail records is announced, in the same transaction.
    aankondigen(wijzigingen)
