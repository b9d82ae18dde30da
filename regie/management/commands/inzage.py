"""An inzage document for a privacy officer without an API client.

manage.py inzage --bsn 111222333 --uit inzage.json
manage.py inzage --partij <uuid> > inzage.json
"""

import secrets
import sys

from django.core.management.base import BaseCommand, CommandError
from django.test import RequestFactory
from django.utils import timezone

from logboek.vastleggen import Wie, verwerking_vastleggen
from partijen.models import Partij
from regie import inzage


class Command(BaseCommand):
    help = "Schrijft alles wat het register over één partij bewaart als één JSON-document."

    def add_arguments(self, parser):
        subject = parser.add_mutually_exclusive_group(required=True)
        subject.add_argument("--bsn")
        subject.add_argument("--partij", help="uuid")
        parser.add_argument("--uit", help="Bestand (standaard: stdout).")
        parser.add_argument(
            "--basis-url",
            default="http://localhost:8000",
            help="Het adres van het register, voor de urls in het document.",
        )

    def handle(self, *args, **options):
        if options["bsn"]:
            partij = inzage.partij_by_bsn(options["bsn"])
        else:
            partij = Partij.objects.filter(uuid=options["partij"]).first()
        if partij is None:
            raise CommandError("Geen partij gevonden.")
        scheme, _, host = options["basis_url"].partition("://")
        request = RequestFactory().get("/", HTTP_HOST=host.rstrip("/"), secure=scheme == "https")
        keys = inzage.klantcontact_keys(partij)
        verwerking_vastleggen(
            wie=Wie(
                bron="beheer",
                trace_id=secrets.token_hex(16),
                span_id=secrets.token_hex(8),
                applicatie_weergave="manage.py inzage",
            ),
            naam="inzage.command",
            bewerking="lezen",
            status_code=200,
            start=timezone.now(),
            model=Partij,
            keys=[partij.pk],
            eerder=inzage.subjects(partij, keys),
        )
        out = open(options["uit"], "w", encoding="utf-8") if options["uit"] else sys.stdout
        try:
            for piece in inzage.document(partij, {"request": request}, keys):
                out.write(piece)
            out.write("\n")
        finally:
            if out is not sys.stdout:
                out.close()
        if options["uit"]:
            self.stderr.write(f"Inzage van partij {partij.uuid} geschreven naar {options['uit']}.")
