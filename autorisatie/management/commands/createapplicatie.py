"""Make an application with its credentials in one command, for deployment scripts.

    manage.py createapplicatie "Mijn portaal" --scope partijen.lezen --scope klantcontacten.lezen \
        --token --jwt mijn-portaal --verwerkingsactiviteit https://gemeente.nl/verwerkingen/42 \
        --doelbinding-verplicht

prints the token key and the JWT secret (each shown only here) as `token: ...`,
`client_id: ...` and `secret: ...` lines. An application of that name is updated: its scopes,
purposes and settings become the ones given; credentials are added.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from autorisatie.models import (
    GROUP_CHOICES,
    Applicatie,
    ClientCredential,
    Verwerkingsactiviteit,
)
from autorisatie.scopes import SCOPES
from klantinteracties.api.models import Token


class Command(BaseCommand):
    help = "Create (or update) an application with scopes and credentials; prints the secrets."

    def add_arguments(self, parser):
        parser.add_argument("naam")
        parser.add_argument("--scope", action="append", default=[], choices=SCOPES)
        parser.add_argument("--alle-rechten", action="store_true", help="Every scope.")
        parser.add_argument(
            "--afgeschermd",
            action="append",
            default=[],
            choices=[group for group, _ in GROUP_CHOICES],
            help="A group of fields the application may not see.",
        )
        parser.add_argument("--token", action="store_true", help="Add a Token key.")
        parser.add_argument("--jwt", metavar="CLIENT_ID", help="Add a JWT client.")
        parser.add_argument(
            "--verwerkingsactiviteit",
            action="append",
            default=[],
            metavar="URI",
            help="A purpose of the application (made if unknown, named after its uri).",
        )
        parser.add_argument("--doelbinding-verplicht", action="store_true")
        parser.add_argument("--inactief", action="store_true")

    @transaction.atomic
    def handle(self, *args, naam, scope, alle_rechten, token, jwt, **options):
        if not (scope or alle_rechten):
            raise CommandError("Give at least one --scope, or --alle-rechten.")
        if jwt and ClientCredential.objects.filter(client_id=jwt).exists():
            raise CommandError(f"A JWT client {jwt} exists already.")
        applicatie, _ = Applicatie.objects.update_or_create(
            naam=naam,
            defaults={
                "scopes": sorted(set(scope)),
                "alle_rechten": alle_rechten,
                "afgeschermd": sorted(set(options["afgeschermd"])),
                "doelbinding_verplicht": options["doelbinding_verplicht"],
                "actief": not options["inactief"],
            },
        )
        applicatie.verwerkingsactiviteiten.set(
            [
                Verwerkingsactiviteit.objects.get_or_create(uri=uri, defaults={"naam": uri})[0]
                for uri in options["verwerkingsactiviteit"]
            ]
        )
        self.stdout.write(f"applicatie: {applicatie.uuid}")
        if token:
            _, key = Token.objects.create_token(naam, applicatie=applicatie)
            self.stdout.write(f"token: {key}")
        if jwt:
            credential = ClientCredential.objects.create(
                applicatie=applicatie, client_id=jwt, secret=ClientCredential.new_secret()
            )
            self.stdout.write(f"client_id: {credential.client_id}")
            self.stdout.write(f"secret: {credential.secret}")
