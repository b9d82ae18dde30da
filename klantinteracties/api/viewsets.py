"""The one base viewset every resource uses: uuid lookup, `expand`, atomic writes."""

from django.db import transaction
from rest_framework import mixins, viewsets

from .expand import expand_lookups, parse_expand, representation_lookups

UUID_REGEX = "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


class ExpandMixin:
    # The `expand` values the contract allows on this resource, e.g. ("hadBetrokkenen",).
    expand_paths: tuple[str, ...] = ()

    def get_expand_tree(self) -> dict:
        if not hasattr(self, "_expand_tree"):
            if self.expand_paths and self.request.method in ("GET", "HEAD"):
                self._expand_tree = parse_expand(
                    self.request.query_params.get("expand"), self.expand_paths
                )
            else:
                self._expand_tree = {}
        return self._expand_tree

    def get_queryset(self):
        queryset = super().get_queryset()
        serializer_class = self.get_serializer_class()
        lookups = representation_lookups(serializer_class)
        lookups += expand_lookups(serializer_class, self.get_expand_tree())
        if lookups:
            queryset = queryset.prefetch_related(*dict.fromkeys(lookups))
        return queryset

    def get_serializer(self, *args, **kwargs):
        if self.request is not None and self.request.method in ("GET", "HEAD"):
            kwargs.setdefault("expand_tree", self.get_expand_tree())
        return super().get_serializer(*args, **kwargs)


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


class RegisterViewSet(AtomicWritesMixin, ExpandMixin, viewsets.ModelViewSet):
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]


class CreateOnlyViewSet(AtomicWritesMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    pass
