from django.db import migrations

from klantinteracties.nummers import create_sequence


class Migration(migrations.Migration):
    dependencies = [("taken", "0001_initial")]

    operations = [create_sequence("taken_internetaak")]
