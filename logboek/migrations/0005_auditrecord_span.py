"""An audit record keeps the span of its request (the handeling of the same change), and no
rewrite may change it: which request made a change stays as it was.

Beside a vergeten (migration 0004), the retention job may rewrite the same columns of the
records of the objects it destroys (`SELECT set_config('logboek.vernietigen', 'ja', true)`):
their representations lose their content, as the objects did."""

import importlib

from django.db import migrations, models

VERGETEN = importlib.import_module("logboek.migrations.0004_vergeten").FUNCTION

FUNCTION = (
    VERGETEN.replace(
        "NEW.trace_id, NEW.aanmaakdatum", "NEW.trace_id, NEW.span_id,\n            NEW.aanmaakdatum"
    )
    .replace(
        "OLD.trace_id, OLD.aanmaakdatum", "OLD.trace_id, OLD.span_id,\n            OLD.aanmaakdatum"
    )
    .replace(
        "        IF vergeten IS NULL OR TG_TABLE_NAME <> 'logboek_auditrecord' THEN",
        "        IF vergeten IS NULL\n"
        "           AND current_setting('logboek.vernietigen', true) IS DISTINCT FROM 'ja'\n"
        "           OR TG_TABLE_NAME <> 'logboek_auditrecord' THEN",
    )
)
assert FUNCTION.count("span_id") == 2 and "logboek.vernietigen" in FUNCTION


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
