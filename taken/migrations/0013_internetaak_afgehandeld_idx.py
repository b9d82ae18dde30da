from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Built without blocking writes to interne taken (CREATE INDEX CONCURRENTLY runs outside a
    # transaction).
    atomic = False

    dependencies = [
        ("taken", "0012_werklijst_open_index"),
    ]

    operations = [
        # What an interrupted build leaves behind (an invalid index of this name).
        migrations.RunSQL(
            'DROP INDEX CONCURRENTLY IF EXISTS "internetaak_afgehandeld_idx"',
            migrations.RunSQL.noop,
        ),
        AddIndexConcurrently(
            model_name="internetaak",
            index=models.Index(
                condition=models.Q(afgehandeld_op__isnull=False),
                fields=["afgehandeld_op", "id"],
                name="internetaak_afgehandeld_idx",
            ),
        ),
    ]
