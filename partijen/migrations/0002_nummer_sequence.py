from django.db import migrations

from klantinteracties.nummers import create_sequence


class Migration(migrations.Migration):
    dependencies = [("partijen", "0001_initial")]

    operations = [create_sequence("partijen_partij")]
