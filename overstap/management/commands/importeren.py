"""Copy everything from a running Open Klant (or another Klantinteracties API) into this
register, keeping every uuid; run it again to copy what changed since (docs/overstappen.md).

    manage.py importeren --klantinteracties-url https://ok.example.nl/klantinteracties/api/v1 \\
        --contactgegevens-url https://ok.example.nl/contactgegevens/api/v1 --token ...
    manage.py importeren ... --verify
"""

import json
import os

from django.core.management.base import BaseCommand, CommandError

from overstap.bron import Bron, BronFout
from overstap.controle import Controle
from overstap.definities import PER_NAAM, RESOURCES
from overstap.rapport import Rapport
from overstap.services import ImportBezig, importeren


class Command(BaseCommand):
    help = (
        "Kopieert alle objecten van een Klantinteracties API (en Contactgegevens API) naar "
        "dit register, met hun uuids; een volgende run kopieert alleen wat nieuw of gewijzigd is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--klantinteracties-url", required=True, help="Basis-url, tot /api/v1")
        parser.add_argument("--contactgegevens-url", default="", help="Basis-url, tot /api/v1")
        parser.add_argument(
            "--token",
            default=os.environ.get("OVERSTAP_TOKEN", ""),
            help="Token van de bron (of OVERSTAP_TOKEN); alle leesrechten, niets afgeschermd",
        )
        parser.add_argument("--gelijktijdig", type=int, default=4, help="Verzoeken tegelijk")
        parser.add_argument("--page-size", type=int, default=500)
        parser.add_argument(
            "--resource",
            action="append",
            choices=[r.naam for r in RESOURCES],
            help="Alleen deze resource(s); herhaalbaar",
        )
        parser.add_argument(
            "--verwijderen",
            action="store_true",
            help="Verwijder wat eerder gekopieerd is en niet meer in de bron staat",
        )
        parser.add_argument("--no-progress", action="store_true", help="Geen voortgangsregels")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Niets kopiëren: elk object van beide kanten lezen en de verschillen melden",
        )
        parser.add_argument("--rapport", help="Schrijf het rapport ook als JSON naar dit bestand")

    def handle(self, *args, **options):
        if not options["token"]:
            raise CommandError("Geef --token (of OVERSTAP_TOKEN).")
        urls = {
            "klantinteracties": options["klantinteracties_url"],
            "contactgegevens": options["contactgegevens_url"],
        }
        gekozen = options["resource"]
        resources = tuple(PER_NAAM[n] for n in gekozen) if gekozen else RESOURCES
        resources = tuple(r for r in resources if urls.get(r.api))
        uit = None if options["no_progress"] else self.stdout
        if options["verify"]:
            return self._verify(urls, options, resources, uit)
        rapport = Rapport(uit=uit, voortgang=not options["no_progress"])
        try:
            importeren(
                urls=urls,
                token=options["token"],
                rapport=rapport,
                gelijktijdig=options["gelijktijdig"],
                page_size=options["page_size"],
                resources=resources,
                verwijderen=options["verwijderen"],
            )
        except (BronFout, ImportBezig) as exc:
            raise CommandError(f"{exc} Een volgende run gaat verder waar deze stopte.") from exc
        finally:
            if options["rapport"]:
                with open(options["rapport"], "w") as bestand:
                    json.dump(rapport.als_dict(), bestand, indent=1, ensure_ascii=False)
        self.stdout.write(rapport.tekst())

    def _verify(self, urls, options, resources, uit):
        bron = Bron(
            urls,
            options["token"],
            gelijktijdig=options["gelijktijdig"],
            page_size=options["page_size"],
        )
        try:
            uitkomst = Controle(bron, resources, uit=uit).uitvoeren()
        except BronFout as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bron.sluit()
        if options["rapport"]:
            with open(options["rapport"], "w") as bestand:
                json.dump(
                    {
                        "aantallen": uitkomst.aantallen,
                        "verschillen": uitkomst.verschillen,
                    },
                    bestand,
                    indent=1,
                    ensure_ascii=False,
                )
        self.stdout.write(uitkomst.tekst())
        if not uitkomst.gelijk:
            raise CommandError("De kopie wijkt af van de bron.")
