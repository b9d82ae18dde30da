"""The key statements of a list's first page, compiled once per filter shape.

A filtered list costs more to build and compile as an ORM query (a filter set, an `EXISTS`
per identificator group, Django's compiler) than PostgreSQL needs to run it. The statement's
text depends on which filters a request uses, on a few values that change its structure
(`true`/`false`, an empty value) and on the page size; the other values (strings, uuids,
integers) only ever travel as parameters. So per shape the key query (the first page, and
the count of all keys for a full first page) is built once, with a stand-in for each such
value, and compiled; later requests of the same shape bind their values to those statements.

A shape with a selective filter (a uuid or url, an objectId, a nummer, an adres: any value
matches few rows), or with no values at all, is also prepared once per connection and runs
with the plan PostgreSQL settles on for it. A shape whose values are all of other filters is
planned for each request's values: the best plan for `codeSoortObjectId=rsin` (a few rows)
and for `=bsn` (most of them) differ, and a generic one can walk a million klantcontacten to
find nothing.

A shape is only reused when that is safe to assume:
- every filter with a bound value passes it to the query unchanged: django-filter's own
  `Filter.filter` (and `ChoiceFilter` without a null choice), or a filter method marked with
  `filters.passes_value` (the filter set's own filtering then uses the value as a parameter
  only, never branches on it);
- every stand-in appears among the compiled parameters unchanged (a filter that transforms its
  value, e.g. `icontains` into `%value%`, or parses a url, makes its shape uncached);
- building the query with the request's real values gives the same text and, bound, the same
  parameters (a filter method that branches on its value is caught here, or raises or returns
  nothing for a stand-in that matches no branch);
- building it raised nothing and could be compiled (`none()` is never cached).
Anything else goes through the ORM, as every other page does.
"""

import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db.models.query import FlatValuesListIterable

from klantinteracties.db_backend.base import cursor_for

from .filters import ORDERING
from .sqljson import KeysQuerySet

logger = logging.getLogger(__name__)

# Values bound as parameters; anything else (booleans, None, "", lists, dates) is part of
# the shape itself or makes the request's shape uncached.
SLOT_TYPES = (str, uuid.UUID, int)

_statements: dict = {}
STATEMENTS_MAX = 2048


@dataclass(frozen=True)
class Slot:
    """A statement parameter taken from the named filter's value."""

    name: str


# Filters (the last part of the name) whose every value selects few rows: a reference, an
# identifier. `...ObjectId` is one too (`bijlageidentificatorObjectId`), `...SoortObjectId`
# (a code) is not.
SELECTIVE_NAMES = {"uuid", "url", "objectId", "nummer", "adres", "iban"}


def selective(names) -> bool:
    """Whether a shape with values for these filters selects few rows whatever the values."""
    for name in names:
        last = name.split("__")[-1]
        if last in SELECTIVE_NAMES or (
            last.endswith("ObjectId") and not last.endswith("SoortObjectId")
        ):
            return True
    return False


@dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple  # constants, and a Slot for each filter value
    prepared: bool = True

    def bind(self, values: dict) -> list:
        return [values[p.name] if isinstance(p, Slot) else p for p in self.params]

    def rows(self, connection, values: dict) -> list:
        with cursor_for(connection, self.prepared) as cursor:
            cursor.execute(self.sql, self.bind(values))
            return cursor.fetchall()


@dataclass(frozen=True)
class KeyStatement:
    """The first page's keys, and the count of all keys, of one filter shape."""

    page: Statement
    count: Statement
    # The page's keys are its only column (DISTINCT adds the ordering columns): its JSON can
    # be rendered by the same statement.
    single_column: bool = True
    # The count is a kept number (the view's total queryset), not a count of the keys: cheap
    # enough to read with every first page, full or not.
    kept_count: bool = False

    def keys(self, connection, values: dict) -> list:
        return [row[0] for row in self.page.rows(connection, values)]

    def keys_and_page(self, connection, values: dict, page_sql, request, record=None):
        """The first page's keys, their JSON (`sqljson.PageSql`) and, for a kept count, the
        total: in one statement when the keys are its only column; else the keys alone and
        two Nones. `record`: written by that statement (PageSql.render_selected)."""
        if not self.single_column:
            return self.keys(connection, values), None, None
        total = self.count if self.kept_count else None
        return page_sql.render_selected(
            connection,
            self.page.sql,
            self.page.bind(values),
            request,
            total_sql=total.sql if total else None,
            total_params=total.bind(values) if total else (),
            prepared=self.page.prepared,
            record=record,
        )

    def total(self, connection, values: dict) -> int:
        rows = self.count.rows(connection, values)
        return rows[0][0] if rows else 0


