"""The audit trail may be rewritten for one thing only: a vergeten (AVG art. 17).

UPDATE of an audit record is allowed when the transaction states that it erases a partij
(`SELECT set_config('logboek.vergeten', '<partij uuid>', true)`, as regie.vergeten does), and
then only of the columns that can hold the partij's values (its representations before and
after, its weergave and toelichting): which object changed, how, when and by whom stays as it
was. The processing log (handelingen, verwerkingen) is never updated. DELETE is unchanged
(migration 0002).
"""

import importlib

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION logboek_alleen_toevoegen() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    termijn interval;
    moment timestamptz;
    vergeten uuid;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        vergeten := nullif(current_setting('logboek.vergeten', true), '')::uuid;
        IF vergeten IS NULL OR TG_TABLE_NAME <> 'logboek_auditrecord' THEN
            RAISE EXCEPTION 'Het logboek is onveranderlijk: een rij van % wijzigt niet.',
                TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF (NEW.id, NEW.uuid, NEW.bron, NEW.applicatie_id, NEW.applicatie_weergave,
            NEW.gebruikers_id, NEW.gebruikers_weergave, NEW.actie, NEW.actie_weergave,
            NEW.resultaat, NEW.hoofd_object, NEW.resource, NEW.resource_url,
            NEW.resource_uuid, NEW.verwerkingsactiviteit, NEW.trace_id, NEW.aanmaakdatum)
           IS DISTINCT FROM
           (OLD.id, OLD.uuid, OLD.bron, OLD.applicatie_id, OLD.applicatie_weergave,
            OLD.gebruikers_id, OLD.gebruikers_weergave, OLD.actie, OLD.actie_weergave,
            OLD.resultaat, OLD.hoofd_object, OLD.resource, OLD.resource_url,
            OLD.resource_uuid, OLD.verwerkingsactiviteit, OLD.trace_id, OLD.aanmaakdatum)
        THEN
            RAISE EXCEPTION 'Vergeten van partij % wist alleen waarden uit een auditrecord.',
                vergeten USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
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

# Back to the function of 0002: UPDATE refused, always.
PREVIOUS = importlib.import_module("logboek.migrations.0002_alleen_toevoegen").FUNCTION


class Migration(migrations.Migration):
    dependencies = [("logboek", "0003_brin_indexes")]

    operations = [migrations.RunSQL(FUNCTION, PREVIOUS)]
