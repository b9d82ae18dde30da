"""List pages whose JSON is built by PostgreSQL, compiled from the serializers themselves.

A list view's serializer, with the request's `expand` tree, is compiled once into one SQL
expression that builds a row's representation (`json_build_object`, `json_agg` for reference
lists and expansions). A page then costs one query for its keys (filters and pagination as
before) and one statement that returns the page as JSON text, instead of model instances,
prefetch querysets and per-field rendering in Python.

The compiler walks the serializer's own fields, so the representation keeps one definition.
Field types it does not know, a `to_representation` it was not told about, or a method field
without an SQL counterpart raise `Unsupported`: that view then renders through the serializer,
never through a guess. Registers add what is theirs (polymorphic fields, computed properties,
relations behind properties) in their `sql.py` through the registries below. Tests compare
both paths on every list endpoint and expansion.
"""

import functools
import itertools
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.module_loading import autodiscover_modules
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField

from autorisatie import afscherming, vertrouwelijk
from klantinteracties.db_backend.base import cursor_for, prepared_cursor

from .fields import LOCAL_TIME_FROM, BlankAsNullCharField, ReferenceField, ResourceUrlField
from .serializers import ExpandableMixin, GroupSerializer
from .urls import API_PREFIXES, api_base


class Unsupported(Exception):
    """The serializer has a part this compiler cannot express in SQL."""


@dataclass(frozen=True)
class Relation:
    """Rows related to a parent row: `SELECT ... FROM {source} WHERE {where} ORDER BY {order}`.

    `alias` is the related model's alias inside `source`.
    """

    model: type[models.Model]
    alias: str
    source: str
    where: str
    order: str


# Registries, filled by the registers' sql.py modules.
# Field class -> compile(compiler, field, model, alias) -> SQL expression.
FIELD_COMPILERS: dict[type, Callable] = {}
# (serializer class, method name) of a SerializerMethodField -> compile(compiler, model, alias).
METHOD_COMPILERS: dict[tuple[type, str], Callable] = {}
# (model, property name) -> expression(alias) of a computed scalar.
PROPERTIES: dict[tuple[type, str], Callable[[str], str]] = {}
# (model, property name) -> relation(compiler, alias) of rows behind a property.
RELATIONS: dict[tuple[type, str], Callable] = {}
# Serializer classes whose to_representation renders every field as the plain walk does;
# any other override of to_representation is Unsupported.
PLAIN: set[type] = {serializers.Serializer, ExpandableMixin, GroupSerializer}

_TEXT_TYPES = {"CharField", "TextField", "EmailField", "URLField", "SlugField"}

_discovered = False
_lock = threading.Lock()


def discover() -> None:
    global _discovered
    if not _discovered:
        with _lock:
            if not _discovered:
                autodiscover_modules("sql")
                _discovered = True


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def base_param(api: str) -> str:
    return f"%(base_{api})s"


def base_params(request) -> dict:
    return {f"base_{api}": api_base(request, api) for api in API_PREFIXES}


def isoformat(expr: str) -> str:
    """A timestamptz as api.fields.DateTimeField renders it: local time (TIME_ZONE), ISO 8601,
    offset or Z; in UTC before 1970, where the local offset is not certain.

    Microseconds only when there are any (`.000000` cannot occur elsewhere in the text); the
    offset is the local time's distance from UTC, `Z` when none.
    """
    zone = literal(settings.TIME_ZONE)
    local = f"({expr} AT TIME ZONE {zone})"
    utc = f"({expr} AT TIME ZONE 'UTC')"
    offset = f"({local} - {utc})"
    text = "replace(to_char({}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '.000000', '')"
    return (
        f"CASE WHEN {expr} IS NULL THEN NULL"
        f" WHEN {expr} < {literal(LOCAL_TIME_FROM.isoformat())}::timestamptz"
        f" THEN {text.format(utc)} || 'Z'"
        f" ELSE {text.format(local)}"
        f" || CASE WHEN {offset} = interval '0' THEN 'Z'"
        f" WHEN {offset} < interval '0' THEN '-' || to_char(-{offset}, 'HH24:MI')"
        f" ELSE '+' || to_char({offset}, 'HH24:MI') END END"
    ).replace("%", "%%")


def reference(resource: str, api: str, uuid: str) -> str:
    return f"json_build_object('uuid', {uuid}, 'url', {reference_url(resource, api, uuid)})"


