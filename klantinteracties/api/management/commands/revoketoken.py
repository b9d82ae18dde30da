from django.core.management.base import BaseCommand, CommandError

from klantinteracties.api.models import Token


class Command(BaseCommand):
    help = "Deactivate API tokens by name or key prefix."

    def add_arguments(self, parser):
        parser.add_argument("name_or_prefix")

    def handle(self, *args, name_or_prefix, **options):
        tokens = Token.objects.filter(name=name_or_prefix) | Token.objects.filter(
            prefix=name_or_prefix
        )
        count = tokens.update(is_active=False)
        if not count:
            raise CommandError(f"No token named or prefixed {name_or_prefix!r}.")
        self.stdout.write(f"Deactivated {count} token(s).")
