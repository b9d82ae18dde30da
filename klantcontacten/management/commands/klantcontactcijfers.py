"""Checks or recounts the counts behind the management figures (KlantcontactTelling).

    manage.py klantcontactcijfers --controleer             # how many counts differ; writes nothing
    manage.py klantcontactcijfers --herbereken             # set them right, a week at a time
    manage.py klantcontactcijfers --herbereken --van 2026-01-01 --tot 2026-02-01

Each batch of days is one short transaction that holds writes to the klantcontacten while
it counts them (klantcontacten/tellingen.py); reads go on. Safe while the service serves.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from klantcontacten import tellingen


def datum(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Geen datum (JJJJ-MM-DD): {value}") from None


class Command(BaseCommand):
    help = (
        "Controleert (--controleer) of herberekent (--herbereken) de tellingen van "
        "klantcontacten per dag waaruit de managementcijfers komen."
    )

    def add_arguments(self, parser):
        modus = parser.add_mutually_exclusive_group(required=True)
        modus.add_argument("--herbereken", action="store_true", help="Zet de tellingen goed.")
        modus.add_argument(
            "--controleer", action="store_true", help="Tel de afwijkingen; verander niets."
        )
        parser.add_argument(
            "--van", type=datum, help="Eerste dag (lokale tijd); standaard de eerste."
        )
        parser.add_argument(
            "--tot",
            type=datum,
            help="Dag waarvóór het stopt (lokale tijd); standaard na de laatste.",
        )
        parser.add_argument(
            "--dagen", type=int, default=tellingen.BATCH_DAGEN, help="Dagen per batch (transactie)."
        )

    def handle(self, *args, controleer: bool, van, tot, dagen, **options):
        if dagen < 1:
            raise CommandError("--dagen is ten minste 1.")
        if van and tot and tot <= van:
            raise CommandError("--tot ligt na --van.")

        werkwoord = "afwijkend" if controleer else "gecorrigeerd"

        def voortgang(begin, einde, aantal):
            if aantal and options["verbosity"] >= 1:
                self.stdout.write(f"{begin} tot {einde}: {aantal} tellingen {werkwoord}")

        resultaat = tellingen.herbereken(
            van, tot, dagen=dagen, controleer=controleer, voortgang=voortgang
        )
        self.stdout.write(
            f"{resultaat.gecorrigeerd} tellingen {werkwoord} in {resultaat.batches} batches."
        )
        if controleer and resultaat.gecorrigeerd:
            raise CommandError("De tellingen wijken af; herstel met --herbereken.", returncode=2)
