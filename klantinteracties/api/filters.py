"""Filtering: django-filter, plus the reference's rule that unknown query parameters are a 400.

A misspelled filter must never silently return everything.
"""

import copy
import datetime
import uuid
from urllib.parse import urlsplit

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.http import QueryDict
from django.utils import timezone
from django_filters.conf import settings as filter_settings
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import IsoDateTimeField
from django_filters.filters import FilterMethod, QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ErrorDetail

from autorisatie import afscherming, vertrouwelijk

from .errors import ProblemValidationError
from .pagination import PageNumberPagination

ALWAYS_ALLOWED = {"page", "pageSize", "format"}

# FilterSet classes narrowed to the filters a request uses, keyed by (class, names).
_narrowed: dict = {}
NARROWED_MAX = 512


class StrictFilterBackend(DjangoFilterBackend):
    def allowed_parameters(self, request, queryset, view) -> set[str]:
        allowed = set(ALWAYS_ALLOWED) | set(getattr(view, "extra_query_parameters", ()))
        if getattr(view, "expand_paths", ()):
            # Only where the contract documents it: elsewhere it would be ignored.
            allowed.add("expand")
        if getattr(view, "action", None) == "list":
            allowed.add(PageNumberPagination.cursor_query_param)
            filterset_class = self.get_filterset_class(view, queryset)
            if filterset_class is not None:
                allowed |= set(filterset_class.base_filters)
        return allowed

    def filter_queryset(self, request, queryset, view):
        self.check_parameters(request, queryset, view)
        if getattr(view, "action", None) != "list":
            return queryset
        return super().filter_queryset(request, queryset, view)

    def valid_filterset(self, request, queryset, view):
        """The list's FilterSet, bound and validated (None for a view without one).

        The same 400s as `filter_queryset`: unknown parameters, then invalid values.
        """
        self.check_parameters(request, queryset, view)
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None and not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset

    def check_parameters(self, request, queryset, view):
        # Reads, and deletes: `?cascde=true` must not quietly delete less (or otherwise) than
        # asked. Other writes take their input from the body.
        if request.method in ("GET", "HEAD", "DELETE"):
            unknown = sorted(
                set(request.query_params) - self.allowed_parameters(request, queryset, view)
            )
            if not unknown and getattr(view, "action", None) == "list":
                filterset_class = self.get_filterset_class(view, queryset)
                afscherming.check_search(
                    getattr(filterset_class, "afgeschermd", {}), request.query_params
                )
                afscherming.check_ordering(
                    getattr(view, "ordering_afgeschermd", {}), request.query_params.get(ORDERING)
                )
            if unknown:
                raise unknown_parameters(unknown)

    def get_filterset_class(self, view, queryset=None):
        filterset_class = with_list_filters(type(view), super().get_filterset_class(view, queryset))
        request = getattr(view, "request", None)
        if (
            filterset_class is None
            or request is None
            or request.method not in ("GET", "HEAD")
            # Generating the OpenAPI document needs every filter.
            or getattr(view, "swagger_fake_view", False)
        ):
            return filterset_class
        return narrowed(filterset_class, request.query_params)


def unknown_parameters(names: list[str]) -> ProblemValidationError:
    """The 400 for query parameters an operation does not know: a misspelled filter must
    never silently return everything."""
    return ProblemValidationError(
        [ErrorDetail(f"Onbekende query parameters: {', '.join(names)}", code="unknown-parameters")],
        code="unknown-parameters",
    )


def narrowed(filterset_class, params):
    """The FilterSet class with only the filters named in the query string.

    A FilterSet deep-copies every filter and builds a form field for each on every request;
    a filter that is absent from the query does nothing, so leaving it out gives the same
    result at a fraction of the cost (most requests use one to three of dozens of filters).
    """
    if filterset_class.__init__ is not django_filters.FilterSet.__init__:
        return filterset_class  # NarrowedFilterSet would skip its own __init__
    names = tuple(name for name in filterset_class.base_filters if name in params)
    key = (filterset_class, names)
    subclass = _narrowed.get(key)
    if subclass is None:
        if len(_narrowed) >= NARROWED_MAX:
            _narrowed.clear()
        subclass = type(filterset_class.__name__, (NarrowedFilterSet, filterset_class), {})
        subclass.base_filters = {n: filterset_class.base_filters[n] for n in names}
        _narrowed[key] = subclass
    return subclass


