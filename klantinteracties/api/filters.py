"""Filtering: django-filter, plus the reference's rule that unknown query parameters are a 400.

A misspelled filter must never silently return everything.
"""

import uuid

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ErrorDetail

from .errors import ProblemValidationError

ALWAYS_ALLOWED = {"page", "pageSize", "expand", "format"}


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


@extend_schema_field(OpenApiTypes.URI)
class UUIDFromURLFilter(django_filters.CharFilter):
    """Filter a relation by the `url` of the related resource (its last path segment is the uuid)."""

    def filter(self, qs, value):
        if not value:
            return qs
        candidate = value.rstrip("/").rsplit("/", 1)[-1]
        try:
            uuid.UUID(candidate)
        except ValueError:
            return qs.none()
        return super().filter(qs, candidate)