def reference_url(resource: str, api: str, uuid: str) -> str:
    return f"{base_param(api)} || {literal(resource + '/')} || {uuid}::text"


def json_object(pairs: list[tuple[str, str]]) -> str:
    """An object from (key, expression) pairs, in their order; every key is present."""
    if len(pairs) <= 50:
        args = ", ".join(f"{literal(key)}, {expr}" for key, expr in pairs)
        return f"json_build_object({args})"
    # json_build_object takes at most 100 arguments.
    members = ", ".join(
        f"{literal(json.dumps(key) + ':')} || COALESCE(to_json({expr})::text, 'null')"
        for key, expr in pairs
    )
    return f"('{{' || concat_ws(',', {members}) || '}}')::json"


def ordering(model, alias: str) -> str:
    terms = []
    for name in model._meta.ordering or ["id"]:
        descending = name.startswith("-")
        column = model._meta.get_field(name.lstrip("-")).column
        terms.append(f'{alias}."{column}"' + (" DESC" if descending else ""))
    return ", ".join(terms)


def _defining_class(cls, attribute: str):
    for klass in cls.__mro__:
        if attribute in klass.__dict__:
            return klass
    return None


class Compiler:
    def __init__(self, *, hidden: bool = False, afgeschermd: frozenset = frozenset()):
        self._aliases = 0
        # Leave out rows hanging off confidential klantcontacten (autorisatie.vertrouwelijk).
        self.hidden = hidden
        # Groups of fields rendered as their empty value (autorisatie.afscherming).
        self.afgeschermd = afgeschermd

    def alias(self) -> str:
        self._aliases += 1
        return f"t{self._aliases}"

    # Relations -------------------------------------------------------------------------

    def relation(self, model, name: str, alias: str) -> Relation:
        """The rows behind `name` on a row of `model` (forward/reverse FK or a registered
        property)."""
        custom = RELATIONS.get((model, name))
        if custom is not None:
            return self._visible(custom(self, alias))
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise Unsupported(f"{model.__name__}.{name}") from None
        child = self.alias()
        if field.many_to_one and field.concrete:
            related = field.related_model
            return self._visible(
                Relation(
                    related,
                    child,
                    f"{related._meta.db_table} {child}",
                    f'{child}."{field.target_field.column}" = {alias}."{field.column}"',
                    "",
                )
            )
        if field.one_to_many and not field.concrete:
            related = field.related_model
            remote = field.field
            relation = Relation(
                related,
                child,
                f"{related._meta.db_table} {child}",
                f'{child}."{remote.column}" = {alias}."{remote.target_field.column}"',
                ordering(related, child),
            )
            # The children of a row the request sees are seen too (its own betrokkenen).
            if vertrouwelijk.hangs_off(related, remote.name):
                return relation
            return self._visible(relation)
        raise Unsupported(f"relation {model.__name__}.{name}")

    def _visible(self, relation: Relation) -> Relation:
        """The relation without rows the request may not see (as the ORM's `visible`)."""
        condition = (
            vertrouwelijk.hidden_sql(relation.model, relation.alias) if self.hidden else None
        )
        if condition is None:
            return relation
        return replace(relation, where=f"({relation.where}) AND NOT {condition}")

    def rows(self, relation: Relation, element: str) -> str:
        """A JSON array of `element` over the relation's rows, `[]` when there are none."""
        order = f" ORDER BY {relation.order}" if relation.order else ""
        return (
            f"COALESCE((SELECT json_agg({element}{order}) FROM {relation.source} "
            f"WHERE {relation.where}), '[]'::json)"
        )

    def one(self, relation: Relation, element: str) -> str:
        """`element` of the relation's first row, or NULL."""
        order = f" ORDER BY {relation.order}" if relation.order else ""
        return f"(SELECT {element} FROM {relation.source} WHERE {relation.where}{order} LIMIT 1)"

    # Serializers -----------------------------------------------------------------------

    def serializer(self, serializer, model, alias: str, expand_tree=None, prefix: str = ""):
        defining = _defining_class(type(serializer), "to_representation")
        if defining not in PLAIN:
            raise Unsupported(f"{type(serializer).__name__}.to_representation")
        pairs = []
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            if afscherming.group_of(serializer, name) in self.afgeschermd:
                # As the serializers' own replacement: the field's empty value.
                pairs.append((name, f"{literal(json.dumps(afscherming.empty_value(field)))}::json"))
                continue
            if isinstance(serializer, GroupSerializer):
                expr = self.column(model, alias, prefix + field.source, field)
            else:
                expr = self.field(field, model, alias)
            pairs.append((name, expr))
        if expand_tree:
            pairs.append(("_expand", self.expansions(serializer, model, alias, expand_tree)))
        return json_object(pairs)

    def expansions(self, serializer, model, alias: str, tree: dict) -> str:
        pairs = []
        for name, subtree in tree.items():
            expandable = serializer.expandable[name]
            child = expandable.serializer_class()(context={}, expand_tree=subtree)
            relation = self.relation(model, expandable.relation or expandable.lookup, alias)
            element = self.serializer(child, relation.model, relation.alias, subtree)
            if expandable.many:
                pairs.append((name, self.rows(relation, element)))
            else:
                pairs.append((name, self.one(relation, element)))
        return json_object(pairs)

    # Fields ----------------------------------------------------------------------------

    def field(self, field, model, alias: str) -> str:
        """The JSON-ready expression of one field."""
        for klass in type(field).__mro__:
            custom = FIELD_COMPILERS.get(klass)
            if custom is not None:
                return custom(self, field, model, alias)
        if isinstance(field, serializers.SerializerMethodField):
            parent = type(field.parent)
            for klass in parent.__mro__:
                custom = METHOD_COMPILERS.get((klass, field.method_name))
                if custom is not None:
                    return custom(self, model, alias)
            raise Unsupported(f"{parent.__name__}.{field.method_name}")
        if isinstance(field, ResourceUrlField):
            return reference_url(field.resource, field.api, f"{alias}.uuid")
        if isinstance(field, BlankAsNullCharField):
            return f"NULLIF({self.column(model, alias, field.source, field)}, '')"
        if isinstance(field, ManyRelatedField):
            child = field.child_relation
            if not isinstance(child, ReferenceField):
                raise Unsupported(type(child).__name__)
            relation = self.relation(model, self._source(field), alias)
            element = reference(child.resource, child.api, f"{relation.alias}.uuid")
            return self.rows(relation, element)
        if isinstance(field, ReferenceField):
            relation = self.relation(model, self._source(field), alias)
            return self.one(
                relation, reference(field.resource, field.api, f"{relation.alias}.uuid")
            )
        if isinstance(field, serializers.ListSerializer):
            relation = self.relation(model, self._source(field), alias)
            element = self.serializer(field.child, relation.model, relation.alias)
            return self.rows(relation, element)
        if isinstance(field, GroupSerializer):
            return self.serializer(field, model, alias, prefix=field.prefix)
        if isinstance(field, serializers.BaseSerializer):
            if field.source == "*":
                return self.serializer(field, model, alias)
            relation = self.relation(model, self._source(field), alias)
            return self.one(relation, self.serializer(field, relation.model, relation.alias))
        return self.column(model, alias, field.source, field)

    @staticmethod
    def _source(field) -> str:
        if field.source == "*" or "." in field.source:
            raise Unsupported(f"source {field.source}")
        return field.source

    def column(self, model, alias: str, source: str, field) -> str:
        """A scalar: a column, a computed property, or a column reached through FKs."""
        head, _, rest = source.partition(".")
        if rest:
            relation = self.relation(model, head, alias)
            expr = self.column(relation.model, relation.alias, rest, field)
            return f"(SELECT {expr} FROM {relation.source} WHERE {relation.where})"
        computed = PROPERTIES.get((model, head))
        if computed is not None:
            return self._scalar(field, computed(alias), None)
        try:
            model_field = model._meta.get_field(head)
        except FieldDoesNotExist:
            raise Unsupported(f"{model.__name__}.{head}") from None
        if not model_field.concrete or model_field.is_relation:
            raise Unsupported(f"{model.__name__}.{head} is not a column")
        return self._scalar(field, f'{alias}."{model_field.column}"', model_field)

    @staticmethod
    def _scalar(field, raw: str, model_field) -> str:
        internal = model_field.get_internal_type() if model_field is not None else None
        if isinstance(field, serializers.DateTimeField):
            if getattr(field, "format", None) not in (None, serializers.empty, "iso-8601"):
                raise Unsupported("datetime format")
            return isoformat(raw)
        if isinstance(field, serializers.CharField | serializers.ChoiceField):
            if internal is not None and internal not in _TEXT_TYPES:
                return f"{raw}::text"
            return raw
        if isinstance(
            field,
            serializers.IntegerField
            | serializers.BooleanField
            | serializers.UUIDField
            | serializers.JSONField
            | serializers.DictField,
        ):
            return raw
        if isinstance(field, serializers.DateField) and internal == "DateField":
            return raw
        raise Unsupported(type(field).__name__)


