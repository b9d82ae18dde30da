import base64
import binascii
import json

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator as DjangoPaginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from rest_framework import pagination
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

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
    cursor_query_param = "cursor"
    cursor_query_description = (
        "Keyset-paginering (aanvulling): leeg voor de eerste pagina, daarna de waarde uit de"
        " `next`-link. Elke pagina kost even weinig, ook diep in een grote lijst; `previous`"
        " is dan altijd leeg. Met `ordering` alleen als alle velden dezelfde richting hebben."
    )

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor_rows = None
        if self.cursor_query_param not in request.query_params:
            return super().paginate_queryset(queryset, request, view)
        return self._cursor_page(queryset, request)

    def _cursor_page(self, source, request):
        """The page after the cursor's row, found through the index of the list's order
        (a row comparison on its columns): the same cost at any depth. For a list in an
        order of non-null columns of its own table that ends with the key."""
        self.request = request
        page_size = self.get_page_size(request)
        queryset = getattr(source, "orm_queryset", source)
        fields, descending = self._keyset_order(queryset)
        raw = request.query_params[self.cursor_query_param]
        if raw:
            values = self._decode(raw, fields)
            table = connection.ops.quote_name(queryset.model._meta.db_table)
            columns = ", ".join(f"{table}.{connection.ops.quote_name(f.column)}" for f in fields)
            marks = ", ".join(["%s"] * len(fields))
            queryset = queryset.extra(
                where=[f"({columns}) {'<' if descending else '>'} ({marks})"], params=values
            )
        rows = list(queryset[: page_size + 1])
        self.cursor_rows = rows
        self.cursor_next = None
        if len(rows) > page_size:
            rows = rows[:page_size]
            last = rows[-1]
            if isinstance(last, models.Model):
                values = [getattr(last, f.attname) for f in fields]
            else:  # a key: its row's values of the order
                values = list(
                    queryset.model._base_manager.filter(pk=last)
                    .values_list(*(f.attname for f in fields))
                    .get()
                )
            self.cursor_next = self._encode(values)
        # The count as without a cursor (kept counts, one COUNT otherwise).
        self.page = Page(rows, 1, self.django_paginator_class(source, page_size))
        return rows

    def _keyset_order(self, queryset):
        model = queryset.model
        order = list(queryset.query.order_by) or list(model._meta.ordering)
        fields, directions = [], set()
        for item in order:
            if not isinstance(item, str):
                raise self._invalid(self.CURSOR_ORDER)
            name = item.lstrip("-")
            name = model._meta.pk.name if name == "pk" else name
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                raise self._invalid(self.CURSOR_ORDER) from None
            if not field.concrete or field.null or field.is_relation:
                raise self._invalid(self.CURSOR_ORDER)
            fields.append(field)
            directions.add(item.startswith("-"))
        if not fields or fields[-1] != model._meta.pk or len(directions) != 1:
            raise self._invalid(self.CURSOR_ORDER)
        return fields, directions.pop()

    CURSOR_ORDER = (
        "Een cursor kan alleen bij een volgorde in één richting: zonder ordering, of met"
        " velden die allemaal oplopen of allemaal aflopen."
    )

    def _invalid(self, reason: str) -> ValidationError:
        return ValidationError({self.cursor_query_param: [ErrorDetail(reason, code="invalid")]})

    @staticmethod
    def _encode(values: list) -> str:
        text = json.dumps(values, cls=DjangoJSONEncoder, separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def _decode(self, raw: str, fields) -> list:
        try:
            values = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
            if not isinstance(values, list) or len(values) != len(fields):
                raise ValueError
            decoded = [field.to_python(value) for field, value in zip(fields, values, strict=True)]
            if any(value is None for value in decoded):
                raise ValueError
            for field, value in zip(fields, decoded, strict=True):
                field.get_db_prep_value(value, connection)  # out of range, wrong type
            if isinstance(fields[-1], models.AutoField | models.BigAutoField) and not (
                0 < decoded[-1] < 2**63
            ):
                raise ValueError
            return decoded
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, DjangoValidationError):
            raise self._invalid(
                "Ongeldige cursor: gebruik de waarde uit een `next`-link."
            ) from None

    def get_next_link(self):
        if self.cursor_rows is None:
            return super().get_next_link()
        if self.cursor_next is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, self.cursor_next)

    def get_previous_link(self):
        if self.cursor_rows is None:
            return super().get_previous_link()
        return None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": self.cursor_query_description,
                "schema": {"type": "string"},
            }
        )
        return parameters