def shape_of(values: dict, bindable: set[str]) -> tuple | None:
    """What of the filter values shapes the statement; None when a value cannot be bound.

    `bindable`: the filters known to use their value as a query parameter only
    (`filters.value_parameters`); any other filter with a value leaves the request uncached.
    """
    shape = []
    for name, value in values.items():
        if name == ORDERING and isinstance(value, list) and all(isinstance(v, str) for v in value):
            # The order is part of the statement's text, never a parameter.
            shape.append((name, "=", tuple(value)))
        elif value is None or value == "" or isinstance(value, bool):
            shape.append((name, "=", value))
        elif type(value) in SLOT_TYPES and name in bindable:
            shape.append((name, type(value).__name__))
        else:
            return None
    return tuple(shape)


def key_statement(
    key: tuple,
    values: dict,
    build: Callable[[dict], object],
    page_size: int,
    build_total: Callable[[dict], object] | None = None,
) -> KeyStatement | None:
    """The statements for `key` (the view's and the values' shape), compiled on first use.

    `build(values)` returns the list's key queryset for the given filter values;
    `build_total(values)`, when given, a key queryset of at most one row holding the number
    of keys (a count kept elsewhere; no row means none), or None: then the keys are counted.
    Both are only called to compile a shape.
    """
    try:
        return _statements[key]
    except KeyError:
        pass
    statement = _compile(values, build, page_size, build_total)
    if len(_statements) >= STATEMENTS_MAX:
        _statements.clear()
    _statements[key] = statement
    return statement


def _compile(values: dict, build, page_size: int, build_total=None) -> KeyStatement | None:
    stand_ins = {name: _stand_in(value) for name, value in values.items() if _is_slot(value)}
    stood_in_values = {**values, **stand_ins}
    try:
        stood_in, real = build(stood_in_values), build(values)
        kept = build_total(stood_in_values) if build_total is not None else None
        if kept is None:
            totals = (_count_sql(stood_in), _count_sql(real))
        else:
            totals = (_sql(kept), _sql(build_total(values)))
        pairs = [(_sql(stood_in[:page_size]), _sql(real[:page_size])), totals]
    except Exception as exc:  # the ORM path answers this request, errors included
        logger.debug("key statement not cached: %r", exc)
        return None
    statements = []
    # Without values of its own (constants only, such as a boolean) a shape's plan is the
    # same for every request.
    prepared = not stand_ins or selective(stand_ins)
    for (sql, params), (real_sql, real_params) in pairs:
        statement = _bound(sql, params, stand_ins, prepared)
        if statement is None or real_sql != sql or statement.bind(values) != list(real_params):
            logger.debug("key statement not cached: its values shape the query")
            return None
        statements.append(statement)
    return KeyStatement(
        *statements, single_column=not real.query.distinct, kept_count=kept is not None
    )


def _bound(sql: str, params, stand_ins: dict, prepared: bool) -> Statement | None:
    """The statement with each stand-in replaced by its Slot; None when one was changed."""
    # Keyed by type too: 1 == True, and a stand-in only stands for a value of its own type.
    by_value = {(type(value), value): name for name, value in stand_ins.items()}
    texts = [value for value in stand_ins.values() if isinstance(value, str)]
    bound, seen = [], set()
    for param in params:
        name = _lookup(by_value, param)
        if name is not None:
            bound.append(Slot(name))
            seen.add(name)
        elif isinstance(param, str) and any(text in param for text in texts):
            return None  # a transformed value
        else:
            bound.append(param)
    return Statement(sql, tuple(bound), prepared) if seen == set(stand_ins) else None


def _count_sql(queryset) -> tuple[str, tuple]:
    # As QuerySet.count(): no ordering at all, the model's default ordering included.
    unordered = queryset.order_by()
    unordered.query.clear_ordering(force=True, clear_default=True)
    sql, params = _sql(unordered)
    return f"SELECT COUNT(*) FROM ({sql}) _keys", params


def _sql(queryset) -> tuple[str, tuple]:
    if not isinstance(queryset, KeysQuerySet) or queryset._iterable_class is not (
        FlatValuesListIterable
    ):
        raise TypeError("not a key queryset")
    try:
        return queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        raise TypeError("an empty result") from None


def _is_slot(value) -> bool:
    return type(value) in SLOT_TYPES and value != ""


def _stand_in(value):
    if isinstance(value, str):
        # Mixed case and surrounding spaces: stripping or changing case shows as a change.
        return f" Slot-{secrets.token_hex(6)}-X "
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    return 7_000_000_000 + secrets.randbelow(1_000_000_000)


def _lookup(by_value: dict, param):
    try:
        return by_value.get((type(param), param))
    except TypeError:  # an unhashable constant
        return None