KEYS_PARAM = "%(keys)s::bigint[]"


@dataclass(frozen=True)
class PageSql:
    """The statement that renders rows (by primary key, in the given order) as a JSON array."""

    sql: str

    def render(self, connection, keys: list, request, record=None) -> str:
        """The JSON of the rows `keys`. `record`: a statement written with it (see
        render_selected)."""
        params = base_params(request)
        params["keys"] = list(keys)
        sql = self.sql
        if record is not None:
            sql = f"WITH {record.ctes(KEYS_PARAM)} {sql}"
            record.bind(params)
        with prepared_cursor(connection) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def render_selected(
        self,
        connection,
        keys_sql: str,
        keys_params: list,
        request,
        total_sql: str | None = None,
        total_params: list = (),
        prepared: bool = True,
        record=None,
    ):
        """The keys `keys_sql` selects (in its order) and their JSON, in one statement.

        `keys_sql` is a Django statement (`%s` placeholders, `%%` for a literal `%`); its
        keys are collected with ARRAY(...), which keeps the subquery's order. With
        `total_sql` (a statement of at most one row and column, such as a kept count) the
        same statement also returns its value, 0 for no row; else the third value is None.

        `record`: what the read writes with it, in the same statement (the processing log's
        record of the read, logboek.vastleggen.LeesRecord): `record.ctes(keys)` gives
        data-modifying CTEs for an SQL expression of the keys, whose parameters
        `record.bind(params)` adds (and marks the record used).
        """
        ctes = record.ctes(_SELECTED_KEYS) if record is not None else None
        sql = _selected_sql(self.sql, keys_sql, total_sql, ctes)
        params = base_params(request)
        params.update({f"_k{i}": value for i, value in enumerate(keys_params)})
        params.update({f"_t{i}": value for i, value in enumerate(total_params)})
        if record is not None:
            record.bind(params)
        # Prepared only when the keys' statement is (keystatements.selective): else planned
        # for its values.
        with cursor_for(connection, prepared) as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return row[0], row[1], (row[2] if total_sql is not None else None)


