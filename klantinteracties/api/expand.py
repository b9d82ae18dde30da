"""`expand`: include related resources under `_expand`, without N+1 queries.

A serializer names what may be expanded from it in `expandable`; a viewset lists the paths
the contract allows in `expand_paths`. A request's paths become (1) a tree that the serializer
walks to render `_expand.<name>` (nested as `_expand.<a>._expand.<b>`) and (2) a fixed set of
prefetch lookups, so the query count depends on the paths, never on the number of rows.
"""

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from rest_framework.exceptions import ErrorDetail

from autorisatie import vertrouwelijk

from .errors import ProblemValidationError


@dataclass(frozen=True)
class Expandable:
    """One relation that may be expanded.

    serializer: dotted path of the serializer that renders the related object(s).
    lookup: the model relation to prefetch (and read) for it.
    many: a list (reverse or many-to-many relation) rather than a single object.
    attribute: for objects reached through link rows (an interne taak's actoren through its
      toewijzingen): the link's relation to the object rendered; links without one are left
      out. The links' order is the list's order.
    relation: the name under which the SQL compiler finds the rendered rows (a relation
      registered in `sqljson.RELATIONS`), when it is not `lookup`.
    """

    serializer: str
    lookup: str
    many: bool = True
    attribute: str | None = None
    relation: str | None = None

    @property
    def path(self) -> str:
        """The Django lookup from the parent to the rendered objects."""
        return f"{self.lookup}__{self.attribute}" if self.attribute else self.lookup

    def serializer_class(self):
        module, _, name = self.serializer.rpartition(".")
        return getattr(import_module(module), name)


def parse_expand(raw: str | None, allowed: tuple[str, ...]) -> dict:
    """Turn `a,a.b,c` into `{"a": {"b": {}}, "c": {}}`, rejecting paths the contract lacks."""
    tree: dict = {}
    if not raw:
        return tree
    paths = [p.strip() for p in raw.split(",") if p.strip()]
    unknown = [p for p in paths if p not in allowed]
    if unknown:
        raise ProblemValidationError(
            {
                "expand": [
                    ErrorDetail(
                        f"Onbekende expand-waarde(n): {', '.join(unknown)}. "
                        f"Toegestaan: {', '.join(allowed)}.",
                        code="invalid_choice",
                    )
                ]
            },
            code="invalid",
        )
    # The contract's order, whatever the request's: `_expand` keys come out the same for
    # `a,b` and `b,a`, and one compiled statement or serializer serves both.
    for path in sorted(set(paths), key=allowed.index):
        node = tree
        for part in path.split("."):
            node = node.setdefault(part, {})
    return tree


def representation_lookups(serializer_class, *, annotated: bool = False) -> list[str]:
    """Lookups a serializer's own representation needs (its reference lists, FK refs).

    With `annotated`, the reference lists read from uuid arrays need no prefetch.
    """
    lookups = list(getattr(serializer_class, "prefetch", ()))
    if annotated:
        covered = {
            relation for relation, _ in getattr(serializer_class, "uuid_arrays", {}).values()
        }
        lookups = [lookup for lookup in lookups if lookup not in covered]
    return lookups


@cache
def uuid_array_annotations(serializer_class, hidden: bool = False) -> dict:
    """`{annotation: ArraySubquery}` for the reference lists a serializer reads as uuid arrays;
    with `hidden`, without rows of confidential klantcontacten (autorisatie.vertrouwelijk).

    Built once per serializer class and `hidden`: `annotate()` resolves a copy of each
    expression, so the same expressions serve every request.
    """
    return {
        name: build(hidden)
        for name, (_, build) in getattr(serializer_class, "uuid_arrays", {}).items()
    }


def related_uuids(model, relation: str, *, value: str = "uuid", replaces: str | None = None):
    """The uuid array of one reverse relation of `model`, in the relation's own order (the
    order a prefetch gives), and the prefetch lookup it replaces (default: the relation)."""

    def build(hidden: bool):
        field = model._meta.get_field(relation)
        related = field.related_model
        ordering = related._meta.ordering or ["id"]
        rows = related._default_manager.filter(**{field.field.name: OuterRef("pk")})
        condition = vertrouwelijk.hidden_q(related) if hidden else None
        if condition is not None:
            rows = rows.exclude(condition)
        return ArraySubquery(rows.order_by(*ordering).values(value))

    return replaces or relation, build


def expand_lookups(serializer_class, tree: dict, prefix: str = "") -> list[str]:
    lookups: list[str] = []
    for name, subtree in tree.items():
        expandable = serializer_class.expandable[name]
        lookup = f"{prefix}{expandable.lookup}"
        lookups.append(lookup)
        if expandable.attribute:
            lookup = f"{lookup}__{expandable.attribute}"
            lookups.append(lookup)
        child = expandable.serializer_class()
        lookups += [f"{lookup}__{extra}" for extra in representation_lookups(child)]
        lookups += expand_lookups(child, subtree, prefix=f"{lookup}__")
    return lookups


def render_expansions(serializer, instance, tree: dict) -> dict:
    # One child serializer per expansion and parent serializer, reused for every row.
    children = serializer.__dict__.setdefault("_expand_serializers", {})
    prefetched = getattr(instance, "_prefetched_objects_cache", {})
    expanded = {}
    for name, subtree in tree.items():
        expandable = serializer.expandable[name]
        child = children.get(name)
        if child is None:
            child = children[name] = expandable.serializer_class()(
                context=serializer.context, expand_tree=subtree
            )
        if expandable.many:
            if expandable.lookup in prefetched:
                items = prefetched[expandable.lookup]
            else:
                items = getattr(instance, expandable.lookup).all()
            if expandable.attribute:
                items = [getattr(link, expandable.attribute) for link in items]
            expanded[name] = [child.to_representation(item) for item in items if item is not None]
        else:
            value = getattr(instance, expandable.lookup)
            expanded[name] = None if value is None else child.to_representation(value)
    return expanded
