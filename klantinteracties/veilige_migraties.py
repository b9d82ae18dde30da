"""Which migrations can run while the previous version still serves (docs/operations.md).

A deployment migrates first and then replaces the app nodes, so for a while the old code runs
against the new schema, under load. A migration is safe when it neither blocks that load for
long (a table rewrite, a scan or an index build under a lock that stops writes) nor breaks
the old code (a column it does not know that it must fill, a column or table it still uses
that is gone). Judged from the SQL Django runs for the migration, statement by statement;
whatever happens to a table created in the same migration is safe (nobody uses it yet).
"""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader


def _project_apps() -> set[str]:
    """The labels of the apps in this repository (not those of installed packages)."""
    root = Path(settings.BASE_DIR).resolve()
    return {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(root)
        and ".venv" not in Path(config.path).resolve().relative_to(root).parts
    }


_NAAM = r'"?([\w]+)"?'
_CREATE_TABLE = re.compile(rf"^CREATE (?:UNLOGGED )?TABLE (?:IF NOT EXISTS )?{_NAAM}", re.I)
_ALTER_TABLE = re.compile(rf"^ALTER TABLE (?:ONLY )?(?:IF EXISTS )?{_NAAM}\s+(.*)$", re.I | re.S)
_CREATE_INDEX = re.compile(
    rf"^CREATE (?:UNIQUE )?INDEX (CONCURRENTLY )?(?:IF NOT EXISTS )?{_NAAM} ON (?:ONLY )?{_NAAM}",
    re.I,
)
_DROP_INDEX = re.compile(r"^DROP INDEX (CONCURRENTLY )?", re.I)
_DROP_TABLE = re.compile(rf"^DROP TABLE (?:IF EXISTS )?{_NAAM}", re.I)

# What an ALTER TABLE on a table in use may not do, and why.
_ALTER_REGELS = [
    (
        re.compile(
            r"\bADD COLUMN\b(?:(?!\bDEFAULT\b).)*\bNOT NULL\b(?:(?!\bDEFAULT\b).)*$", re.I | re.S
        ),
        "adds a NOT NULL column without a default: the old version's INSERTs fail",
    ),
    (
        re.compile(r"\bALTER COLUMN \S+ DROP DEFAULT\b", re.I),
        "drops a column's default: the old version's INSERTs of a new column fail (use db_default)",
    ),
    (
        re.compile(r"\bALTER COLUMN \S+ (?:SET DATA )?TYPE\b", re.I),
        "changes a column's type: may rewrite the table under an exclusive lock",
    ),
    (
        re.compile(r"\bALTER COLUMN \S+ SET NOT NULL\b", re.I),
        "sets NOT NULL: scans the table under an exclusive lock",
    ),
    (re.compile(r"\bDROP COLUMN\b", re.I), "drops a column the old version still uses"),
    (re.compile(r"\bRENAME\b", re.I), "renames what the old version still uses"),
    (
        re.compile(
            r"\bADD CONSTRAINT\b(?:(?!\bNOT VALID\b).)*\b(?:FOREIGN KEY|CHECK)\b"
            r"(?:(?!\bNOT VALID\b).)*$",
            re.I | re.S,
        ),
        "adds a constraint that checks every row under a lock (add it NOT VALID, then"
        " VALIDATE in a migration of its own)",
    ),
    (
        re.compile(r"\bADD CONSTRAINT\b.*\b(?:UNIQUE|PRIMARY KEY|EXCLUDE)\b", re.I | re.S),
        "builds an index under a lock that blocks writes (CREATE UNIQUE INDEX CONCURRENTLY,"
        " then ADD CONSTRAINT ... USING INDEX)",
    ),
]


def _statements(sql: list[str]) -> list[str]:
    out = []
    for chunk in sql:
        # Comments Django adds ("-- Add field x to y") and several statements in one RunSQL.
        text = "\n".join(line for line in chunk.splitlines() if not line.lstrip().startswith("--"))
        for statement in re.split(r";\s*(?:\n|$)(?=(?:[^$]*\$\$[^$]*\$\$)*[^$]*$)", text):
            statement = " ".join(statement.split())
            if statement:
                out.append(statement)
    return out


def bevindingen(sql: list[str]) -> list[str]:
    """What in these statements (one migration's, forward) is unsafe while the old version
    serves."""
    nieuw: set[str] = set()
    gevonden = []
    for statement in _statements(sql):
        if match := _CREATE_TABLE.match(statement):
            nieuw.add(match[1].lower())
            continue
        if match := _CREATE_INDEX.match(statement):
            if not match[1] and match[3].lower() not in nieuw:
                gevonden.append(
                    f"builds index {match[2]} without CONCURRENTLY: blocks writes to {match[3]}"
                )
            continue
        if match := _DROP_INDEX.match(statement):
            if not match[1]:
                gevonden.append("drops an index without CONCURRENTLY: waits for an exclusive lock")
            continue
        if match := _DROP_TABLE.match(statement):
            if match[1].lower() not in nieuw:
                gevonden.append(f"drops table {match[1]}, which the old version still uses")
            continue
        if match := _ALTER_TABLE.match(statement):
            if match[1].lower() in nieuw:
                continue
            for regel, waarom in _ALTER_REGELS:
                if regel.search(match[2]):
                    gevonden.append(f"{match[1]}: {waarom}")
    return gevonden


# Written before this check existed, each with what an upgrade across it costs. No migration
# joins this list: a new one is made safe instead (docs/operations.md, "Migrations").
BEKEND = {
    ("api", "0002_token_applicatie"): "api_token holds a few rows: its locks last microseconds",
    ("autorisatie", "0003_afgeschermd"): "an application saved in the admin by the old"
    " version during the upgrade fails; retry after it",
    ("taken", "0004_toewijzing_werklijst"): "blocks writes of toewijzingen for the index build",
    ("taken", "0006_toewijzing_taak_idx"): "blocks writes of toewijzingen while the foreign"
    " key is checked and the index built",
    ("taken", "0008_actor_taken_telling"): "the old version's new toewijzingen fail during the"
    " upgrade",
    ("taken", "0011_werklijst_vertrouwelijk"): "the old version's new toewijzingen fail during"
    " the upgrade",
}


def alle_bevindingen() -> dict[tuple[str, str], list[str]]:
    """Every migration of the project's apps with what is unsafe in it. An initial migration
    is not judged: it creates the tables, nothing serves yet."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    project = _project_apps()
    uitkomst = {}
    for key in sorted(loader.disk_migrations):
        migration = loader.graph.nodes[key]
        if key[0] not in project or migration.initial:
            continue
        if found := bevindingen(loader.collect_sql([(migration, False)])):
            uitkomst[key] = found
    return uitkomst