_DJANGO_PARAM = re.compile(r"%%|%s")
# The selected keys, for a statement written with them.
_SELECTED_KEYS = "(SELECT keys FROM _selected)::bigint[]"


def _named(sql: str, prefix: str) -> str:
    # Django's `%s` placeholders as `%(<prefix>0)s`, `%(<prefix>1)s`, ...; `%%` kept.
    names = itertools.count()
    return _DJANGO_PARAM.sub(
        lambda m: "%%" if m.group(0) == "%%" else f"%({prefix}{next(names)})s", sql
    )


@functools.lru_cache(maxsize=1024)
def _selected_sql(
    page_sql: str, keys_sql: str, total_sql: str | None = None, ctes: str | None = None
) -> str:
    """`render_selected`'s statement, built once per page, key and total statement: the key
    statement's `%s` become `%(_k0)s`, `%(_k1)s`, ... (the total's `%(_t0)s`, ...) and the
    page reads its keys from it. OFFSET 0 keeps the subquery from being pulled up: PostgreSQL
    would then copy ARRAY(...) into each place that reads the keys and run the key query
    twice. With `ctes` (that read the keys as `_SELECTED_KEYS`) the keys are a
    materialized CTE, read once by the page and by them."""
    page = page_sql.replace(KEYS_PARAM, "_selected.keys")
    total = f", COALESCE(({_named(total_sql, '_t')}), 0)" if total_sql is not None else ""
    keys = f"SELECT ARRAY({_named(keys_sql, '_k')}) AS keys"
    if ctes is not None:
        return (
            f"WITH _selected AS MATERIALIZED ({keys}), {ctes} "
            f"SELECT _selected.keys, ({page}){total} FROM _selected"
        )
    return f"SELECT _selected.keys, ({page}){total} FROM ({keys} OFFSET 0) _selected"


