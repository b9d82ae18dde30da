"""The one base viewset every resource uses: uuid lookup, `expand`, atomic writes."""

import functools
import json
import threading

from django.conf import settings
from django.db import connections, transaction
from django.http import Http404, HttpResponse
from django.utils import timezone
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from autorisatie import afscherming, vertrouwelijk
from autorisatie import context as request_context
from autorisatie.permissions import check_expand
from logboek.viewsets import AuditTrailMixin, VerwerkingenlogMixin

from .expand import (
    expand_lookups,
    parse_expand,
    representation_lookups,
    uuid_array_annotations,
)
from .filters import StrictFilterBackend, value_parameters
from .keystatements import key_statement, shape_of
from .prefetch import prefetch_rows
from .sqljson import keys_of, page_sql
from .urls import UUID_REGEX

# Per thread: list serializers kept across requests, keyed by class and expand tree.
_reusable = threading.local()


class ExpandMixin:
    # The `expand` values the contract allows on this resource, e.g. ("hadBetrokkenen",).
    expand_paths: tuple[str, ...] = ()

    def get_expand_tree(self) -> dict:
        if not hasattr(self, "_expand_tree"):
            if self.expand_paths and self.request.method in ("GET", "HEAD"):
                # `expand=a&expand=b` as `expand=a,b` (how many clients send a list).
                self._expand_tree = parse_expand(
                    ",".join(self.request.query_params.getlist("expand")), self.expand_paths
                )
                # An expansion into a register the application may not read is refused.
                check_expand(self.request.auth, self.get_serializer_class(), self._expand_tree)
            else:
                self._expand_tree = {}
        return self._expand_tree

    def get_queryset(self):
        # What the application may not see does not exist for it (autorisatie.vertrouwelijk).
        queryset = vertrouwelijk.visible(super().get_queryset())
        if getattr(self, "_page_sql", None) is not None:
            # The page's JSON comes from one statement; the query only selects keys.
            return queryset
        serializer_class = self.get_serializer_class()
        annotations = uuid_array_annotations(serializer_class, vertrouwelijk.hidden())
        if annotations:
            # Reference lists as uuid arrays in the main query instead of one query each.
            queryset = queryset.annotate(**annotations)
        lookups = representation_lookups(serializer_class, annotated=bool(annotations))
        lookups += expand_lookups(serializer_class, self.get_expand_tree())
        self._row_lookups = list(dict.fromkeys(lookups))
        if self._row_lookups and getattr(self, "action", None) != "list":
            queryset = queryset.prefetch_related(
                *vertrouwelijk.visible_lookups(queryset.model, self._row_lookups)
            )
        # A list prefetches for its page only, after pagination (see `list`).
        return queryset

    def perform_update(self, serializer):
        super().perform_update(serializer)
        # The uuid arrays were read before the write; the response must show the new state.
        for annotation in getattr(self.get_serializer_class(), "uuid_arrays", {}):
            serializer.instance.__dict__.pop(annotation, None)

    def get_serializer(self, *args, **kwargs):
        if self.request is not None and self.request.method in ("GET", "HEAD"):
            kwargs.setdefault("expand_tree", self.get_expand_tree())
        return super().get_serializer(*args, **kwargs)

    def list(self, request, *args, **kwargs):
        self._page_sql = self.get_page_sql(request)
        if self._page_sql is not None:
            return self.sql_list(request)
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(queryset) if page is None else page
        # The keys rendered, for the processing log (logboek).
        self._gelezen = [row.pk for row in rows]
        prefetch_rows(rows, self._row_lookups)
        serializer, context = self._reusable_serializer()
        context.update(self.get_serializer_context())
        try:
            data = [serializer.to_representation(row) for row in rows]
        finally:
            context.clear()
        if page is None:
            return Response(data)
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        self._page_sql = self.get_page_sql(request)
        if self._page_sql is None:
            return super().retrieve(request, *args, **kwargs)
        # One object: its key through the same queryset and lookup as get_object, then its
        # JSON from the compiled statement (a one-row page without the brackets).
        queryset = self.filter_queryset(self.get_queryset())
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        keys = list(
            queryset.filter(**{self.lookup_field: self.kwargs[lookup_url_kwarg]}).values_list(
                "pk", flat=True
            )[:1]
        )
        if not keys:
            raise Http404
        self._gelezen = keys
        connection = connections[queryset.db]
        body = self.render_with_record(
            connection, lambda record: self._page_sql.render(connection, keys, request, record)
        )
        return HttpResponse(body[1:-1], content_type="application/json")

    def get_page_sql(self, request):
        """The compiled JSON statement for this list, when the response is plain JSON."""
        if not settings.SQL_JSON_LISTS or request.method != "GET":
            return None
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is None or renderer.format != "json":
            return None
        if list(self.filter_backends) != [StrictFilterBackend]:
            return None  # sql_list filters through that backend only
        return page_sql(
            self.get_serializer_class(),
            self.queryset.model,
            self.get_expand_tree(),
            hidden=vertrouwelijk.hidden(),
            afgeschermd=afscherming.shielded(),
        )

    def get_keys_queryset(self, queryset, filters: dict):
        """The primary keys of the filtered list, in its order.

        `filters` are the filter set's cleaned values (the request's own, or stand-ins when
        the first page's key statement is compiled: take values from here, never from the
        request). A view may answer a frequent filter from a narrower index; it must give
        exactly the keys of `queryset` (tests compare both paths), restrictions of
        get_queryset included.
        """
        return keys_of(queryset)

    def get_total_queryset(self, filters: dict):
        """A key queryset of one row holding the number of keys, or None to count them.

        For a list whose count is kept elsewhere (a counter table): its full first page then
        costs one row read instead of a count of all its keys. `filters` as in
        get_keys_queryset; it must give exactly the count of those keys (tests compare).
        """
        return None

    def key_statement_scope(self) -> tuple:
        """What, besides the filters and page size, the list's key query depends on.

        Part of the key under which its first-page statement is kept: a queryset restricted
        per request (say per token) must return what it is restricted by.
        """
        return (vertrouwelijk.hidden(),)

    def render_with_record(self, connection, render):
        """`render(record)`: the page's statement, with what the read writes with it (the
        processing log's record: logboek.viewsets), or None."""
        return render(None)

    def sql_list(self, request):
        """The same response as the serializer path, with the page's JSON built by PostgreSQL:
        filters, ordering and pagination select the keys, one statement renders them (for a
        first page from a compiled key statement, the same statement that selects them)."""
        source = self.list_keys(request)
        page = self.paginate_queryset(source)
        keys = list(source) if page is None else page
        self._gelezen = keys
        results = getattr(source, "rendered", None)
        if results is None:
            results = "[]"
            if keys:
                connection = connections[self.queryset.db]
                results = self.render_with_record(
                    connection,
                    lambda record: self._page_sql.render(connection, keys, request, record),
                )
        if page is None:
            body = results
        else:
            links = [
                json.dumps(link, ensure_ascii=False)
                for link in (self.paginator.get_next_link(), self.paginator.get_previous_link())
            ]
            count = self.paginator.page.paginator.count
            body = (
                f'{{"count":{count},"next":{links[0]},"previous":{links[1]},"results":{results}}}'
            )
        return HttpResponse(body, content_type="application/json")

    def list_keys(self, request):
        """The keys of the filtered list, for the paginator: the first page and the count
        from its key statements (compiled once per filter shape), other pages through the
        ORM."""
        queryset = self.get_queryset()
        filterset = StrictFilterBackend().valid_filterset(request, queryset, self)
        filters = dict(filterset.form.cleaned_data) if filterset is not None else {}

        def filtered(values: dict):
            if filterset is None:
                return queryset
            real = filterset.form.cleaned_data
            filterset.form.cleaned_data = values
            try:
                return filterset.filter_queryset(queryset.all())
            finally:
                filterset.form.cleaned_data = real

        orm_keys = functools.cache(lambda: self.get_keys_queryset(filtered(filters), filters))
        paginator = self.paginator
        page_size = paginator.get_page_size(request) if paginator is not None else None
        shape = shape_of(filters, value_parameters(filterset) if filterset is not None else set())
        if not page_size or shape is None:
            return orm_keys()
        statement = key_statement(
            (type(self), shape, page_size, self.key_statement_scope()),
            filters,
            lambda values: self.get_keys_queryset(filtered(values), values),
            page_size,
            self.get_total_queryset,
        )
        if statement is None:
            return orm_keys()
        return FirstPageKeys(
            statement,
            filters,
            page_size,
            orm_keys,
            connections[queryset.db],
            self._page_sql,
            request,
            self.render_with_record,
        )

    def _reusable_serializer(self):
        # Building a serializer's fields (nested ones included) costs more than rendering a
        # page of rows, so a list view renders through one instance per thread, serializer
        # class and expand tree. Its context dict is filled for the request and emptied after.
        serializer_class = self.get_serializer_class()
        tree = self.get_expand_tree()
        # Canonical key: `a,b` and `b,a` share one entry, so the cache stays small.
        key = (serializer_class, json.dumps(tree, sort_keys=True))
        cache = _reusable.__dict__.setdefault("serializers", {})
        entry = cache.get(key)
        if entry is None:
            context: dict = {}
            entry = cache[key] = (serializer_class(context=context, expand_tree=tree), context)
        return entry


