"""The `{uuid, url}` reference used between resources, and the resource's own `url`."""

import uuid as uuidlib
from datetime import UTC, datetime
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.http.request import split_domain_port, validate_host
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from autorisatie import vertrouwelijk

from .lookups import get_by_uuid
from .urls import API_PREFIXES, resource_url


@extend_schema_field({"type": "string", "format": "uri", "maxLength": 1000, "minLength": 1})
class ResourceUrlField(serializers.Field):
    # The absolute url of the object itself.

    def __init__(self, resource: str, api: str = "klantinteracties", **kwargs):
        self.resource = resource
        self.api = api
        kwargs.setdefault("read_only", True)
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return resource_url(self.context.get("request"), self.resource, instance.uuid, self.api)


# The time zone database promises local offsets from 1970 on; before that its builds differ
# (Europe/Amsterdam is local mean time, +00:19:32, in some and Brussels time in others).
LOCAL_TIME_FROM = datetime(1970, 1, 1, tzinfo=UTC)


class DateTimeField(serializers.DateTimeField):
    # ISO 8601 in TIME_ZONE, as DRF renders it, from 1970 on; an earlier moment is written in
    # UTC ("Z"), the same instant: its local offset is not certain, and may have seconds,
    # which RFC 3339 does not allow. PostgreSQL renders the same (api.sqljson.isoformat).

    def enforce_timezone(self, value):
        if value.tzinfo is not None and value < LOCAL_TIME_FROM:
            try:
                return value.astimezone(UTC)
            except OverflowError:  # 0001-01-01T00:00:00+01:00 is in the year 0 in UTC
                self.fail("overflow")
        aware = super().enforce_timezone(value)
        if aware.tzinfo is not None:
            # A local time the clocks skipped (02:30 on the last Sunday of March) is read as
            # the moment it would have been before the change; through UTC it is shown with
            # the offset that moment had (03:30+02:00), as it is read back later.
            return aware.astimezone(UTC).astimezone(aware.tzinfo)
        return aware