class KeysQuerySet(models.QuerySet):
    """`values_list("pk", flat=True)` of a list: what keystatements.py compiles per shape.

    Its statements run unprepared, through the ORM: PostgreSQL plans each for its values.
    """


def keys_of(queryset, field: str = "pk") -> KeysQuerySet:
    keys = queryset.values_list(field, flat=True)
    keys.__class__ = KeysQuerySet
    return keys


_compiled: dict = {}


def page_sql(
    serializer_class, model, expand_tree: dict, *, hidden=False, afgeschermd=frozenset()
) -> PageSql | None:
    """The compiled page statement of a serializer and expand tree; None when Unsupported.

    `hidden`: rows hanging off confidential klantcontacten are left out of related rows;
    `afgeschermd`: the groups of fields rendered empty."""
    key = (
        serializer_class,
        model,
        json.dumps(expand_tree, sort_keys=True),
        hidden,
        tuple(sorted(afgeschermd)),
    )
    try:
        return _compiled[key]
    except KeyError:
        pass
    discover()
    try:
        compiler = Compiler(hidden=hidden, afgeschermd=frozenset(afgeschermd))
        alias = compiler.alias()
        serializer = serializer_class(context={}, expand_tree=expand_tree)
        element = compiler.serializer(serializer, model, alias, expand_tree)
        pk = model._meta.pk.column
        sql = (
            f"SELECT COALESCE(json_agg({element} ORDER BY _page.n), '[]'::json)::text "
            f"FROM unnest({KEYS_PARAM}) WITH ORDINALITY AS _page(key, n) "
            f'JOIN {model._meta.db_table} {alias} ON {alias}."{pk}" = _page.key'
        )
        result = PageSql(sql)
    except Unsupported:
        result = None
    _compiled[key] = result
    return result


def through(compiler: Compiler, alias: str, link_model, parent: str, target: str) -> Relation:
    """The `target` rows linked to a row through `link_model` (FK `parent` to the row), in
    the order of the links.

    Each link's target is looked up by its key (a LATERAL subquery, which the planner keeps
    as a nested loop): a plain join lets it hash a small target table (a few dozen actoren)
    again for every row of the page.
    """
    link = compiler.alias()
    child = compiler.alias()
    lookup = compiler.alias()
    parent_fk = link_model._meta.get_field(parent)
    target_fk = link_model._meta.get_field(target)
    related = target_fk.related_model
    return Relation(
        related,
        child,
        f"{link_model._meta.db_table} {link} CROSS JOIN LATERAL (SELECT * FROM "
        f"{related._meta.db_table} {lookup} "
        f'WHERE {lookup}."{target_fk.target_field.column}" = {link}."{target_fk.column}" '
        f"LIMIT 1) {child}",
        f'{link}."{parent_fk.column}" = {alias}."{parent_fk.target_field.column}"',
        ordering(link_model, link),
    )


def volledige_naam(alias: str, prefix: str = "contactnaam_") -> str:
    """`klantinteracties.common.models.volledige_naam` of a row's contactnaam columns."""
    first = f"COALESCE(NULLIF({alias}.{prefix}voornaam, ''), {alias}.{prefix}voorletters)"
    return (
        f"concat_ws(' ', NULLIF({first}, ''), NULLIF({alias}.{prefix}voorvoegsel_achternaam, ''), "
        f"NULLIF({alias}.{prefix}achternaam, ''))"
    )


def polymorphic(
    compiler: Compiler, model, alias: str, column: str, shapes: dict, *, empty_as_null=False
) -> str:
    """`CASE column WHEN value THEN <object of that shape's serializer> ... END`; with
    `empty_as_null`, NULL for a row none of whose columns of that shape holds a value."""
    branches = []
    for value, serializer_class in shapes.items():
        shape = compiler.serializer(serializer_class(context={}), model, alias)
        if empty_as_null:
            columns = [
                model._meta.get_field(name).column for name in serializer_class._declared_fields
            ]
            empty = " AND ".join(f"""COALESCE({alias}."{c}", '') = ''""" for c in columns)
            shape = f"CASE WHEN {empty} THEN NULL ELSE {shape} END"
        branches.append(f"WHEN {literal(str(value))} THEN {shape}")
    return f'CASE {alias}."{column}" {" ".join(branches)} END'