# Per thread: the field sets of the serializers that validate creates, kept across requests.
_create_fields = threading.local()


class ReusedCreateFieldsMixin:
    """A create validates and renders through a field set built once per thread and class.

    Building a serializer's fields (nested serializers included) costs more than validating,
    saving and rendering one object. Fields and validators hold no state of a request: each
    request gets a new serializer that adopts them, with the context dict they were built
    with refilled.
    """

    def create(self, request, *args, **kwargs):
        self._reuse_create_fields = True
        try:
            return super().create(request, *args, **kwargs)
        finally:
            self._reuse_create_fields = False

    def get_serializer(self, *args, **kwargs):
        # Only the serializer of the create itself (not, say, a browsable API form).
        if not getattr(self, "_reuse_create_fields", False) or args or "data" not in kwargs:
            return super().get_serializer(*args, **kwargs)
        self._reuse_create_fields = False
        serializer_class = self.get_serializer_class()
        cache = _create_fields.__dict__.setdefault("entries", {})
        entry = cache.get(serializer_class)
        if entry is None:
            context: dict = {}
            template = serializer_class(context=context)
            entry = cache[serializer_class] = (template.fields, template.validators, context)
        fields, validators, context = entry
        context.clear()
        context.update(self.get_serializer_context())
        serializer = serializer_class(context=context, **kwargs)
        serializer.__dict__["fields"] = fields
        serializer.validators = validators
        fields.serializer = serializer
        for field in fields.values():
            field.parent = serializer
        return serializer


