"""Digitale adressen compared regardless of notation (partijen/normalisatie.py).

One IMMUTABLE function normalises an adres; an index on that expression serves the filter
`adres__genormaliseerd` and the lookup of an existing adres on create. No column is added:
the table is not rewritten, and the index is built without blocking writes.
"""

from django.db import migrations

# Its body may only call functions of pg_catalog, unqualified: a restore (pg_dump) builds the
# index with an empty search_path. No backslashes, so the body means the same whatever
# standard_conforming_strings says. Changing it later needs a new function name (or a REINDEX
# of the index below in the same migration): the index holds the results of this body.
FUNCTION = """
CREATE OR REPLACE FUNCTION digitaal_adres_genormaliseerd(adres text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    waarde text := regexp_replace(adres, '^[[:space:]]+|[[:space:]]+$', '', 'g');
    cijfers text;
BEGIN
    -- Not written as a telephone number (an e-mail address, anything else): case does not
    -- count.
    IF waarde !~ '^[+]?[-0-9()./[:space:]]*[0-9][-0-9()./[:space:]]*$' THEN
        RETURN lower(waarde);
    END IF;
    -- `+31 (0)6 ...`: the national trunk prefix, not dialled after a country code.
    IF waarde ~ '^([+]|00)' THEN
        waarde := replace(waarde, '(0)', '');
    END IF;
    cijfers := regexp_replace(waarde, '[^0-9]', '', 'g');
    IF left(waarde, 1) = '+' THEN
        RETURN '+' || cijfers;
    ELSIF left(cijfers, 2) = '00' THEN
        RETURN '+' || substr(cijfers, 3);
    ELSIF left(cijfers, 1) = '0' THEN
        -- A Dutch national number: +31 followed by the rest.
        RETURN '+31' || substr(cijfers, 2);
    END IF;
    RETURN cijfers;
END
$$
"""

INDEX = "digitaaladres_adres_genormaliseerd_idx"


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY runs outside a transaction.
    atomic = False

    dependencies = [
        ("partijen", "0006_adres_trigram_index"),
    ]

    operations = [
        migrations.RunSQL(
            FUNCTION, "DROP FUNCTION IF EXISTS digitaal_adres_genormaliseerd(text)"
        ),
        # What an interrupted build leaves behind (an invalid index of this name).
        migrations.RunSQL(f'DROP INDEX CONCURRENTLY IF EXISTS "{INDEX}"', migrations.RunSQL.noop),
        # Not in the model's Meta.indexes: Django has no expression for the function. The
        # index is the migration's alone; tests/partijen/test_adres_genormaliseerd.py shows
        # the filter's statement uses it.
        migrations.RunSQL(
            f'CREATE INDEX CONCURRENTLY "{INDEX}" ON "partijen_digitaaladres" '
            '(digitaal_adres_genormaliseerd("adres"))',
            f'DROP INDEX CONCURRENTLY IF EXISTS "{INDEX}"',
        ),
        # Statistics of the indexed expression: how many adressen share a normalised value.
        migrations.RunSQL("ANALYZE partijen_digitaaladres", migrations.RunSQL.noop),
    ]
