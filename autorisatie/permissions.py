"""What an application may do: the scope of a request's register and method, its `expand`
paths, and the purpose it names."""

from rest_framework import exceptions, permissions

from .context import PURPOSE_HEADER, RequestContext
from .scopes import LEZEN, REGISTERS, scope_for


def register_of(view) -> str | None:
    """The register a view serves: its `register`, else its model's app."""
    explicit = getattr(view, "register", None)
    if explicit:
        return explicit
    queryset = getattr(view, "queryset", None)
    if queryset is None:
        return None
    label = queryset.model._meta.app_label
    return label if label in REGISTERS else None


class MissingScope(exceptions.PermissionDenied):
    default_code = "missing-scope"

    def __init__(self, scope: str):
        super().__init__(
            f"De applicatie heeft de scope {scope} niet, die voor dit verzoek nodig is.",
            code="missing-scope",
        )


class Doelbinding(exceptions.PermissionDenied):
    default_code = "purpose-required"


def require_scope(context: RequestContext, scope: str) -> None:
    if not context.applicatie.heeft_scope(scope):
        raise MissingScope(scope)


def require_full_view(context: RequestContext, what: str) -> None:
    """For what holds everything (audit trails, inzage, the processing log): an application
    that sees everything: every register's read scope, no shielded groups and the scope
    klantcontacten.vertrouwelijk."""
    if context.vertrouwelijk_verborgen or context.afgeschermd:
        raise exceptions.PermissionDenied(
            f"{what}, ook afgeschermde velden, andere registers en vertrouwelijke "
            "klantcontacten; alleen een applicatie die alles ziet leest het.",
            code="niet-alles-zichtbaar",
        )


def check_expand(context: RequestContext, serializer_class, tree: dict) -> None:
    """Every register an `expand` reads into needs its read scope (a plain reference to an
    object there needs none)."""
    for name, subtree in tree.items():
        child = serializer_class.expandable[name].serializer_class()
        register = child.Meta.model._meta.app_label
        if register in REGISTERS:
            require_scope(context, f"{register}.{LEZEN}")
        check_expand(context, child, subtree)


def check_purpose(context: RequestContext) -> None:
    """A purpose that is named must be one of the application's; where the application must
    name one, it must."""
    if context.purpose_uri and context.verwerkingsactiviteit is None:
        raise Doelbinding(
            f"{context.purpose_uri} is geen verwerkingsactiviteit van deze applicatie.",
            code="unknown-purpose",
        )
    if context.applicatie.doelbinding_verplicht and context.verwerkingsactiviteit is None:
        raise Doelbinding(
            f"Noem de verwerkingsactiviteit van dit verzoek in de header {PURPOSE_HEADER}.",
            code="purpose-required",
        )


class HeeftScope(permissions.BasePermission):
    """The application has the scope of the view's register for the request's method, and,
    where it must, names one of its purposes."""

    def has_permission(self, request, view):
        context = request.auth
        if not isinstance(context, RequestContext):
            return False
        register = register_of(view)
        if register is None:
            return False  # every API view serves a register; one that does not is closed
        require_scope(context, scope_for(register, request.method))
        if request.method in ("PUT", "PATCH"):
            # Their response is the stored object: reading it is reading the register.
            require_scope(context, f"{register}.{LEZEN}")
        check_purpose(context)
        return True


class HeeftScopeVoor(permissions.BasePermission):
    """For a view outside the registers: the one scope it names in `scope`."""

    def has_permission(self, request, view):
        context = request.auth
        if not isinstance(context, RequestContext):
            return False
        require_scope(context, view.scope)
        check_purpose(context)
        return True
