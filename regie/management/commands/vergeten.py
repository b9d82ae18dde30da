"""Erase a partij's personal data (AVG art. 17), for a privacy officer (docs/regie.md).

manage.py vergeten --bsn 111222333 --dry-run
manage.py vergeten --partij <uuid> --toelichting "verzoek 2026-0042"
"""

import json
import secrets
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from logboek.vastleggen import Wie, scrub_text
from partijen.models import Partij
from regie import inzage
from regie.vergeten import PartijVerdwenen, partij_vergeten


class Command(BaseCommand):
    help = "Wis de persoonsgegevens van een partij (AVG art. 17); zie docs/regie.md."

    def add_arguments(self, parser):
        subject = parser.add_mutually_exclusive_group(required=True)
        subject.add_argument("--partij", help="De uuid van de partij.")
        subject.add_argument("--bsn", help="Of: het BSN van de partij (alleen cijfers).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Zeg wat zou gaan; wijzig niets."
        )
        parser.add_argument(
            "--toelichting", default="", help="Waarom; komt in de audit trail (geen gegevens)."
        )
        parser.add_argument(
            "--basis-url",
            default="http://localhost:8000",
            help="Het adres van het register, voor de urls in de audit trail.",
        )

    def handle(self, *args, **options):
        if options["bsn"]:
            partij = inzage.partij_by_bsn(options["bsn"])
        else:
            try:
                key = uuid.UUID(options["partij"])
            except ValueError as exc:
                raise CommandError("Geen geldige uuid.") from exc
            partij = Partij.objects.filter(uuid=key).first()
        if partij is None:
            raise CommandError("Geen partij gevonden.")
        scheme, _, host = options["basis_url"].partition("://")
        request = RequestFactory().get("/", HTTP_HOST=host.rstrip("/"), secure=scheme == "https")
        wie = Wie(
            bron="beheer",
            trace_id=secrets.token_hex(16),
            span_id=secrets.token_hex(8),
            applicatie_weergave="manage.py vergeten",
            toelichting=scrub_text(options["toelichting"])[:1000],
        )
        try:
            with transaction.atomic():
                samenvatting = partij_vergeten(
                    partij=partij,
                    wie=wie,
                    context={"request": request},
                    naam="vergeten.command",
                    dry_run=options["dry_run"],
                    start=timezone.now(),
                )
        except PartijVerdwenen as exc:
            raise CommandError("De partij is intussen samengevoegd of verwijderd.") from exc
        samenvatting = {"partij": {"uuid": str(partij.uuid)}, **samenvatting}
        self.stdout.write(json.dumps(samenvatting, indent=2, ensure_ascii=False))
