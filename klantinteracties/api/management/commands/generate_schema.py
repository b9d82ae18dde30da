from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from klantinteracties.api.schema import APIS, generate, render_yaml


class Command(BaseCommand):
    help = "Write the OpenAPI documents of both APIs to openapi/<api>.yaml."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default=str(Path(settings.BASE_DIR) / "openapi"))

    def handle(self, *args, output_dir, **options):
        out = Path(output_dir)
        out.mkdir(parents=True, exist_ok=True)
        for api in APIS:
            path = out / f"{api}.yaml"
            path.write_text(render_yaml(generate(api)))
            self.stdout.write(f"wrote {path}")
