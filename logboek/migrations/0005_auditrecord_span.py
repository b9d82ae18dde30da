"""An audit record keeps the span of its request (the handeling of the same change), and a
vergeten (migration 0004) may not rewrite it: which request made a change stays as it was."""

import importlib

from django.db import migrations, models

VERGETEN = importlib.import_module("logboek.migrations.0004_vergeten").FUNCTION

# The columns a vergeten leaves alone, now with span_id.
FUNCTION = VERGETEN.replace(
    "NEW.trace_id, NEW.aanmaakdatum", "NEW.trace_id, NEW.span_id,\n            NEW.aanmaakdatum"
).replace(
    "OLD.trace_id, OLD.aanmaakdatum", "OLD.trace_id, OLD.span_id,\n            OLD.aanmaakdatum"
)
assert FUNCTION.count("span_id") == 2


class Migration(migrations.Migration):
    dependencies = [("logboek", "0004_vergeten")]

    operations = [
        migrations.AddField(
            model_name="auditrecord",
            name="span_id",
            field=models.CharField(blank=True, db_default="", max_length=16),
        ),
        migrations.RunSQL(FUNCTION, VERGETEN),
    ]
