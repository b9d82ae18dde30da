"""Each client's last write position on the primary, for read-your-writes with read replicas
(klantinteracties/replicas.py). UNLOGGED: it is not replicated and costs no WAL; after a crash
of the primary it is empty, which only sends reads to replicas sooner."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("api", "0002_token_applicatie")]

    operations = [
        migrations.RunSQL(
            "CREATE UNLOGGED TABLE replicatie_schrijfpositie ("
            " client varchar(32) PRIMARY KEY, lsn pg_lsn NOT NULL,"
            " tijdstip timestamptz NOT NULL)",
            "DROP TABLE replicatie_schrijfpositie",
        )
    ]