class NarrowedFilterSet:
    """A FilterSet that is cheap to construct per request.

    django-filter deep-copies every filter per instance (to give each its `parent`) and
    builds a new form class, with a new form field per filter, per instance. Here each
    instance gets shallow copies of the filters (their own `parent` and `model`, the
    declarations shared), and the form class is built once per class: its fields depend
    on the filter declarations only (no filter of this project derives its form field
    from the request), and every form instance deep-copies them as Django forms do.
    A FilterSet with an `__init__` of its own is not narrowed this way (see `narrowed`).
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, declared in self.base_filters.items():
            filter_ = copy.copy(declared)
            filter_.model = queryset.model
            filter_.parent = self
            if declared.method is not None:
                # The copy's method must resolve on this instance, not on the declaration.
                filter_.filter = FilterMethod(filter_)
            self.filters[name] = filter_

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            if any(isinstance(f, QuerySetRequestMixin) for f in self.filters.values()):
                return super().get_form_class()  # its choices may depend on the request
            form_class = super().get_form_class()
            form_class.base_fields = SharedFormFields(form_class.base_fields)
            cls._form_class = form_class
        return form_class


class SharedFormFields(dict):
    """The fields of a filter form, shared by its instances instead of deep-copied.

    A Django form deep-copies its fields for every instance, so that one instance may change
    its own (labels, choices, widgets) without affecting the next. A filter form only binds
    the query string and cleans it: cleaning reads a field's settings and never changes
    them, and what a form learns (bound fields, errors, cleaned data) lives on the form.
    Copying the dozen objects behind each field cost more than filtering itself.
    """

    def __deepcopy__(self, memo):
        return dict(self)


class VisibleThroughMixin:
    """For a FilterSet with filters on the fields of a reference to rows that can be hidden
    from the request (autorisatie.vertrouwelijk): such a filter matches nothing through a
    hidden row, as after its delete the reference would be null."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        cleaned = self.form.cleaned_data
        relations = set()
        for name, filter_ in self.filters.items():
            # Field lookups through a relation (`betrokkene__uuid`); methods filter themselves.
            path = filter_.field_name or ""
            if filter_.method is not None or "__" not in path or cleaned.get(name) in (None, ""):
                continue
            try:
                field = queryset.model._meta.get_field(path.split("__", 1)[0])
            except FieldDoesNotExist:
                continue
            if field.is_relation:
                relations.add(field.name)
        for relation in sorted(relations):
            queryset = vertrouwelijk.visible_through(queryset, relation)
        return queryset


def passes_value(method):
    """Mark a filter method (or the no-op method of filters a FilterSet applies itself) whose
    query uses the filter's value as a parameter only: never transformed, never branched on.
    Such filters may be bound into a compiled key statement (keystatements.py)."""
    method.passes_value = True
    return method


def value_parameters(filterset) -> set[str]:
    """The names of the filter set's filters that use their value as a parameter only."""
    names = set()
    for name, filter_ in filterset.filters.items():
        if filter_.method is not None:
            method = filter_.method
            if isinstance(method, str):
                method = getattr(filterset, method, None)
            if getattr(method, "passes_value", False):
                names.add(name)
        elif type(filter_).filter is django_filters.Filter.filter or (
            # its null choice ("null" -> IS NULL) only exists with a null_label
            type(filter_).filter is django_filters.ChoiceFilter.filter
            and filter_.extra.get("null_label", filter_settings.NULL_CHOICE_LABEL) is None
        ):
            names.add(name)
    return names


def uuid_from_url(url: str) -> uuid.UUID | None:
    """The uuid a resource url ends with, or None when it ends with something else."""
    try:
        return uuid.UUID(url.rstrip("/").rsplit("/", 1)[-1])
    except ValueError:
        return None


