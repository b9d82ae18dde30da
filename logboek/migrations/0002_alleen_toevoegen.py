"""The log and the audit trail are append-only, enforced by PostgreSQL.

UPDATE of a row is refused, always. DELETE is refused unless the transaction states a
retention term (`SET LOCAL logboek.bewaartermijn = '<n> days'`, as `manage.py
bewaartermijnen` does), and then only of rows older than that term.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION logboek_alleen_toevoegen() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    termijn interval;
    moment timestamptz;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'Het logboek is onveranderlijk: een rij van % wijzigt niet.',
            TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END IF;
    termijn := nullif(current_setting('logboek.bewaartermijn', true), '')::interval;
    IF termijn IS NULL THEN
        RAISE EXCEPTION 'Het logboek is onveranderlijk: alleen de bewaartermijnen-taak '
            'verwijdert rijen van %.', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_TABLE_NAME = 'logboek_verwerking' THEN
        SELECT start INTO moment FROM logboek_handeling WHERE id = OLD.handeling_id;
    ELSIF TG_TABLE_NAME = 'logboek_handeling' THEN
        moment := OLD.start;
    ELSE
        moment := OLD.aanmaakdatum;
    END IF;
    IF moment IS NOT NULL AND moment >= now() - termijn THEN
        RAISE EXCEPTION 'Een rij van % is jonger dan de bewaartermijn (%).',
            TG_TABLE_NAME, termijn USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$;
"""

TABLES = ("logboek_handeling", "logboek_verwerking", "logboek_auditrecord")


class Migration(migrations.Migration):
    dependencies = [("logboek", "0001_initial")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION logboek_alleen_toevoegen() CASCADE;"),
        *(
            migrations.RunSQL(
                f"CREATE TRIGGER {table}_alleen_toevoegen BEFORE UPDATE OR DELETE ON {table}"
                " FOR EACH ROW EXECUTE FUNCTION logboek_alleen_toevoegen();",
                f"DROP TRIGGER {table}_alleen_toevoegen ON {table};",
            )
            for table in TABLES
        ),
    ]
