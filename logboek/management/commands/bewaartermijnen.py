"""Removes what has outlived its retention term (settings.BEWAARTERMIJNEN), in batches.

Each batch is its own short transaction, so the job takes no long locks, and a job that is
killed continues where it was on its next run. PostgreSQL lets the log's rows go only here:
the transaction states the term, and the append-only trigger refuses any row younger than
it (logboek/migrations/0002).

The register's own records (Archiefwet): interne taken a term after `afgehandeldOp`, then
klantcontacten a term after `plaatsgevondenOp` (but not while one of their interne taken is
kept: open, or within its own term). They are destroyed as a DELETE through the API would
(docs/verwijderen.md: betrokkenen, onderwerpobjecten, bijlagen, interne taken and
actor-klantcontacten with them), together with the digitale adressen their betrokkenen gave
that belong to no partij (nothing else would ever remove those). A kind without a term in
the settings is kept for ever.

Schedule it daily: cron (`15 3 * * * manage.py bewaartermijnen`), a systemd timer or a
Kubernetes CronJob; see docs/verwerkingenlog.md and docs/regie.md.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models.deletion import Collector
from django.utils import timezone


@dataclass(frozen=True)
class Soort:
    """One kind of record with a retention term: how to find a batch of expired ones and
    what to delete for them."""

    naam: str
    # What a dry run counts.
    wat: str
    # SELECT of the keys of at most %(batch)s expired rows (older than %(grens)s).
    verlopen: str
    # (what, DELETE statement) for those keys, %(keys)s, in order.
    verwijderen: tuple[tuple[str, str], ...] = ()
    # Or: removes the records with those keys through the ORM (so that what hangs off them
    # goes as with an API DELETE) and says {what: rows}.
    vernietigen: Callable[[list[int]], dict[str, int]] | None = None


def _tellingen(verwijderd: dict[str, int]) -> dict[str, int]:
    """{model label: rows} of QuerySet.delete() as {verbose name plural: rows}."""
    from django.apps import apps

    return {
        str(apps.get_model(label)._meta.verbose_name_plural): rows
        for label, rows in verwijderd.items()
        if rows
    }


def _uuids(querysets) -> list:
    """The uuids of every object deleting these querysets removes (their cascades too)."""
    collector = Collector(using=DEFAULT_DB_ALIAS)
    for queryset in querysets:
        collector.collect(queryset)
    found = []
    for model, objs in collector.data.items():
        if any(f.name == "uuid" for f in model._meta.concrete_fields):
            found += [obj.uuid for obj in objs]
    for queryset in collector.fast_deletes:
        if any(f.name == "uuid" for f in queryset.model._meta.concrete_fields):
            found += queryset.values_list("uuid", flat=True)
    return found


# The audit records of destroyed objects keep which object changed, how, when, by whom and
# why; their representations keep only the object's uuid and url, and the weergave (a
# klantcontact's onderwerp) goes: else the audit trail would keep, for its own longer term,
# the very content the term destroyed (docs/regie.md).
_SPOREN = """
UPDATE logboek_auditrecord SET
    oud = CASE WHEN oud IS NULL THEN NULL
          ELSE jsonb_build_object('uuid', oud -> 'uuid', 'url', oud -> 'url') END,
    nieuw = CASE WHEN nieuw IS NULL THEN NULL
            ELSE jsonb_build_object('uuid', nieuw -> 'uuid', 'url', nieuw -> 'url') END,
    resource_weergave = %(weergave)s
 WHERE resource_uuid = ANY(%(uuids)s)