class BlankAsNullCharField(serializers.CharField):
    """Text stored as "" when there is none, and sent as `null` then, as the reference does
    (its column is nullable). "" and `null` are both accepted for none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs["allow_null"] = kwargs["allow_blank"] = True
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)
        return "" if value is None else value

    def to_representation(self, value):
        return super().to_representation(value) or None


class UUIDArray(list):
    """The uuids of a reference list, read from an array annotation of the main query."""


class NullableManyRelatedField(serializers.ManyRelatedField):
    """Real clients send `null` for an empty list of references: treat it as `[]`."""

    def validate_empty_values(self, data):
        if data is None:
            return True, []
        return super().validate_empty_values(data)

    def get_attribute(self, instance):
        # A list view annotates the uuids of a reference list onto its rows (one query for
        # all of them); without that annotation the relation is read, prefetched or not.
        annotation = getattr(self.child_relation, "uuid_array", None)
        if annotation is not None:
            uuids = instance.__dict__.get(annotation)
            if uuids is not None:
                return UUIDArray(uuids)
        # Read a prefetched relation straight from the prefetch cache: going through the
        # related manager builds (and clones) a queryset per row just to return the same list.
        rows = prefetched(instance, self.source_attrs)
        if rows is not None:
            return rows
        related = super().get_attribute(instance)
        # Read anew (after a write): without what the request may not see.
        return vertrouwelijk.visible(related) if isinstance(related, QuerySet) else related

    def to_representation(self, iterable):
        if isinstance(iterable, UUIDArray):
            child = self.child_relation
            request = self.context.get("request")
            return [
                {"uuid": str(uuid), "url": resource_url(request, child.resource, uuid, child.api)}
                for uuid in iterable
            ]
        return super().to_representation(iterable)


def prefetched(instance, source_attrs):
    """The prefetched rows of a one-step relation, or None when it was not prefetched."""
    if len(source_attrs) != 1:
        return None
    cache = getattr(instance, "_prefetched_objects_cache", None)
    if not cache:
        return None
    rows = cache.get(source_attrs[0])
    return None if rows is None else list(rows)


class ReferenceField(serializers.RelatedField):
    """A reference to a resource of this API, as `{"uuid": ..., "url": ...}`.

    Accepts `{"uuid"}`, `{"uuid", "url"}` or `{"url"}`. The instance is resolved during
    validation, so an unknown uuid, `{}` or a url of another resource is a 400 on this field.
    A url is this API's when its host (if it has one) is the one the request came in on or one
    of `ALLOWED_HOSTS`, and its path ends in this API's `.../api/v1/<resource>/<uuid>`.
    """

    default_error_messages = {
        "required": "Geef de `uuid` of de `url` van het object waarnaar verwezen wordt.",
        "invalid": "Ongeldige referentie: verwacht een object met `uuid` (en optioneel `url`).",
        "invalid_uuid": "`{value}` is geen geldige UUID.",
        "does_not_exist": "Er bestaat geen object in `{resource}` met uuid {value}.",
        "url_mismatch": "De url is geen url van `{resource}` in deze API.",
        "uuid_mismatch": "`uuid` en `url` noemen verschillende objecten.",
    }

    def __init__(
        self,
        resource: str,
        api: str = "klantinteracties",
        component: str | None = None,
        uuid_array: str | None = None,
        **kwargs,
    ):
        self.resource = resource
        self.api = api
        # OpenAPI component name, when the contract names this reference unlike the default.
        self.component = component
        # For a read-only list: the annotation holding its uuids (see ExpandableMixin.uuid_arrays).
        self.uuid_array = uuid_array
        super().__init__(**kwargs)

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return NullableManyRelatedField(**list_kwargs)

    def validate_empty_values(self, data):
        # `null` for a reference the application sees as null because its target is hidden
        # from it (autorisatie.vertrouwelijk) keeps the reference: a GET-modify-PUT must not
        # cut a link to what it could not see.
        if data is None and vertrouwelijk.hidden() and self._hidden_target():
            raise serializers.SkipField()
        return super().validate_empty_values(data)

    def _hidden_target(self) -> bool:
        instance = getattr(self.parent, "instance", None)
        if instance is None or self.source in ("*", None) or "." in self.source:
            return False
        try:
            field = instance._meta.get_field(self.source)
        except FieldDoesNotExist:
            return False
        if not getattr(field, "many_to_one", False):
            return False
        target = getattr(instance, field.attname)
        if target is None:
            return False
        rows = field.related_model._default_manager.filter(pk=target)
        return not vertrouwelijk.visible(rows).exists()

    def use_pk_only_optimization(self):
        return False

    def to_representation(self, value):
        return {
            "uuid": str(value.uuid),
            "url": resource_url(self.context.get("request"), self.resource, value.uuid, self.api),
        }

    def _uuid_from_url(self, url: str) -> str:
        try:
            parsed = urlparse(url)
        except ValueError:  # e.g. an unclosed `[` in the host
            self.fail("url_mismatch", resource=self.resource)
        # A path alone (`/klantinteracties/api/v1/...`) is on this service; anything with a
        # scheme or a host must name it.
        if (parsed.scheme or parsed.netloc) and not self._own_host(parsed):
            self.fail("url_mismatch", resource=self.resource)
        path = parsed.path.rstrip("/")
        prefix, _, candidate = path.rpartition("/")
        # Whatever a proxy puts in front of it, the path ends in this API's own.
        if not prefix.endswith(f"{API_PREFIXES[self.api]}{self.resource}"):
            self.fail("url_mismatch", resource=self.resource)
        return candidate

    def _own_host(self, parsed) -> bool:
        # The host name counts, not the scheme or port: behind a proxy that ends TLS a client
        # may well write `https://` for what the service reads as `http://`.
        if parsed.scheme not in ("", "http", "https") or "\\" in parsed.netloc:
            return False
        host, _ = split_domain_port(parsed.netloc.rpartition("@")[2])
        if not host:
            return False
        request = self.context.get("request")
        if request is not None and host == split_domain_port(request.get_host())[0]:
            return True
        # Another name the service answers to; `*` allows any host, so it does not count.
        return validate_host(
            host, [allowed for allowed in settings.ALLOWED_HOSTS if allowed != "*"]
        )

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("invalid")
        value = data.get("uuid")
        url = data.get("url")
        if url is not None and not isinstance(url, str):
            self.fail("invalid")
        if value in (None, ""):
            if not url:
                self.fail("required")
            value = self._uuid_from_url(url)
        elif url:
            if str(self._uuid_from_url(url)).lower() != str(value).lower():
                self.fail("uuid_mismatch")
        try:
            parsed = uuidlib.UUID(str(value))
        except (ValueError, AttributeError, TypeError):
            self.fail("invalid_uuid", value=value)
        # An object the application may not see is unknown to it.
        queryset = vertrouwelijk.visible(self.get_queryset())
        try:
            return get_by_uuid(queryset, parsed)
        except queryset.model.DoesNotExist:
            self.fail("does_not_exist", resource=self.resource, value=parsed)
