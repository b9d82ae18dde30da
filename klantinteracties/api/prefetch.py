"""Prefetch for a page of rows without a filtered queryset per row.

Django's `prefetch_related` builds, for every row and reverse relation, a related manager
and a filtered queryset clone to hold the prefetched rows, also when the relation is empty:
on a page of 100 partijen that costs more than the prefetch queries themselves.
`prefetch_rows` fetches reverse foreign-key relations itself (one query per relation, as
Django does) and stores per row a `PrefetchedRows`: a queryset whose result is already there
and whose query is only built if it is chained (`.filter()`, `.order_by()`, ...). Other
lookups (forward foreign keys, many-to-many, `Prefetch` objects) go to Django's
`prefetch_related_objects`.
"""

from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet, prefetch_related_objects
from django.db.models.constants import LOOKUP_SEP

from autorisatie import vertrouwelijk

_UNBUILT = object()


class PrefetchedRows(QuerySet):
    """The prefetched rows of one reverse relation of one instance."""

    def __init__(self, field=None, instance=None, rows=None, **kwargs):
        # `field` is the related model's foreign key to `instance`.
        if field is None:  # copy.deepcopy() starts from an empty queryset
            super().__init__(**kwargs)
            self._relation = None
            return
        super().__init__(model=field.model, query=_UNBUILT)
        self._relation = (field, instance)
        self._result_cache = rows
        self._prefetch_done = True

    @property
    def query(self):
        if self._relation is not None:
            field, instance = self._relation
            self._relation = None
            self._query = field.model._default_manager.filter(**{field.name: instance}).query
        return super().query

    @query.setter
    def query(self, value):
        self._relation = None
        QuerySet.query.fset(self, value)

    def _clone(self):
        # A chained queryset is an ordinary one, with this relation's filter.
        clone = QuerySet(
            model=self.model, query=self.query.chain(), using=self._db, hints=self._hints
        )
        clone._sticky_filter = self._sticky_filter
        clone._for_write = self._for_write
        clone._prefetch_related_lookups = self._prefetch_related_lookups[:]
        clone._known_related_objects = self._known_related_objects
        clone._iterable_class = self._iterable_class
        clone._fields = self._fields
        return clone


def _reverse_foreign_key(model, name):
    try:
        relation = model._meta.get_field(name)
    except FieldDoesNotExist:  # e.g. a generic relation: left to Django
        return None
    if relation.one_to_many and relation.auto_created and not relation.concrete:
        return relation.field
    return None


def prefetch_rows(rows, lookups) -> None:
    """`prefetch_related_objects(rows, *lookups)`, same result, without per-row querysets."""
    rows = list(rows)
    if not rows or not lookups:
        return
    model = type(rows[0])
    if vertrouwelijk.hidden():
        # Filtered querysets per relation (Django's prefetch): what the request may not see
        # is left out at every depth.
        prefetch_related_objects(rows, *vertrouwelijk.visible_lookups(model, lookups))
        return
    own: dict[str, list[str]] = {}
    others = []
    for lookup in lookups:
        if not isinstance(lookup, str):
            others.append(lookup)
            continue
        head, _, rest = lookup.partition(LOOKUP_SEP)
        if _reverse_foreign_key(model, head) is None:
            others.append(lookup)
        else:
            own.setdefault(head, [])
            if rest:
                own[head].append(rest)
    for head, rests in own.items():
        field = _reverse_foreign_key(model, head)
        cache_name = field.remote_field.cache_name
        todo = [
            row
            for row in rows
            if cache_name not in getattr(row, "_prefetched_objects_cache", {})
            and getattr(row, field.target_field.attname) is not None
        ]
        children = []
        if todo:
            keys = {getattr(row, field.target_field.attname) for row in todo}
            children = list(field.model._default_manager.filter(**{f"{field.name}__in": keys}))
            by_key = defaultdict(list)
            for child in children:
                by_key[getattr(child, field.attname)].append(child)
            for row in todo:
                found = by_key.get(getattr(row, field.target_field.attname), [])
                for child in found:
                    field.set_cached_value(child, row)
                if not hasattr(row, "_prefetched_objects_cache"):
                    row._prefetched_objects_cache = {}
                row._prefetched_objects_cache[cache_name] = PrefetchedRows(field, row, found)
        if rests:
            prefetch_rows(
                [
                    child
                    for row in rows
                    for child in getattr(row, "_prefetched_objects_cache", {}).get(cache_name, ())
                ],
                list(dict.fromkeys(rests)),
            )
    if others:
        prefetch_related_objects(rows, *others)
