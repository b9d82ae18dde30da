"""Recounting KlantcontactTelling from the klantcontacten, a batch of days at a time.

The trigger of migration 0008 keeps the counts; this recounts them where they may have
drifted (a trigger disabled for a bulk load, one table restored without the other), and
migration 0009 filled them the same way. Each batch is one short transaction that holds
writes to the klantcontacten (`LOCK ... IN SHARE MODE`; reads go on) while it counts the
batch's days: it starts once every write in progress has committed, and with it the
counts its trigger moved at commit, so no contact is counted twice or missed. Only counts
that differ are written.
"""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import OperationalError, connection, transaction

from .models import TIJDZONE, Klantcontact, KlantcontactTelling

BATCH_DAGEN = 7
LOCK_TIMEOUT = "5s"
POGINGEN = 5

KC = Klantcontact._meta.db_table
TELLING = KlantcontactTelling._meta.db_table
KEY = "dag, kanaal, onderwerp, indicatie_contact_gelukt, vertrouwelijk"
DAG = f"(plaatsgevonden_op AT TIME ZONE '{TIJDZONE}')::date"
SAME_KEY = (
    "t.dag = e.dag AND t.kanaal = e.kanaal AND t.onderwerp IS NOT DISTINCT FROM e.onderwerp"
    " AND t.indicatie_contact_gelukt IS NOT DISTINCT FROM e.indicatie_contact_gelukt"
    " AND t.vertrouwelijk = e.vertrouwelijk"
)

# The true counts of the days [van, tot), per onderwerp and over all onderwerpen
# (onderwerp NULL), from the contacts in the UTC range of those local days (index
# klantcontact_recent_idx); the kept counts set to them where they differ, and to 0 where
# no contact has their key any more. Returns how many counts were corrected.
HERBEREKEN = f"""
WITH echt AS (
    SELECT {KEY}, count(*)::int AS aantal FROM (
        SELECT {DAG} AS dag, kanaal, onderwerp, indicatie_contact_gelukt, vertrouwelijk
        FROM {KC}
        WHERE plaatsgevonden_op >= %(begin)s AND plaatsgevonden_op < %(einde)s
    ) k
    GROUP BY GROUPING SETS (
        (dag, kanaal, onderwerp, indicatie_contact_gelukt, vertrouwelijk),
        (dag, kanaal, indicatie_contact_gelukt, vertrouwelijk)
    )
), gezet AS (
    INSERT INTO {TELLING} AS t ({KEY}, aantal)
    SELECT {KEY}, aantal FROM echt
    ON CONFLICT ({KEY}) DO UPDATE SET aantal = EXCLUDED.aantal
    WHERE t.aantal <> EXCLUDED.aantal
    RETURNING 1
), vervallen AS (
    UPDATE {TELLING} t SET aantal = 0
    WHERE t.dag >= %(van)s AND t.dag < %(tot)s AND t.aantal <> 0
        AND NOT EXISTS (SELECT 1 FROM echt e WHERE {SAME_KEY})
    RETURNING 1
)
SELECT (SELECT count(*) FROM gezet) + (SELECT count(*) FROM vervallen)
"""

# The bounds of what there is to count: the local days of the first and the last contact
# (the ends of klantcontact_recent_idx) and of the kept counts.
BEREIK = f"""
SELECT least(k.eerste, t.eerste), greatest(k.laatste, t.laatste) FROM
    (SELECT (min(plaatsgevonden_op) AT TIME ZONE '{TIJDZONE}')::date AS eerste,
            (max(plaatsgevonden_op) AT TIME ZONE '{TIJDZONE}')::date AS laatste
     FROM {KC}) k,
    (SELECT min(dag) AS eerste, max(dag) AS laatste FROM {TELLING}) t
"""


@dataclass
class Resultaat:
    batches: int = 0
    gecorrigeerd: int = 0


def middernacht(dag: datetime.date) -> datetime.datetime:
    """The start of a local day, as an aware datetime."""
    return datetime.datetime.combine(dag, datetime.time(), tzinfo=ZoneInfo(TIJDZONE))


def bereik() -> tuple[datetime.date, datetime.date] | None:
    """The first and the last local day with contacts or counts; None when there are none."""
    with connection.cursor() as cursor:
        cursor.execute(BEREIK)
        eerste, laatste = cursor.fetchone()
    return None if eerste is None else (eerste, laatste)


def herbereken(
    van: datetime.date | None = None,
    tot: datetime.date | None = None,
    *,
    dagen: int = BATCH_DAGEN,
    controleer: bool = False,
    voortgang: Callable[[datetime.date, datetime.date, int], None] | None = None,
) -> Resultaat:
    """Recount the local days [van, tot) (default: every day with contacts or counts), in
    batches of `dagen` days. With `controleer`, count the differences and write nothing."""
    if van is None or tot is None:
        alles = bereik()
        if alles is None:
            return Resultaat()
        van = van or alles[0]
        tot = tot or alles[1] + datetime.timedelta(days=1)
    resultaat = Resultaat()
    begin = van
    while begin < tot:
        einde = min(begin + datetime.timedelta(days=dagen), tot)
        gecorrigeerd = _batch(begin, einde, controleer)
        resultaat.batches += 1
        resultaat.gecorrigeerd += gecorrigeerd
        if voortgang is not None:
            voortgang(begin, einde, gecorrigeerd)
        begin = einde
    return resultaat


def _batch(van: datetime.date, tot: datetime.date, controleer: bool) -> int:
    params = {"van": van, "tot": tot, "begin": middernacht(van), "einde": middernacht(tot)}
    for poging in range(POGINGEN):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                # Waiting long for the lock would hold every write queued behind it.
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                cursor.execute(f"LOCK TABLE {KC} IN SHARE MODE")
                cursor.execute(HERBEREKEN, params)
                gecorrigeerd = cursor.fetchone()[0]
                if controleer:
                    transaction.set_rollback(True)
                return gecorrigeerd
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) != "55P03" or poging == POGINGEN - 1:
                raise
            time.sleep(1 + poging)
    raise AssertionError("unreachable")
