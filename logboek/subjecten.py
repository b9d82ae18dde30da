"""Whose data a response or a change concerns: the data subjects of objects, in SQL.

A model names its subjects in `SUBJECTEN`: paths (Django lookups) from it to the models
that are subjects themselves (`SUBJECT_SOORT`), "" for itself. A klantcontact's subjects are
the partijen of its betrokkenen (`("betrokkenen__partij",)`). Through `expand`, the expanded
objects' subjects count too: their paths prefixed with the expansion's relation.

A partij's BSN, KVK-nummer or RSIN (`SUBJECT_IDENTIFICATOREN`) is recorded as a keyed hash,
HMAC-SHA256 under LOGBOEK_SLEUTEL, of `<soort>:<nummer>`. PostgreSQL computes it in the
statement that writes the log (HMAC from its built-in sha256 and the key's two pads), so a
page of 100 partijen is logged in one statement; `identificator_hash()` gives the same value
in Python, for a lookup by BSN.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL

from autorisatie import vertrouwelijk

# The keys' parameter in a subject query: the same as a page statement's.
from klantinteracties.api.sqljson import KEYS_PARAM

# Marks the key array in the SQL compiled from a queryset.
_KEYS = ["__logboek_keys__"]


def _key() -> bytes:
    key = settings.LOGBOEK_SLEUTEL.encode()
    # HMAC: a key longer than the block is hashed first.
    return hashlib.sha256(key).digest() if len(key) > 64 else key


def identificator_hash(soort: str, waarde: str) -> bytes:
    """The keyed hash under which a partij's number is in the log."""
    return hmac.new(_key(), f"{soort}:{waarde.strip()}".encode(), hashlib.sha256).digest()


def hmac_pads() -> dict:
    """The inner and outer pads of HMAC-SHA256 for the key, as the statement's parameters."""
    return dict(_pads(settings.LOGBOEK_SLEUTEL))


@cache
def _pads(sleutel: str) -> tuple:
    key = _key().ljust(64, b"\0")
    return (("ipad", bytes(b ^ 0x36 for b in key)), ("opad", bytes(b ^ 0x5C for b in key)))


def _target(model, path: str):
    for part in filter(None, path.split("__")):
        model = model._meta.get_field(part).related_model
    return model


def subject_paths(model, serializer_class=None, tree: dict | None = None, prefix: str = ""):
    """`(subject model, path from the top model)` for a model and its expansions."""
    found = []
    for path in getattr(model, "SUBJECTEN", ()):
        full = "__".join(part for part in (prefix.rstrip("_"), path) if part)
        found.append((_target(model, path), full))
    for name, subtree in (tree or {}).items():
        expandable = serializer_class.expandable[name]
        child = expandable.serializer_class()
        found += subject_paths(
            child.Meta.model, child, subtree, prefix=f"{prefix}{expandable.path}__"
        )
    return found


def _collapse(model, path: str) -> str:
    """The path without detours to a related object and back (`onderwerpobjecten__klantcontact`
    from a klantcontact is the klantcontact itself)."""
    parts = [part for part in path.split("__") if part]
    out, current = [], model
    for part in parts:
        field = current._meta.get_field(part)
        if out and not field.auto_created and out[-1][1] is not None:
            previous, remote = out[-1][1], field
            if previous.one_to_many and previous.field is remote:
                current = out.pop()[2]
                continue
        out.append((part, field if field.auto_created and not field.concrete else None, current))
        current = field.related_model
    return "__".join(part for part, _, _ in out)


# The keys as an array PostgreSQL sees only when it runs the statement: every plan, custom or
# generic, estimates the same number of keys, so it settles on the generic plan (a custom plan
# of one key looks cheaper than the generic one, and planning it costs more than running it).
_ANY_KEYS = f"= ANY(ARRAY(SELECT unnest({KEYS_PARAM})))"


def _from_related(model, path: str):
    """A path that starts with a relation to many (a reverse foreign key, a many-to-many)
    as a query of the related table itself: `(model, key field, rest of the path, lead)`;
    the table of `model` then need not be read at all. Else `(model, "pk", path, lead)`.
    `lead`: the lookup from the source's rows to the path's first related rows (a lookup on
    a row of them is `lead` and the rest of the path)."""
    first, _, rest = path.partition("__")
    if not first:
        return model, "pk", path, None
    field = model._meta.get_field(first)
    if field.one_to_many:
        return field.related_model, field.field.name, rest or "pk", ""
    if field.many_to_many and field.concrete:
        through = field.remote_field.through
        target = field.m2m_reverse_field_name()
        return through, field.m2m_field_name(), f"{target}__{rest}" if rest else target, target
    return model, "pk", path, first


def _unseen(model, path: str, lead: str | None) -> dict:
    """Conditions (a filter on the source of `_from_related`) that leave out the rows on the
    path an application without `klantcontacten.vertrouwelijk` does not see: hops to rows of
    a confidential klantcontact that do not follow from the rows before them
    (autorisatie.vertrouwelijk.seen_through). The objects themselves are seen."""
    parts = [part for part in path.split("__") if part]
    conditions, current = {}, model
    for index, part in enumerate(parts):
        field = current._meta.get_field(part)
        related = field.related_model
        if related is None:
            break
        if not vertrouwelijk.seen_through(current, field):
            prefix = [lead, *parts[1 : index + 1]] if lead else parts[1 : index + 1]
            lookup = "__".join([*prefix, vertrouwelijk.hidden_lookup(related)])
            conditions[lookup] = False
        current = related
    return conditions


