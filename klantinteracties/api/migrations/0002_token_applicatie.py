# Every token becomes the credential of an application. Tokens made before applications had
# scopes could do everything: each gets an application of its own (named after it) with all
# rights, so existing clients keep working unchanged.

import django.db.models.deletion
from django.db import migrations, models


def applications_for_tokens(apps, schema_editor):
    Applicatie = apps.get_model("autorisatie", "Applicatie")
    Token = apps.get_model("api", "Token")
    for token in Token.objects.filter(applicatie__isnull=True).order_by("pk"):
        naam = token.name
        if Applicatie.objects.filter(naam=naam).exists():
            naam = f"{token.name} ({token.prefix})"
        token.applicatie = Applicatie.objects.create(naam=naam, alle_rechten=True)
        token.save(update_fields=["applicatie"])


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("autorisatie", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="token",
            name="applicatie",
            field=models.ForeignKey(
                help_text="De applicatie die zich met dit token aanmeldt: haar scopes gelden.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="tokens",
                to="autorisatie.applicatie",
            ),
        ),
        migrations.RunPython(applications_for_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="token",
            name="applicatie",
            field=models.ForeignKey(
                help_text="De applicatie die zich met dit token aanmeldt: haar scopes gelden.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="tokens",
                to="autorisatie.applicatie",
            ),
        ),
    ]
