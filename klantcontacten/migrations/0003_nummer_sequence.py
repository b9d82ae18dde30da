from django.db import migrations

from klantinteracties.nummers import create_sequence


class Migration(migrations.Migration):
    dependencies = [("klantcontacten", "0002_initial")]

    operations = [create_sequence("klantcontacten_klantcontact")]
