from django.core.management.base import BaseCommand

from klantinteracties.api.models import Token


class Command(BaseCommand):
    help = "Create an API token and print its key (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who or which system uses the token.")

    def handle(self, *args, name, **options):
        _, key = Token.objects.create_token(name)
        self.stdout.write(key)
