"""Removes what has outlived its retention term (settings.BEWAARTERMIJNEN), in batches.

Each batch is its own short transaction, so the job takes no long locks, and a job that is
killed continues where it was on its next run. PostgreSQL lets the log's rows go only here:
the transaction states the term, and the append-only trigger refuses any row younger than
it (logboek/migrations/0002).

Schedule it daily: cron (`15 3 * * * manage.py bewaartermijnen`), a systemd timer or a
Kubernetes CronJob; see docs/verwerkingenlog.md.
"""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone


@dataclass(frozen=True)
class Soort:
    """One kind of record with a retention term: how to find a batch of expired ones and
    what to delete for them."""

    naam: str
    # SELECT of the keys of at most %(batch)s expired rows (older than %(grens)s).
    verlopen: str
    # (what, DELETE statement) for those keys, %(keys)s, in order.
    verwijderen: tuple[tuple[str, str], ...]


SOORTEN = (
    Soort(
        naam="verwerkingen",
        verlopen="SELECT id FROM logboek_handeling WHERE start < %(grens)s ORDER BY start"
        " LIMIT %(batch)s",
        verwijderen=(
            (
                "records",
                # The range lets the BRIN index find the block ranges; ANY picks the rows.
                "DELETE FROM logboek_verwerking WHERE handeling_id BETWEEN %(first)s AND"
                " %(last)s AND handeling_id = ANY(%(keys)s)",
            ),
            ("handelingen", "DELETE FROM logboek_handeling WHERE id = ANY(%(keys)s)"),
        ),
    ),
    Soort(
        naam="audittrail",
        verlopen="SELECT id FROM logboek_auditrecord WHERE aanmaakdatum < %(grens)s"
        " ORDER BY aanmaakdatum LIMIT %(batch)s",
        verwijderen=(("auditrecords", "DELETE FROM logboek_auditrecord WHERE id = ANY(%(keys)s)"),),
    ),
)


def opschonen(soort: Soort, dagen: int, *, batch: int, dry_run: bool, pauze: float = 0.0):
    """(batches, {what: rows}) removed (with `dry_run`: expired, counted) for one kind."""
    grens = timezone.now() - timedelta(days=dagen)
    if dry_run:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM ({soort.verlopen.replace('LIMIT %(batch)s', '')}) t",
                {"grens": grens},
            )
            return 0, {soort.verwijderen[-1][0]: cursor.fetchone()[0]}
    batches, counts = 0, {what: 0 for what, _ in soort.verwijderen}
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('logboek.bewaartermijn', %s, true)", [f"{dagen} days"]
            )
            cursor.execute(soort.verlopen, {"grens": grens, "batch": batch})
            keys = [row[0] for row in cursor.fetchall()]
            if not keys:
                return batches, counts
            for what, statement in soort.verwijderen:
                cursor.execute(statement, {"keys": keys, "first": min(keys), "last": max(keys)})
                counts[what] += cursor.rowcount
        batches += 1
        if pauze:
            time.sleep(pauze)


class Command(BaseCommand):
    help = "Verwijdert wat ouder is dan zijn bewaartermijn (settings.BEWAARTERMIJNEN)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Zeg alleen wat zou gaan.")
        parser.add_argument("--batch", type=int, default=5000, help="Rijen per transactie.")
        parser.add_argument(
            "--pauze",
            type=float,
            default=0.0,
            help="Seconden rust na elke batch (minder last voor het register overdag).",
        )
        parser.add_argument("--alleen", choices=[soort.naam for soort in SOORTEN], action="append")

    def handle(self, *args, **options):
        for soort in SOORTEN:
            if options["alleen"] and soort.naam not in options["alleen"]:
                continue
            dagen = settings.BEWAARTERMIJNEN[soort.naam]
            start = time.monotonic()
            batches, counts = opschonen(
                soort,
                dagen,
                batch=options["batch"],
                dry_run=options["dry_run"],
                pauze=options["pauze"],
            )
            summary = ", ".join(f"{rows} {what}" for what, rows in counts.items())
            if options["dry_run"]:
                self.stdout.write(f"{soort.naam}: verlopen {summary} (ouder dan {dagen} dagen).")
            else:
                self.stdout.write(
                    f"{soort.naam}: verwijderd {summary} in {batches} batch(es), "
                    f"{time.monotonic() - start:.1f} s (bewaartermijn {dagen} dagen)."
                )
