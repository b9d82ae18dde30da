from django.conf import settings
from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator as DjangoPaginator
from rest_framework import pagination

# From this offset on, a page ordered by the primary key alone is found through the key.
KEYSET_FROM_OFFSET = 1000


class Page(DjangoPage):
    def __iter__(self):
        # DRF lists the page; a Sequence would index it row by row.
        if isinstance(self.object_list, list):
            return iter(self.object_list)
        return super().__iter__()


class Paginator(DjangoPaginator):
    """Django's paginator with two exact shortcuts.

    - Page 1 is fetched first; when it is not full it holds the whole result, so the count
      is its length and no COUNT query is needed (the common case for filtered lists).
    - A deep page of a list ordered by the primary key alone first reads the key at the
      offset (an index-only scan, from whichever end of the index is nearer, using the exact
      count), then fetches the page from that key: the same rows as OFFSET, without reading
      the skipped rows themselves.
    """

    def _get_page(self, *args, **kwargs):
        return Page(*args, **kwargs)

    def page(self, number):
        if str(number) == "1" and "count" not in self.__dict__:
            rows = list(self.object_list[: self.per_page])
            if len(rows) < self.per_page:
                self.__dict__["count"] = len(rows)
            return self._get_page(rows, 1, self)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self._keyset_page(bottom)
        if rows is None:
            return super().page(number)
        return self._get_page(rows, number, self)

    def _keyset_page(self, offset: int):
        # A list whose first page comes from a compiled statement pages on through its
        # ORM key queryset.
        queryset = getattr(self.object_list, "orm_queryset", self.object_list)
        if offset < KEYSET_FROM_OFFSET or not hasattr(queryset, "query"):
            return None
        order = tuple(queryset.query.order_by)
        if order in (("-pk",), ("-id",)):
            lookup = "pk__lte"
        elif order in (("pk",), ("id",)):
            lookup = "pk__gte"
        else:
            return None
        count = self.count
        if offset >= count:
            return []
        if offset > count // 2:
            # Nearer the end: the same row, counted from the other end of the index.
            reverse = queryset.order_by(*(o[1:] if o.startswith("-") else f"-{o}" for o in order))
            keys = list(reverse.values_list("pk", flat=True)[count - 1 - offset : count - offset])
        else:
            keys = list(queryset.values_list("pk", flat=True)[offset : offset + 1])
        if not keys:
            return []
        return list(queryset.filter(**{lookup: keys[0]})[: self.per_page])


class PageNumberPagination(pagination.PageNumberPagination):
    """`page`/`pageSize` with `{count, next, previous, results}`; absolute next/previous URLs."""

    django_paginator_class = Paginator
    page_size_query_param = "pageSize"
    page_query_description = "Een pagina binnen de gepagineerde set resultaten."
    page_size_query_description = (
        "Het aantal resultaten terug te geven per pagina. (default: 100, maximum: 500)."
    )
    max_page_size = settings.PAGE_SIZE_MAX
