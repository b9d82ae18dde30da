"""What is done in the admin, in the audit trail and the processing log.

The admin saves and deletes through the ORM (forms, inlines, bulk actions), so its changes
are caught by the model signals of the API's resources, while the admin's request is the
current one (`BeheerMiddleware`): each object saved or deleted gets its audit record, in the
admin's transaction, with the staff user as gebruiker and `beheer` as bron.

Reading is processing too: a page that shows objects of a model with personal data (a list
page, an object's page, its history or delete confirmation, an action's confirmation, an
autocomplete field's answer) records their subjects (`beheer.<model>.list`, `.retrieve`,
`.autocomplete`) before it is sent; a page whose record cannot be stored is not sent (503).
"""

import contextvars
import json
import logging
import secrets

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from .subjecten import subjects_of
from .vastleggen import LogboekNietBeschikbaar, Wie, audit_vastleggen, verwerking_vastleggen
from .viewsets import deletion_subjects, logged, wijziging

logger = logging.getLogger(__name__)

ADMIN_PREFIX = "/admin/"

_request = contextvars.ContextVar("beheer_request", default=None)


class BeheerMiddleware:
    """Makes an admin request the current one while it is handled, and logs what its page
    shows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(ADMIN_PREFIX):
            return self.get_response(request)
        token = _request.set(request)
        start = timezone.now()
        try:
            response = self.get_response(request)
            if response.status_code == 200:
                # A page that shows personal data (also a form sent back with errors, or an
                # action's confirmation, answering a POST).
                response = _log_read(request, response, start)
            return response
        finally:
            _request.reset(token)


# The context key in which a page of this project's own admin views (an action's
# confirmation) names the objects it shows.
GETOOND = "beheer_getoond"


def _shown(request, response) -> tuple | None:
    """`(model, keys, action, deleted)` of the objects an admin page shows: a change list's
    page, an object's change, history or delete page, an action's confirmation (Django's
    `delete_selected`, or `GETOOND` of this project's), the answer of an autocomplete field.
    `deleted`: the page shows what their deletion would take along."""
    if isinstance(response, JsonResponse):
        return _autocomplete(request, response)
    context = getattr(response, "context_data", None) or {}
    changelist = context.get("cl")
    if changelist is not None and hasattr(changelist, "result_list"):
        return changelist.model, [obj.pk for obj in changelist.result_list], "list", False
    deleted = "deleted_objects" in context or "deletable_objects" in context
    for key in ("original", "object"):
        obj = context.get(key)
        if isinstance(obj, Model):
            return type(obj), [obj.pk], "retrieve", deleted
    objects = context.get("queryset", context.get(GETOOND))
    if isinstance(objects, QuerySet):
        return objects.model, list(objects.values_list("pk", flat=True)), "list", deleted
    if objects and isinstance(objects, list | tuple) and isinstance(objects[0], Model):
        return type(objects[0]), [obj.pk for obj in objects], "list", deleted
    return None


def _autocomplete(request, response) -> tuple | None:
    """An autocomplete field's answer: the objects of the field's target it names."""
    if not request.path_info.startswith(f"{ADMIN_PREFIX}autocomplete/"):
        return None
    params = request.GET
    try:
        source = apps.get_model(params["app_label"], params["model_name"])
        field = source._meta.get_field(params["field_name"])
        target = field.remote_field.model
        to_field = field.remote_field.get_related_field().attname
        ids = [result["id"] for result in json.loads(response.content)["results"]]
    except (KeyError, LookupError, ValueError, TypeError, AttributeError, FieldDoesNotExist):
        return None
    keys = list(
        target._default_manager.filter(**{f"{to_field}__in": ids}).values_list("pk", flat=True)
    )
    return target, keys, "autocomplete", False


def _log_read(request, response, start):
    shown = _shown(request, response)
    if shown is None:
        return response
    model, keys, action, deleted = shown
    if not logged(model) or not keys:
        return response
    try:
        if deleted:
            objects = list(model._default_manager.filter(pk__in=keys))
            extra = {"eerder": deletion_subjects(objects)}
        else:
            extra = {"model": model, "keys": keys}
        verwerking_vastleggen(
            wie=wie_van(request),
            naam=f"beheer.{model._meta.model_name}.{action}",
            bewerking="lezen",
            status_code=200,
            start=start,
            **extra,
        )
    except LogboekNietBeschikbaar as exc:
        response = HttpResponse(
            str(exc.detail), status=503, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = str(exc.wait)
    return response


def _resources() -> dict:
    """{model: viewset} of the API's resources."""
    from klantinteracties.api.viewsets import RegisterViewSet

    found, todo = {}, [RegisterViewSet]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        queryset = getattr(cls, "queryset", None)
        if queryset is not None and getattr(cls, "serializer_class", None) is not None:
            found.setdefault(queryset.model, cls)
    return found


def _render(request, viewset, pk) -> dict | None:
    instance = viewset.queryset.model._default_manager.filter(pk=pk).first()
    if instance is None:
        return None
    return dict(viewset.serializer_class(instance, context={"request": request}).data)


def wie_van(request) -> Wie:
    """Who changes something in the admin: the staff user, with bron `beheer`."""
    user = getattr(request, "user", None)
    return Wie(
        bron="beheer",
        trace_id=secrets.token_hex(16),
        span_id=secrets.token_hex(8),
        gebruikers_id=str(getattr(user, "pk", "") or ""),
        gebruikers_weergave=str(getattr(user, "username", "") or ""),
        applicatie_weergave="Beheer",
    )


def _viewset(sender):
    if _request.get() is None:
        return None
    return _resources().get(sender)


def _before_save(sender, instance, **kwargs):
    viewset = _viewset(sender)
    if viewset is None or instance.pk is None:
        return
    instance._beheer_oud = _render(_request.get(), viewset, instance.pk)
    instance._beheer_subjecten = subjects_of(sender, [instance.pk])


def _after_save(sender, instance, created, **kwargs):
    viewset = _viewset(sender)
    if viewset is None:
        return
    request = _request.get()
    oud = None if created else instance.__dict__.pop("_beheer_oud", None)
    nieuw = _render(request, viewset, instance.pk)
    _record(
        request,
        sender,
        instance,
        "create" if created else "update",
        oud,
        nieuw,
        keys=[instance.pk],
        eerder=instance.__dict__.pop("_beheer_subjecten", []),
    )


def _before_delete(sender, instance, **kwargs):
    viewset = _viewset(sender)
    if viewset is None:
        return
    instance._beheer_oud = _render(_request.get(), viewset, instance.pk)
    instance._beheer_subjecten = subjects_of(sender, [instance.pk])


def _after_delete(sender, instance, **kwargs):
    viewset = _viewset(sender)
    if viewset is None:
        return
    _record(
        _request.get(),
        sender,
        instance,
        "destroy",
        instance.__dict__.pop("_beheer_oud", None),
        None,
        keys=[],
        eerder=instance.__dict__.pop("_beheer_subjecten", []),
    )


def _record(request, model, instance, actie, oud, nieuw, *, keys, eerder):
    wie = wie_van(request)
    # The handeling starts before its audit record is written, as a request's does.
    start = timezone.now()
    status_code = {"create": 201, "destroy": 204}.get(actie, 200)
    audit_vastleggen(
        wie=wie,
        resultaat=status_code,
        wijzigingen=[wijziging(instance, actie, oud, nieuw)],
    )
    if logged(model):
        verwerking_vastleggen(
            wie=wie,
            naam=f"beheer.{model._meta.model_name}.{actie}",
            bewerking={"create": "aanmaken", "destroy": "verwijderen"}.get(actie, "wijzigen"),
            status_code=status_code,
            start=start,
            model=model,
            keys=keys,
            eerder=eerder,
        )


# The apps whose models the API serves (connected per model: other models keep Django's
# fast deletes, which signal receivers would turn off).
REGISTER_APPS = ("partijen", "klantcontacten", "taken", "contactgegevens")


def connect() -> None:
    from django.apps import apps

    for label in REGISTER_APPS:
        for model in apps.get_app_config(label).get_models():
            for signal, receiver in (
                (pre_save, _before_save),
                (post_save, _after_save),
                (pre_delete, _before_delete),
                (post_delete, _after_delete),
            ):
                signal.connect(
                    receiver,
                    sender=model,
                    dispatch_uid=f"logboek.beheer.{receiver.__name__}.{model._meta.label}",
                )
