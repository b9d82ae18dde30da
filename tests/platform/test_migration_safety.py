"""Every migration can run while the previous version serves (klantinteracties/
veilige_migraties.py): a new migration that would block the load or break the old code fails
here."""

import pytest

from klantinteracties.veilige_migraties import BEKEND, alle_bevindingen, bevindingen


@pytest.mark.django_db(transaction=True)
def test_no_migration_is_unsafe_for_a_running_version():
    gevonden = alle_bevindingen()
    nieuw = {key: found for key, found in gevonden.items() if key not in BEKEND}
    assert not nieuw, (
        "Unsafe while the old version serves (docs/operations.md, 'Migrations'): "
        + "; ".join(f"{app}.{name}: {', '.join(found)}" for (app, name), found in nieuw.items())
    )
    # The list of older ones only shrinks.
    assert set(BEKEND) <= set(gevonden)


@pytest.mark.parametrize(
    "sql",
    [
        ['CREATE INDEX "partij_x_idx" ON "partijen_partij" ("nummer");'],
        ['CREATE UNIQUE INDEX "partij_x_uniq" ON "partijen_partij" ("nummer");'],
        ['ALTER TABLE "partijen_partij" ADD COLUMN "x" integer NOT NULL;'],
        [
            'ALTER TABLE "partijen_partij" ADD COLUMN "x" integer DEFAULT 0 NOT NULL;'
            ' ALTER TABLE "partijen_partij" ALTER COLUMN "x" DROP DEFAULT;'
        ],
        ['ALTER TABLE "partijen_partij" ALTER COLUMN "nummer" TYPE text;'],
        ['ALTER TABLE "partijen_partij" ALTER COLUMN "nummer" SET NOT NULL;'],
        ['ALTER TABLE "partijen_partij" DROP COLUMN "nummer" CASCADE;'],
        ['ALTER TABLE "partijen_partij" RENAME COLUMN "nummer" TO "n";'],
        [
            'ALTER TABLE "partijen_partij" ADD CONSTRAINT "x_fk" FOREIGN KEY ("x_id")'
            ' REFERENCES "partijen_partij" ("id") DEFERRABLE INITIALLY DEFERRED;'
        ],
        ['ALTER TABLE "partijen_partij" ADD CONSTRAINT "x_check" CHECK ("x" > 0);'],
        ['ALTER TABLE "partijen_partij" ADD CONSTRAINT "x_uniq" UNIQUE ("nummer");'],
        ['DROP INDEX "partij_x_idx";'],
        ['DROP TABLE "partijen_partij" CASCADE;'],
    ],
)
def test_what_would_block_or_break_is_found(sql):
    assert bevindingen(sql)


@pytest.mark.parametrize(
    "sql",
    [
        ['CREATE INDEX CONCURRENTLY "partij_x_idx" ON "partijen_partij" ("nummer");'],
        ['ALTER TABLE "partijen_partij" ADD COLUMN "x" integer NULL;'],
        ['ALTER TABLE "partijen_partij" ADD COLUMN "x" integer DEFAULT 0 NOT NULL;'],
        [
            'ALTER TABLE "partijen_partij" ADD CONSTRAINT "x_check" CHECK ("x" > 0) NOT VALID;',
            'ALTER TABLE "partijen_partij" VALIDATE CONSTRAINT "x_check";',
        ],
        ['DROP INDEX CONCURRENTLY IF EXISTS "partij_x_idx";'],
        # A table of the same migration: nobody uses it yet.
        [
            'CREATE TABLE "nieuw_t" ("id" bigint NOT NULL PRIMARY KEY, "x_id" bigint NOT NULL);',
            'ALTER TABLE "nieuw_t" ADD CONSTRAINT "x_fk" FOREIGN KEY ("x_id")'
            ' REFERENCES "partijen_partij" ("id") DEFERRABLE INITIALLY DEFERRED;',
            'CREATE INDEX "nieuw_t_x_id" ON "nieuw_t" ("x_id");',
        ],
        # A function body is not taken for statements of the migration.
        [
            "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n"
            "  ALTER TABLE t DROP COLUMN x;\nRETURN NEW; END $$;"
        ],
    ],
)
def test_what_is_safe_passes(sql):
    assert bevindingen(sql) == []
