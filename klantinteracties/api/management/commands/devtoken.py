import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from klantinteracties.api.auth import lookup_token
from klantinteracties.api.models import Token

KEY_FILE = Path(settings.BASE_DIR) / ".dev-token"


class Command(BaseCommand):
    help = "Create a development API token once (kept in .dev-token) and print how to use it."

    def handle(self, *args, **options):
        key = KEY_FILE.read_text().strip() if KEY_FILE.exists() else ""
        if not key or lookup_token(key) is None:
            _, key = Token.objects.create_token("development")
            KEY_FILE.write_text(key + "\n")
        # Where `make run` serves (HOST/PORT, as klantinteracties/gunicorn.conf.py reads them).
        base = f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
        self.stdout.write(
            "\nDevelopment API token (also in .dev-token):\n"
            f"  {key}\n"
            "Use it as:\n"
            f'  curl -H "Authorization: Token {key}" {base}/klantinteracties/api/v1/partijen\n'
            "More tokens: python manage.py createtoken <name>\n"
            f"Spec: {base}/klantinteracties/api/v1/schema\n"
            f"In a browser: {base}/klantinteracties/api/v1/schema/docs, Authorize with "
            f'"Token {key}", then Try it out\n'
        )
