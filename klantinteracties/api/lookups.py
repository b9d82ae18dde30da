"""`queryset.get(uuid=...)` for a reference in a request body, from a statement compiled once.

Compiling the SELECT of a wide model (a partij has some forty columns) costs several times
more than running it, and every write resolves its references. A plain `Model.objects.all()`
queryset therefore gets its statement, converters and column list built once per thread and
model; any other queryset goes through `get()`.
"""

import threading
import uuid

from django.db import connections
from django.db.models.query import ModelIterable

from klantinteracties.db_backend.base import prepared_cursor

# The value compiled into the statement, replaced by the uuid asked for.
_PLACEHOLDER = uuid.uuid4()

# Per thread: the converters are bound to the thread's own database connection.
_statements = threading.local()


def get_by_uuid(queryset, value: uuid.UUID):
    """The row with this uuid, as `queryset.get(uuid=value)`; raises `DoesNotExist`."""
    if not _plain(queryset):
        return queryset.get(uuid=value)
    db = queryset.db
    cache = _statements.__dict__.setdefault("statements", {})
    statement = cache.get((queryset.model, db))
    if statement is None:
        statement = cache[(queryset.model, db)] = _compile(queryset, db)
    compiler, sql, params, position, columns, converters = statement
    params = list(params)
    params[position] = value
    with prepared_cursor(connections[db]) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchmany(2)
    if converters:
        rows = list(compiler.apply_converters(rows, converters))
    model = queryset.model
    if not rows:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    if len(rows) > 1:
        raise model.MultipleObjectsReturned(f"get() returned more than one {model.__name__}.")
    return model.from_db(db, columns, rows[0])


def _plain(queryset) -> bool:
    # All rows of the model, all columns, no joins or extras: what `Model.objects.all()` is.
    query = queryset.query
    return (
        queryset._iterable_class is ModelIterable
        and not queryset._prefetch_related_lookups
        and not queryset._known_related_objects
        and not query.where
        and not query.annotations
        and not query.select_related
        and not query.extra
        and not query.extra_tables
        and not query.distinct
        and not query.combinator
        and not query.is_sliced
        and not query.select
        and not query.select_for_update
        and query.default_cols
        and query.deferred_loading == (frozenset(), True)
    )


def _compile(queryset, db):
    lookup = queryset.filter(uuid=_PLACEHOLDER).order_by()
    compiler = lookup.query.get_compiler(using=db)
    sql, params = compiler.as_sql()
    (position,) = [i for i, param in enumerate(params) if param == _PLACEHOLDER]
    select = compiler.select[: compiler.col_count]
    columns = [column.target.attname for column, _, _ in select]
    converters = compiler.get_converters([column for column, _, _ in select])
    return compiler, sql, tuple(params), position, columns, converters
