"""The processing log for a privacy officer without an API client, and for shipping it.

manage.py verwerkingen --bsn 111222333
manage.py verwerkingen --partij <uuid> --sinds 2026-01-01 --formaat json
manage.py verwerkingen --na-id 41000 --formaat ldv     # to a central LDV logbook
"""

import json
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from logboek.models import SubjectSoort, Verwerking
from logboek.serializers import VerwerkingSerializer, ldv_record
from logboek.subjecten import identificator_hash

BATCH = 2000


def moment(value: str, end: bool = False):
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"Geen datum of tijdstip: {value}.")
        parsed = datetime.combine(day, time.max if end else time.min)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


class Command(BaseCommand):
    help = "Toont (of exporteert) verwerkingen uit het verwerkingenlog, nieuwste eerst."

    def add_arguments(self, parser):
        subject = parser.add_mutually_exclusive_group()
        subject.add_argument("--bsn", help="Verwerkingen van de partij met dit BSN.")
        subject.add_argument("--kvk", help="Verwerkingen van de partij met dit KVK-nummer.")
        subject.add_argument("--partij", help="Verwerkingen van deze partij (uuid).")
        parser.add_argument("--sinds", help="Vanaf deze datum of dit tijdstip.")
        parser.add_argument("--tot", help="Tot en met deze datum, of tot dit tijdstip.")
        parser.add_argument(
            "--na-id",
            type=int,
            help="Alleen records na dit volgnummer, oudste eerst (om ze door te sturen).",
        )
        parser.add_argument(
            "--formaat",
            choices=("tabel", "json", "ldv"),
            default="tabel",
            help="tabel (voor mensen), json (zoals GET /verwerkingen) of ldv (een JSON-regel "
            "per record in de velden van de Logboek Dataverwerkingen-standaard).",
        )
        parser.add_argument("--max", type=int, default=None, help="Ten hoogste zoveel records.")

    def handle(self, *args, **options):
        records = Verwerking.objects.select_related("handeling")
        if options["bsn"]:
            records = records.filter(
                identificator_soort="bsn",
                identificator_hash=identificator_hash("bsn", options["bsn"]),
            )
        elif options["kvk"]:
            records = records.filter(
                identificator_soort="kvk_nummer",
                identificator_hash=identificator_hash("kvk_nummer", options["kvk"]),
            )
        elif options["partij"]:
            records = records.filter(
                subject_soort=SubjectSoort.PARTIJ, subject_uuid=options["partij"]
            )
        if options["sinds"]:
            records = records.filter(handeling__start__gte=moment(options["sinds"]))
        if options["tot"]:
            records = records.filter(handeling__start__lte=moment(options["tot"], end=True))
        if options["na_id"] is not None:
            records = records.filter(id__gt=options["na_id"]).order_by("id")
        else:
            records = records.order_by("-id")
        if options["max"] is not None:
            records = records[: options["max"]]

        formaat = options["formaat"]
        if formaat == "tabel":
            self.stdout.write(
                f"{'id':>10}  {'tijdstip':25}  {'handeling':32}  {'applicatie':20}  "
                f"{'gebruiker':16}  verwerkingsactiviteit"
            )
        count = 0
        for record in records.iterator(chunk_size=BATCH):
            count += 1
            if formaat == "ldv":
                self.stdout.write(json.dumps({"id": record.id, **ldv_record(record)}))
            elif formaat == "json":
                self.stdout.write(json.dumps(dict(VerwerkingSerializer(record).data)))
            else:
                h = record.handeling
                self.stdout.write(
                    f"{record.id:>10}  {timezone.localtime(h.start).isoformat(timespec='seconds'):25}"
                    f"  {h.naam[:32]:32}  {h.applicatie_weergave[:20]:20}"
                    f"  {(h.gebruikers_weergave or h.gebruikers_id)[:16]:16}"
                    f"  {h.verwerkingsactiviteit or '-'}"
                )
        if formaat == "tabel":
            self.stdout.write(f"{count} verwerking(en).")
