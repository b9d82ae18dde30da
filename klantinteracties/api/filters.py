"""Filtering: django-filter, plus the reference's rule that unknown query parameters are a 400.

A misspelled filter must never silently return everything.
"""

import datetime
import uuid

import django_filters
from django import forms
from django.utils import timezone
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ErrorDetail

from .errors import ProblemValidationError

ALWAYS_ALLOWED = {"page", "pageSize", "expand", "format"}

# FilterSet classes narrowed to the filters a request uses, keyed by (class, names).
_narrowed: dict = {}
NARROWED_MAX = 512


class StrictFilterBackend(DjangoFilterBackend):
    def allowed_parameters(self, request, queryset, view) -> set[str]:
        allowed = set(ALWAYS_ALLOWED) | set(getattr(view, "extra_query_parameters", ()))
        if getattr(view, "action", None) == "list":
            filterset_class = self.get_filterset_class(view, queryset)
            if filterset_class is not None:
                allowed |= set(filterset_class.base_filters)
        return allowed

    def filter_queryset(self, request, queryset, view):
        if request.method in ("GET", "HEAD"):
            unknown = sorted(
                set(request.query_params) - self.allowed_parameters(request, queryset, view)
            )
            if unknown:
                raise ProblemValidationError(
                    [
                        ErrorDetail(
                            f"Onbekende query parameters: {', '.join(unknown)}",
                            code="unknown-parameters",
                        )
                    ],
                    code="unknown-parameters",
                )
        if getattr(view, "action", None) != "list":
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset_class(self, view, queryset=None):
        filterset_class = super().get_filterset_class(view, queryset)
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


def narrowed(filterset_class, params):
    """The FilterSet class with only the filters named in the query string.

    A FilterSet deep-copies every filter and builds a form field for each on every request;
    a filter that is absent from the query does nothing, so leaving it out gives the same
    result at a fraction of the cost (most requests use one to three of dozens of filters).
    """
    names = tuple(name for name in filterset_class.base_filters if name in params)
    if len(names) == len(filterset_class.base_filters):
        return filterset_class
    key = (filterset_class, names)
    subclass = _narrowed.get(key)
    if subclass is None:
        if len(_narrowed) >= NARROWED_MAX:
            _narrowed.clear()
        subclass = type(filterset_class.__name__, (filterset_class,), {})
        subclass.base_filters = {n: filterset_class.base_filters[n] for n in names}
        _narrowed[key] = subclass
    return subclass


def uuid_from_url(url: str) -> uuid.UUID | None:
    """The uuid a resource url ends with, or None when it ends with something else."""
    try:
        return uuid.UUID(url.rstrip("/").rsplit("/", 1)[-1])
    except ValueError:
        return None


@extend_schema_field(OpenApiTypes.URI)
class UUIDFromURLFilter(django_filters.CharFilter):
    """Filter a relation by the `url` of the related resource (its last path segment is the uuid)."""

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
