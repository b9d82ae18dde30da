import signal

from django.core.management.base import BaseCommand

from gebeurtenissen.afleveren import werken


class Command(BaseCommand):
    help = (
        "Verstuurt de gebeurtenissen (notificaties en CloudEvents) naar hun bestemmingen, "
        "tot het proces stopt (SIGTERM: na de lopende ronde)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=100, help="Afleveringen per ronde.")
        parser.add_argument(
            "--threads", type=int, default=8, help="Zoveel afleveringen tegelijk versturen."
        )
        parser.add_argument(
            "--wacht",
            type=float,
            default=5.0,
            help="Hoogstens zoveel seconden slapen zonder NOTIFY (voor herhalingen).",
        )
        parser.add_argument(
            "--eenmalig",
            action="store_true",
            help="Versturen wat nu kan en dan stoppen (voor een cron-job of een test).",
        )

    def handle(self, *args, batch, threads, wacht, eenmalig, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
        handled = werken(
            batch=batch,
            wacht=wacht,
            stop=lambda: bool(stopping),
            eenmalig=eenmalig,
            threads=threads,
        )
        self.stdout.write(f"{handled} afleveringen verwerkt.")