class AtomicWritesMixin:
    """Every write is one transaction: nothing half-saved when a later step fails."""

    def create(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)


class FirstPageKeys:
    """A list's keys as the paginator reads them: the first page and the count from the key
    statements, any other slice from the ORM key queryset, built only when asked for."""

    ordered = True

    def __init__(
        self, statement, values, page_size, orm_keys, connection, page_sql, request, with_record
    ):
        self._statement, self._values, self._page_size = statement, values, page_size
        self._orm_keys, self._connection = orm_keys, connection
        self._page_sql, self._request = page_sql, request
        # The view's render_with_record.
        self._with_record = with_record
        # The first page's JSON, rendered by the statement that selected its keys.
        self.rendered: str | None = None
        # A kept count (not a count of the keys), read by that statement too.
        self._total: int | None = None

    def __getitem__(self, item):
        if item == slice(None, self._page_size) or item == slice(0, self._page_size):
            keys, self.rendered, self._total = self._with_record(
                self._connection,
                lambda record: self._statement.keys_and_page(
                    self._connection, self._values, self._page_sql, self._request, record
                ),
            )
            return keys
        return self._orm_keys()[item]

    @property
    def orm_queryset(self):
        return self._orm_keys()

    def count(self) -> int:
        if self._total is not None:
            return self._total
        return self._statement.total(self._connection, self._values)


class RequestContextMixin:
    """Makes the request context (autorisatie) the current one while the view handles the
    request, for what decides per request what the application may see. `_start` is when the
    request was taken up (the processing log's start time)."""

    def initial(self, request, *args, **kwargs):
        self._start = timezone.now()
        super().initial(request, *args, **kwargs)
        self._active_context = request_context.activate(request.auth)

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            # Whatever happened: the next request on this thread starts without it.
            token = self.__dict__.pop("_active_context", None)
            if token is not None:
                request_context.deactivate(token)


class RegisterViewSet(
    RequestContextMixin,
    AtomicWritesMixin,
    VerwerkingenlogMixin,
    AuditTrailMixin,
    ExpandMixin,
    viewsets.ModelViewSet,
):
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]


class CreateOnlyViewSet(
    RequestContextMixin,
    AtomicWritesMixin,
    VerwerkingenlogMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    pass