class FilterURLField(forms.CharField):
    """An absolute http(s) url, as the reference's url filters take it: anything else is a
    400. Unlike Django's URLField, a host without a dot (`http://openklant:8000/...`, as
    services reach each other inside a cluster) is a url too."""

    default_error_messages = {"invalid": "Voer een geldige URL in."}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            parts = urlsplit(value)
            valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
        except ValueError:  # an unclosed [ or a port that is not a number
            valid = False
        if not valid or any(char.isspace() for char in value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


@extend_schema_field(OpenApiTypes.URI)
class UUIDFromURLFilter(django_filters.CharFilter):
    """Filter a relation by the `url` of the related resource (its last path segment is the
    uuid). A value that is not a url is a 400; a url that does not end with a uuid matches
    nothing, as in the reference."""

    field_class = FilterURLField

    def filter(self, qs, value):
        if not value:
            return qs
        candidate = uuid_from_url(value)
        return qs.none() if candidate is None else super().filter(qs, candidate)


# objectId / codeObjecttype / codeRegister / codeSoortObjectId of an external object.
IDENTIFICATOR_PARTS = (
    ("ObjectId", "object_id"),
    ("CodeObjecttype", "code_objecttype"),
    ("CodeRegister", "code_register"),
    ("CodeSoortObjectId", "code_soort_object_id"),
)


def identificator_filters(wire_prefix: str, column_prefix: str) -> dict:
    """Exact filters on an identificator gegevensgroep (`bijlageidentificatorObjectId`, ...)."""
    return {
        f"{wire_prefix}{wire}": django_filters.CharFilter(field_name=f"{column_prefix}_{column}")
        for wire, column in IDENTIFICATOR_PARTS
    }


class StrictBooleanField(forms.NullBooleanField):
    """`true` or `false` (any case; `1` and `0` too); an empty value is no filter.

    Django's field reads any other value as "not given", so `vertrouwelijk=nee` would return
    the whole list: here it is a 400 naming the parameter.
    """

    widget = forms.TextInput
    default_error_messages = {"invalid": "Verwacht `true` of `false`."}
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class UTCIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, normalised to UTC.

    PostgreSQL refuses UTC offsets beyond 15:59 (`-23:27` is valid ISO 8601), and an offset
    can push a date past year 1 or 9999: both are a 400, not a database error.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and timezone.is_aware(value):
            try:
                value = value.astimezone(datetime.UTC)
            except OverflowError:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
        return value


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCIsoDateTimeField


# The parameter of a list's order (`ordering=-plaatsgevondenOp,nummer`).
ORDERING = "ordering"
# FilterSet classes with the filters every list has, keyed by (view class, FilterSet class).
_listed: dict = {}


def with_list_filters(view_class, filterset_class):
    """The view's FilterSet with the filters every list of this API has: `uuid__in` and, for
    a view that names the fields it may be ordered by (`ordering_fields`, wire name: model
    field), `ordering`. A view without a FilterSet gets one with only these."""
    model = getattr(getattr(view_class, "queryset", None), "model", None)
    if model is None or not hasattr(model, "uuid"):
        return filterset_class
    key = (view_class, filterset_class)
    listed = _listed.get(key)
    if listed is None:
        base = filterset_class or django_filters.FilterSet
        declared = {
            "uuid__in": UUIDInFilter(
                field_name="uuid",
                help_text="Alleen de objecten met een van deze uuids (komma-gescheiden, ten "
                "hoogste zoveel als de paginagrootte).",
            )
        }
        fields = getattr(view_class, "ordering_fields", None)
        if fields:
            declared[ORDERING] = OrderingFilter(
                fields=[(column, wire) for wire, column in fields.items()],
                help_text="Volgorde van de resultaten: een of meer van de genoemde velden, "
                "komma-gescheiden, met `-` ervoor voor aflopend. Zonder deze parameter: "
                f"{getattr(view_class, 'default_order_description', 'nieuwste eerst')}.",
            )
        meta = type("Meta", (), {"model": model, "fields": []})
        listed = type(base.__name__, (base,), {**declared, "Meta": meta})
        _listed[key] = listed
    return listed


class UUIDInFilter(django_filters.BaseInFilter, django_filters.UUIDFilter):
    """`uuid__in=a,b,c`: at most a page of them, so the answer is one page (KISS enriches a
    list of references in one request instead of one per reference)."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        request = getattr(self.parent, "request", None)
        limit = (
            PageNumberPagination().get_page_size(request)
            if request is not None
            else settings.PAGE_SIZE_MAX
        )
        if len(value) > limit:
            raise ProblemValidationError(
                {
                    "uuid__in": [
                        ErrorDetail(
                            f"Ten hoogste {limit} uuids (de paginagrootte); {len(value)} gegeven.",
                            code="max_items",
                        )
                    ]
                },
                code="invalid",
            )
        return qs.filter(uuid__in=list(dict.fromkeys(value)))


class OrderingFilter(django_filters.OrderingFilter):
    """`ordering`, with the key as the last term in the direction of the last field, so that
    equal values keep one order from page to page (and an index on (field, id) serves both
    directions). NULLs come last ascending and first descending (PostgreSQL's order)."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        terms = list(dict.fromkeys(self.get_ordering_value(p) for p in value if p))
        if not terms:
            return qs
        return qs.order_by(*terms, "-pk" if terms[-1].startswith("-") else "pk")
