"""The counts of the klantcontacten that exist, a week of days at a time.

A frozen copy of klantcontacten/tellingen.py as it was at this schema (that module follows
the model; a migration must not). Safe while the previous version serves: each batch is a
short transaction that holds writes to the klantcontacten (SHARE lock; reads go on) while it
counts a week of their days; the trigger (0008) already counts every write made meanwhile.
"""

import datetime
import time
from zoneinfo import ZoneInfo

from django.db import OperationalError, migrations, transaction

TIJDZONE = "Europe/Amsterdam"
BATCH_DAGEN = 7
KEY = "dag, kanaal, onderwerp, indicatie_contact_gelukt, vertrouwelijk"
DAG = f"(plaatsgevonden_op AT TIME ZONE '{TIJDZONE}')::date"

BEREIK = f"""
SELECT (min(plaatsgevonden_op) AT TIME ZONE '{TIJDZONE}')::date,
       (max(plaatsgevonden_op) AT TIME ZONE '{TIJDZONE}')::date
FROM klantcontacten_klantcontact
"""
# Per onderwerp, and the totals over the onderwerpen (onderwerp NULL).
VULLEN = f"""
INSERT INTO klantcontacten_klantcontacttelling AS t ({KEY}, aantal)
SELECT {KEY}, count(*) FROM (
    SELECT {DAG} AS dag, kanaal, onderwerp, indicatie_contact_gelukt, vertrouwelijk
    FROM klantcontacten_klantcontact
    WHERE plaatsgevonden_op >= %(begin)s AND plaatsgevonden_op < %(einde)s
) k
GROUP BY GROUPING SETS (
    (dag, kanaal, onderwerp, indicatie_contact_gelukt, vertrouwelijk),
    (dag, kanaal, indicatie_contact_gelukt, vertrouwelijk)
)
ON CONFLICT ({KEY}) DO UPDATE SET aantal = EXCLUDED.aantal
"""


def middernacht(dag):
    return datetime.datetime.combine(dag, datetime.time(), tzinfo=ZoneInfo(TIJDZONE))


def vullen(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(BEREIK)
        eerste, laatste = cursor.fetchone()
    if eerste is None:
        return
    begin = eerste
    while begin <= laatste:
        einde = begin + datetime.timedelta(days=BATCH_DAGEN)
        params = {"begin": middernacht(begin), "einde": middernacht(einde)}
        for poging in range(5):
            try:
                with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '5s'")
                    cursor.execute("LOCK TABLE klantcontacten_klantcontact IN SHARE MODE")
                    # A count the trigger made before this batch is replaced by the whole.
                    cursor.execute(
                        "DELETE FROM klantcontacten_klantcontacttelling"
                        " WHERE dag >= %(van)s AND dag < %(tot)s",
                        {"van": begin, "tot": einde},
                    )
                    cursor.execute(VULLEN, params)
                break
            except OperationalError as exc:
                if getattr(exc.__cause__, "sqlstate", None) != "55P03" or poging == 4:
                    raise
                time.sleep(1 + poging)
        begin = einde


class Migration(migrations.Migration):
    # Each batch commits on its own.
    atomic = False

    dependencies = [
        ('klantcontacten', '0008_klantcontact_telling'),
    ]

    operations = [
        migrations.RunPython(vullen, migrations.RunPython.noop, elidable=True),
    ]