def _path_sql(model, path: str, verborgen: bool = False) -> str:
    """`SELECT <subject key> FROM <model> ... WHERE pk = ANY(the keys)`, keys as %(keys)s;
    `verborgen`: without what hangs off a confidential klantcontact."""
    source, key, rest, lead = _from_related(model, path)
    unseen = _unseen(model, path, lead) if verborgen else {}
    rows = (
        source._base_manager.filter(
            **{f"{key}__in": RawSQL("SELECT unnest(%s::bigint[])", [_KEYS])}, **unseen
        )
        .order_by()
        .values_list(rest or "pk")
    )
    sql, params = rows.query.sql_with_params()
    if any(param is not _KEYS for param in params) or "%%" in sql:
        raise ValueError(f"Onverwachte parameters in het subjectpad {model.__name__}.{path}.")
    # `= ANY(array)`: no subquery to plan (the statement is planned at every execution).
    return sql.replace("IN (SELECT unnest(%s::bigint[]))", _ANY_KEYS)


def _identificator_sql(subject_model, alias: str) -> tuple[str, str]:
    """The LATERAL join that finds a partij's preferred number, and its hash expression."""
    spec = getattr(subject_model, "SUBJECT_IDENTIFICATOREN", None)
    if spec is None:
        return "", "''::text, NULL::bytea"
    relation = subject_model._meta.get_field(spec["relatie"])
    related = relation.related_model
    table = connection.ops.quote_name(related._meta.db_table)
    column = related._meta.get_field
    fk = connection.ops.quote_name(column(relation.field.name).column)
    soort = connection.ops.quote_name(column(spec["soort"]).column)
    waarde = connection.ops.quote_name(column(spec["waarde"]).column)
    voorkeur = ",".join(f"'{value}'" for value in spec["voorkeur"])
    conditions = "".join(
        f" AND {connection.ops.quote_name(column(name).column)} IS NULL"
        for name in spec.get("zonder", ())
    )
    lateral = (
        f" LEFT JOIN LATERAL (SELECT {soort} AS soort, btrim({waarde}) AS waarde FROM {table}"
        f" WHERE {fk} = {alias}.id AND {soort} IN ({voorkeur}){conditions}"
        f" ORDER BY array_position(ARRAY[{voorkeur}]::text[], {soort}::text), id LIMIT 1)"
        " ident ON true"
    )
    digest = (
        "coalesce(ident.soort, ''), sha256(%(opad)s::bytea || sha256(%(ipad)s::bytea"
        " || convert_to(ident.soort || ':' || ident.waarde, 'UTF8')))"
    )
    return lateral, digest


@dataclass(frozen=True)
class SubjectQuery:
    """The subjects of a set of objects of one model (with an expand tree), as one SELECT of
    `(soort, uuid, identificator_soort, identificator_hash)` with parameters %(keys)s (the
    objects' keys), %(ipad)s and %(opad)s."""

    sql: str

    @property
    def empty(self) -> bool:
        return not self.sql


@cache
def _subject_query(model, serializer_class, tree_json: str, verborgen: bool) -> SubjectQuery:
    tree = json.loads(tree_json)
    by_subject: dict = {}
    found = subject_paths(model, serializer_class, tree)
    own = {path for _, path in found}
    for subject_model, path in found:
        collapsed = _collapse(model, path)
        # A detour that ends where a path of the object itself does adds no subject.
        by_subject.setdefault(subject_model, []).append(collapsed if collapsed in own else path)
    selects = []
    for subject_model, paths in by_subject.items():
        table = connection.ops.quote_name(subject_model._meta.db_table)
        paths = list(dict.fromkeys(paths))
        if paths == [""]:
            where = f"subject.id {_ANY_KEYS}"
        else:
            union = " UNION ".join(_path_sql(model, path, verborgen) for path in paths)
            where = f"subject.id IN ({union})"
        lateral, identificator = _identificator_sql(subject_model, "subject")
        selects.append(
            f"SELECT '{subject_model.SUBJECT_SOORT}'::text, subject.uuid, {identificator}"
            f" FROM {table} subject{lateral} WHERE {where}"
        )
    return SubjectQuery(" UNION ALL ".join(selects))


def subject_query(model, serializer_class=None, tree: dict | None = None) -> SubjectQuery:
    """For the current request: what it does not see (a confidential klantcontact, when it
    may not see those) concerns no one here."""
    return _subject_query(
        model, serializer_class, json.dumps(tree or {}, sort_keys=True), vertrouwelijk.hidden()
    )


def subjects_of(model, keys, serializer_class=None, tree=None) -> list[tuple]:
    """The subjects of these objects now, as rows (before a change takes them away)."""
    query = subject_query(model, serializer_class, tree)
    if query.empty or not keys:
        return []
    with connection.cursor() as cursor:
        cursor.execute(query.sql, {"keys": list(keys), **hmac_pads()})
        return [(soort, uuid, isoort, bytes(h) if h else None) for soort, uuid, isoort, h in cursor]
