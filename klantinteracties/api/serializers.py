"""Serializer base classes: camelCase wire names, nested gegevensgroepen and `_expand`."""

from django.db import models
from django.db.models import QuerySet
from rest_framework import serializers

from autorisatie import afscherming

from .expand import render_expansions
from .fields import DateTimeField


def reused_serializer(owner, key, factory):
    """A nested serializer built once per owner (a bound field or serializer) and reused.

    Building a serializer's fields costs far more than rendering one row, so fields that
    render through another serializer keep one instance instead of making one per row. It
    shares the owner's context dict, so it always sees the current request.
    """
    cache = owner.__dict__.setdefault("_reused_serializers", {})
    serializer = cache.get(key)
    if serializer is None:
        serializer = cache[key] = factory()
    return serializer


def camelize(name: str) -> str:
    parts = name.split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


class ExpandableMixin:
    # Renders `_expand` for the subtree of requested expansions given to the serializer.

    expandable: dict = {}
    # Lookups this serializer's representation needs, for prefetching by list views.
    prefetch: tuple[str, ...] = ()
    # Read-only reference lists a view reads as uuid arrays in its main query:
    # {annotation: (relation in `prefetch` it replaces, factory of the ArraySubquery)}.
    uuid_arrays: dict = {}

    def __init__(self, *args, expand_tree=None, **kwargs):
        self.expand_tree = expand_tree or {}
        super().__init__(*args, **kwargs)

    @classmethod
    def created(cls, instance, **rows):
        """A just-created instance, its reverse relations in `prefetch` known without a query.

        Nothing else can refer to a row before its transaction commits, so those relations
        hold only the `rows` given here (each a list, in the relation's order); the others
        are empty. The response to a create then costs no queries.
        """
        meta = instance._meta
        cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
        for lookup in cls.prefetch:
            relation = meta.get_field(lookup.split("__", 1)[0])
            if relation.concrete or not relation.one_to_many:
                continue  # forward relations are already on the instance
            queryset = QuerySet(relation.related_model)
            queryset._result_cache = list(rows.pop(relation.name, ()))
            queryset._prefetch_done = True
            cache[relation.cache_name] = queryset
        if rows:
            raise ValueError(f"Not reverse relations in {cls.__name__}.prefetch: {list(rows)}")
        return instance

    # {wire name: group} of fields an application can have shielded (autorisatie.afscherming).
    afgeschermd: dict[str, str] = {}

    def to_internal_value(self, data):
        if self.afgeschermd:
            afscherming.check_write(self, data)
        return super().to_internal_value(data)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.afgeschermd:
            afscherming.shield(self, data)
        if self.expand_tree:
            data["_expand"] = render_expansions(self, instance, self.expand_tree)
        return data


# Comments, not docstrings, on these bases: drf-spectacular would copy a docstring into the
# description of every component built on them.


class ApiModelSerializer(ExpandableMixin, serializers.ModelSerializer):
    # Model serializer whose snake_case model fields appear in camelCase on the wire.

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: DateTimeField,
    }

    def get_fields(self):
        fields = {}
        for name, field in super().get_fields().items():
            camel = camelize(name)
            if camel != name and field.source is None:
                field.source = name
            fields[camel] = field
        return fields


class GroupSerializer(serializers.Serializer):
    # A gegevensgroep (address, name) stored as prefixed columns on the parent model.
    # Declare the group's fields with `source` set to the column suffix; instantiate with
    # `prefix="bezoekadres_"`. The group is read from and written to the parent's columns, so
    # PATCH of one sub-field leaves the others as they are.
    # Every key is in the response, empty ones as "" or null, as the reference sends them.

    # {wire name: group} of fields an application can have shielded (autorisatie.afscherming).
    afgeschermd: dict[str, str] = {}

    def __init__(self, *args, prefix: str = "", **kwargs):
        self.prefix = prefix
        kwargs.setdefault("source", "*")
        kwargs.setdefault("required", False)
        # An optional group may be sent as `null` (meaning: none of its values; on an update
        # they are cleared), as the contract says.
        kwargs.setdefault("allow_null", not kwargs["required"])
        super().__init__(*args, **kwargs)

    def to_representation(self, instance):
        data = {}
        for name, field in self.fields.items():
            value = getattr(instance, self.prefix + field.source, None)
            data[name] = field.to_representation(value) if value is not None else None
        if self.afgeschermd:
            afscherming.shield(self, data)
        return data

    def to_internal_value(self, data):
        if data is None:
            data = {}
        if self.afgeschermd:
            afscherming.check_write(self, data)
        validated = super().to_internal_value(data)
        if not getattr(self.root, "partial", False):
            # A PUT (or create) sends the group whole, as the reference reads it: a key it
            # leaves out has no value. A PATCH changes only the keys it sends.
            for field in self._writable_fields:
                if field.field_name not in data and not field.required:
                    validated.setdefault(field.source, None if field.allow_null else "")
        return {f"{self.prefix}{key}": value for key, value in validated.items()}

    def validate_empty_values(self, data):
        # `null` for a whole group means "no values": each of its fields empty, validated as
        # if sent so (a PATCH or PUT clears them; a create stores the same as without it).
        if data is None and self.allow_null:
            return False, {
                name: None if field.allow_null else ""
                for name, field in self.fields.items()
                if not field.read_only
            }
        return super().validate_empty_values(data)
