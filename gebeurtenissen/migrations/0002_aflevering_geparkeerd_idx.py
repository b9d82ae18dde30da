from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Built without blocking the worker's writes (CREATE INDEX CONCURRENTLY runs outside a
    # transaction).
    atomic = False

    dependencies = [
        ("gebeurtenissen", "0001_initial"),
    ]

    operations = [
        # What an interrupted build leaves behind (an invalid index of this name).
        migrations.RunSQL(
            'DROP INDEX CONCURRENTLY IF EXISTS "aflevering_geparkeerd_idx"',
            migrations.RunSQL.noop,
        ),
        AddIndexConcurrently(
            model_name="aflevering",
            index=models.Index(
                condition=models.Q(status="geparkeerd"),
                fields=["id"],
                name="aflevering_geparkeerd_idx",
            ),
        ),
    ]
