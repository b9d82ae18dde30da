"""Confidential klantcontacten (`vertrouwelijk: true`).

For an application without the scope `klantcontacten.vertrouwelijk` the register looks
exactly as if every confidential klantcontact had been deleted: it does not exist, nor does
what would go with it (its betrokkenen, onderwerpobjecten, bijlagen, interne taken and
actorklantcontacten), and a reference to one of those is null, as after a delete (a digitaal
adres's `verstrektDoorBetrokkene`, an onderwerpobject's `wasKlantcontact`). Lists, counts,
filters, `expand`, reverse relations, details (404) and writes (404; a reference to one is
unknown) all follow from that.

One definition, `PATHS`: per model, the path from a row to the klantcontact it hangs off.
From it come the ORM filter (viewsets, prefetches, reference lookups, uuid arrays, filters)
and the SQL condition of the lists PostgreSQL renders (api/sqljson.py).
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch, Q
from django.db.models.constants import LOOKUP_SEP

from .context import current

# "app_label.Model" -> the path from a row to its klantcontact ("" for the klantcontact).
PATHS = {
    "klantcontacten.Klantcontact": "",
    "klantcontacten.Betrokkene": "klantcontact",
    "klantcontacten.Onderwerpobject": "klantcontact",
    "klantcontacten.Bijlage": "klantcontact",
    "taken.InterneTaak": "klantcontact",
    "taken.ActorKlantcontact": "klantcontact",
    "taken.InterneTaakToewijzing": "internetaak__klantcontact",
}


def hidden() -> bool:
    """Whether confidential klantcontacten are hidden in the current request."""
    context = current()
    return context is not None and context.vertrouwelijk_verborgen


def _path(model) -> str | None:
    return PATHS.get(model._meta.label)


def restricted(model) -> bool:
    return _path(model) is not None


def hangs_off(model, field_name: str) -> bool:
    """Whether rows of `model` hang off a klantcontact through their field `field_name` (the
    betrokkenen of a klantcontact, the toewijzingen of an interne taak): the rows of a parent
    the request sees are seen too, and need no check of their own."""
    path = _path(model)
    return bool(path) and path.split("__", 1)[0] == field_name


def hidden_q(model) -> Q | None:
    """The rows of `model` that hang off a confidential klantcontact; None if none can."""
    path = _path(model)
    if path is None:
        return None
    return Q(**{_flag(path): True})


def hidden_lookup(model) -> str | None:
    """The lookup from a row of `model` to the `vertrouwelijk` of its klantcontact; None for
    a model that cannot hang off one."""
    path = _path(model)
    return None if path is None else _flag(path)


def seen_through(model, field) -> bool:
    """Whether the rows `field` of a row of `model` the request sees leads to are seen too:
    the betrokkenen of a klantcontact (they hang off it), the klantcontact of a betrokkene
    (it hangs off that). Else a row on the other side may be hidden."""
    related = field.related_model
    if not restricted(related):
        return True
    if field.one_to_many:
        return hangs_off(related, field.field.name)
    path = _path(model)
    return bool(path) and field.many_to_one and path.split(LOOKUP_SEP, 1)[0] == field.name


def _flag(path: str) -> str:
    """The lookup of the klantcontact's `vertrouwelijk` at the end of `path`."""
    return f"{path}__vertrouwelijk" if path else "vertrouwelijk"


def visible(queryset):
    """The queryset without what the current request may not see."""
    if not hidden():
        return queryset
    condition = hidden_q(queryset.model)
    return queryset if condition is None else queryset.exclude(condition)


def hidden_sql(model, alias: str) -> str | None:
    """SQL that holds for a row (`alias`) of `model` hanging off a confidential klantcontact;
    None if none can. The same rows as `hidden_q`."""
    path = _path(model)
    if path is None:
        return None
    if not path:
        return f'{alias}."vertrouwelijk"'
    sources, conditions = [], []
    step_model, row = model, alias
    for index, step in enumerate(path.split("__")):
        field = step_model._meta.get_field(step)
        target = f"_vertrouwelijk{index}"
        sources.append(f"{field.related_model._meta.db_table} {target}")
        conditions.append(f'{target}."{field.target_field.column}" = {row}."{field.column}"')
        step_model, row = field.related_model, target
    return (
        f"EXISTS (SELECT 1 FROM {', '.join(sources)} "
        f'WHERE {" AND ".join(conditions)} AND {row}."vertrouwelijk")'
    )


def visible_lookups(model, lookups) -> list:
    """Prefetch lookups that leave out what the current request may not see: each relation
    (at any depth) to a model that can hang off a confidential klantcontact is prefetched
    with a filtered queryset (a to-one reference to a hidden row becomes None)."""
    lookups = list(lookups)
    if not hidden():
        return lookups
    prefetches: dict[str, Prefetch] = {}
    for lookup in lookups:
        if not isinstance(lookup, str):
            continue
        step_model, parts = model, lookup.split(LOOKUP_SEP)
        for depth, part in enumerate(parts):
            try:
                field = step_model._meta.get_field(part)
            except FieldDoesNotExist:
                break
            if not field.is_relation or field.related_model is None:
                break
            related = field.related_model
            prefix = LOOKUP_SEP.join(parts[: depth + 1])
            if restricted(related) and prefix not in prefetches:
                queryset = visible(related._default_manager.all())
                prefetches[prefix] = Prefetch(prefix, queryset=queryset)
            step_model = related
    # A relation's Prefetch before those through it, and before the plain lookups.
    ordered = sorted(prefetches.values(), key=lambda p: p.prefetch_through.count(LOOKUP_SEP))
    return [*ordered, *lookups]


def visible_through(queryset, relation: str):
    """The queryset without rows whose `relation` is a row the current request may not see,
    for a filter on that relation's fields (after a delete the reference would be null, and
    match nothing)."""
    if not hidden():
        return queryset
    related = queryset.model._meta.get_field(relation).related_model
    path = _path(related)
    if path is None:
        return queryset
    return queryset.exclude(**{f"{relation}__{_flag(path)}": True})