"""
VERNIETIGD = "[vernietigd]"


def _met_sporen(tellingen: dict, uuids: list) -> dict:
    """`tellingen` with the number of audit records whose content went."""
    if uuids:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('logboek.vernietigen', 'ja', true)")
            cursor.execute(_SPOREN, {"uuids": uuids, "weergave": VERNIETIGD})
            if cursor.rowcount:
                tellingen["auditrecords (inhoud gewist)"] = cursor.rowcount
    return tellingen


def interne_taken_vernietigen(keys: list[int]) -> dict[str, int]:
    from taken.models import InterneTaak

    querysets = [InterneTaak.objects.filter(id__in=keys)]
    uuids = _uuids(querysets)
    tellingen = _tellingen(querysets[0].delete()[1])
    return _met_sporen(tellingen, uuids)


def klantcontacten_vernietigen(keys: list[int]) -> dict[str, int]:
    from klantcontacten.models import Klantcontact
    from partijen.models import DigitaalAdres

    adressen = DigitaalAdres.objects.filter(
        betrokkene__klantcontact_id__in=keys, partij__isnull=True
    )
    contacten = Klantcontact.objects.filter(id__in=keys)
    uuids = _uuids([adressen, contacten])
    tellingen = _tellingen(adressen.delete()[1])
    for wat, rows in _tellingen(contacten.delete()[1]).items():
        tellingen[wat] = tellingen.get(wat, 0) + rows
    return _met_sporen(tellingen, uuids)


SOORTEN = (
    Soort(
        naam="verwerkingen",
        wat="handelingen",
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
        wat="auditrecords",
        verlopen="SELECT id FROM logboek_auditrecord WHERE aanmaakdatum < %(grens)s"
        " ORDER BY aanmaakdatum LIMIT %(batch)s",
        verwijderen=(("auditrecords", "DELETE FROM logboek_auditrecord WHERE id = ANY(%(keys)s)"),),
    ),
    # Before the klantcontacten: a klantcontact waits for its interne taken.
    Soort(
        naam="internetaken",
        wat="interne taken",
        verlopen="SELECT id FROM taken_internetaak WHERE afgehandeld_op < %(grens)s"
        " ORDER BY afgehandeld_op, id LIMIT %(batch)s",
        vernietigen=interne_taken_vernietigen,
    ),
    Soort(
        naam="klantcontacten",
        wat="klantcontacten",
        verlopen="SELECT k.id FROM klantcontacten_klantcontact k"
        " WHERE k.plaatsgevonden_op < %(grens)s AND NOT EXISTS ("
        "  SELECT 1 FROM taken_internetaak t WHERE t.klantcontact_id = k.id"
        "  AND (t.afgehandeld_op IS NULL OR %(grens_internetaken)s::timestamptz IS NULL"
        "       OR t.afgehandeld_op >= %(grens_internetaken)s))"
        " ORDER BY k.plaatsgevonden_op LIMIT %(batch)s",
        vernietigen=klantcontacten_vernietigen,
    ),
)


def grens(naam: str) -> datetime | None:
    """The moment before which records of kind `naam` have expired (None: no term)."""
    dagen = settings.BEWAARTERMIJNEN.get(naam)
    return None if dagen is None else timezone.now() - timedelta(days=dagen)


def opschonen(soort: Soort, dagen: int, *, batch: int, dry_run: bool, pauze: float = 0.0):
    """(batches, {what: rows}) removed (with `dry_run`: expired, counted) for one kind."""
    params = {
        "grens": timezone.now() - timedelta(days=dagen),
        "grens_internetaken": grens("internetaken"),
    }
    if dry_run:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM ({soort.verlopen.replace('LIMIT %(batch)s', '')}) t",
                params,
            )
            return 0, {soort.wat: cursor.fetchone()[0]}
    batches, counts = 0, {what: 0 for what, _ in soort.verwijderen}
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('logboek.bewaartermijn', %s, true)", [f"{dagen} days"]
            )
            cursor.execute(soort.verlopen, {**params, "batch": batch})
            keys = [row[0] for row in cursor.fetchall()]
            if not keys:
                return batches, counts
            if soort.vernietigen is not None:
                for what, rows in soort.vernietigen(keys).items():
                    counts[what] = counts.get(what, 0) + rows
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
            dagen = settings.BEWAARTERMIJNEN.get(soort.naam)
            if dagen is None:
                self.stdout.write(f"{soort.naam}: geen bewaartermijn ingesteld, alles blijft.")
                continue
            start = time.monotonic()
            batches, counts = opschonen(
                soort,
                dagen,
                batch=options["batch"],
                dry_run=options["dry_run"],
                pauze=options["pauze"],
            )
            summary = ", ".join(f"{rows} {what}" for what, rows in counts.items()) or "niets"
            if options["dry_run"]:
                self.stdout.write(f"{soort.naam}: verlopen {summary} (ouder dan {dagen} dagen).")
            else:
                self.stdout.write(
                    f"{soort.naam}: verwijderd {summary} in {batches} batch(es), "
                    f"{time.monotonic() - start:.1f} s (bewaartermijn {dagen} dagen)."
                )
