"""Shielded fields (afscherming): groups of fields an application may not see.

A serializer names its fields that belong to a group in `afgeschermd` (`{"interneNotitie":
"interne_notitie"}`). For an application that has the group shielded, such a field's value
is replaced in every representation (lists, details, `_expand`, nested objects, responses to
writes; on both render paths) by its empty value: `""` for text, `null` for a number or a
date, a gegevensgroep with every part empty. That is the value the field has when nothing is
known, so a response stays valid against our documents and says nothing. Writing a shielded
field is a 403. A filter on it that matches exactly (a BSN a caller gives on the phone) still
works; the response does not repeat the value.
"""

from rest_framework import exceptions, serializers

from .context import current


def shielded() -> frozenset:
    """The groups shielded from the application of the current request."""
    context = current()
    return frozenset() if context is None else context.afgeschermd


def group_of(serializer, name: str) -> str | None:
    return getattr(serializer, "afgeschermd", {}).get(name)


def empty_value(field):
    """What a field reads as when nothing is known of it."""
    if isinstance(field, serializers.Serializer):
        return {
            name: empty_value(child) for name, child in field.fields.items() if not child.write_only
        }
    if isinstance(field, serializers.CharField | serializers.ChoiceField):
        return ""
    if isinstance(field, serializers.SerializerMethodField | serializers.ListField):
        return []  # the lists of objects a serializer computes (hadBetrokkenActoren)
    return None


def shield(serializer, data: dict) -> dict:
    """`data` (the serializer's representation) with the fields of shielded groups emptied."""
    groups = shielded()
    for name, group in getattr(serializer, "afgeschermd", {}).items():
        if group in groups and name in data:
            data[name] = empty_value(serializer.fields[name])
    return data


class Afgeschermd(exceptions.PermissionDenied):
    default_code = "shielded-field"


def check_search(afgeschermd: dict, params) -> None:
    """A search by part of a shielded value (`inhoud`, `adres__icontains`) would reveal it,
    a character at a time: refused. A FilterSet names such filters in `afgeschermd`, with
    their group, or groups: a search into another register is refused too to an application
    that may not read that register (`register:partijen`)."""
    groups = shielded()
    if not groups:
        return
    for name, named in afgeschermd.items():
        for group in (named,) if isinstance(named, str) else named:
            if group in groups and params.get(name):
                raise Afgeschermd(
                    f"Zoeken op een deel van {name} kan niet: het is voor deze applicatie "
                    f"afgeschermd ({group}).",
                    code="shielded-field",
                )


def check_ordering(afgeschermd: dict, value: str | None) -> None:
    """Ordering by a shielded value would reveal it by where a known value lands (a binary
    search): refused. A view names such `ordering` fields in `ordering_afgeschermd`."""
    groups = shielded()
    if not groups or not value or not afgeschermd:
        return
    for term in value.split(","):
        name = term.strip().removeprefix("-")
        group = afgeschermd.get(name)
        if group is not None and group in groups:
            raise Afgeschermd(
                f"Sorteren op {name} kan niet: het is voor deze applicatie afgeschermd ({group}).",
                code="shielded-field",
            )


def check_write(serializer, data) -> None:
    """A write that sends a field the application may not see is refused."""
    groups = shielded()
    if not groups or not isinstance(data, dict):
        return
    for name, group in getattr(serializer, "afgeschermd", {}).items():
        if group in groups and name in data and not serializer.fields[name].read_only:
            raise Afgeschermd(
                f"Het veld {name} is voor deze applicatie afgeschermd ({group}) en kan niet "
                "worden geschreven.",
                code="shielded-field",
            )
