"""The seam between the registers and the log: one mixin on the base viewset.

`VerwerkingenlogMixin` logs every read and write of personal data (one handeling, a record
per data subject) and records every write in the audit trail, in the write's transaction;
`AuditTrailMixin` adds `GET <resource>/{uuid}/audittrail` and `.../audittrail/{uuid}`.
"""

import contextlib
import logging
import uuid as uuid_module
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from autorisatie import context as request_context
from autorisatie.permissions import require_full_view, require_scope
from autorisatie.scopes import AUDITTRAILS_LEZEN
from klantinteracties.api.urls import UUID_REGEX

from .models import AuditRecord, Bewerking, Handeling
from .serializers import AuditTrailSerializer
from .subjecten import subjects_of
from .vastleggen import (
    LeesRecord,
    Wie,
    Wijziging,
    audit_vastleggen,
    lezen_wacht,
    verwerking_vastleggen,
)

logger = logging.getLogger(__name__)

TOELICHTING_HEADER = "X-Audit-Toelichting"

# How far apart a deletion's handeling may start and its audit record be written (the request's
# duration, and the clocks of the service and of PostgreSQL).
VERWIJDERING_DUUR = timedelta(hours=1)

BEWERKING = {"POST": "aanmaken", "PUT": "wijzigen", "PATCH": "wijzigen", "DELETE": "verwijderen"}


@contextlib.contextmanager
def full_view():
    """Render as the register holds it: no shielded fields, nothing hidden (for the audit
    trail, whose records a privacy officer reads, whatever the writer could see)."""
    token = request_context.activate(None)
    try:
        yield
    finally:
        request_context.deactivate(token)


def bron_of(model) -> str:
    return "contactgegevens" if model._meta.app_label == "contactgegevens" else "klantinteracties"


def logged(model) -> bool:
    """Whether objects of the model are personal data (they name their data subjects)."""
    return bool(getattr(model, "SUBJECTEN", ()))


def deletion_subjects(objects) -> "list[tuple]":
    """The subjects of the objects and of everything their deletion takes along (a
    klantcontact's interne taken concern their actoren, a partij's vertegenwoordigingen the
    partij it represented): found as Django's deletion finds what it cascades to."""
    if not objects:
        return []
    groups: dict = defaultdict(list)
    for obj in objects:
        groups[type(obj)].append(obj)
    collector = Collector(using=router.db_for_write(type(objects[0])))
    keys: dict = defaultdict(set)
    try:
        for objs in groups.values():
            collector.collect(objs)
    except (ProtectedError, RestrictedError):
        # The deletion itself is refused; it concerns no one else.
        for model, objs in groups.items():
            keys[model].update(obj.pk for obj in objs)
    else:
        for model, objs in collector.data.items():
            keys[model].update(obj.pk for obj in objs)
        for queryset in collector.fast_deletes:
            keys[queryset.model].update(queryset.values_list("pk", flat=True))
    found: dict = {}
    # What a deletion takes along concerns its subjects, seen by the caller or not.
    with full_view():
        for model, pks in keys.items():
            if logged(model):
                found.update(dict.fromkeys(subjects_of(model, sorted(pks))))
    return list(found)


class VerwerkingenlogMixin:
    # The audit trail's name for the resource; default: the model's name.
    audit_resource: str | None = None
    # The model whose objects a view reads and writes; default: its queryset's.
    log_model = None

    def _model(self):
        return self.log_model or self.queryset.model

    # The object of a detail request, fetched once (a write reads it before and after).
    def get_object(self):
        cached = self.__dict__.get("_logboek_object")
        if cached is None:
            cached = self._logboek_object = super().get_object()
        return cached

    def _wie(self) -> Wie:
        request = self.request
        return Wie.van(
            request.auth,
            bron_of(self._model()),
            request.headers.get(TOELICHTING_HEADER, "")[:1000],
        )

    def _naam(self) -> str:
        # The route's name: `partijen`, or the url name of a route of its own.
        name = getattr(self, "basename", None) or self.request.resolver_match.url_name
        return f"{name}.{self.action}"

    # Reads: ExpandMixin notes the keys it rendered in `_gelezen`.

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._log_read(response)
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if getattr(self, "_gelezen", None) is None and "_logboek_object" in self.__dict__:
            self._gelezen = [self._logboek_object.pk]
        self._log_read(response)
        return response

    def render_with_record(self, connection, render):
        """A page the register renders in SQL writes the read's record in its own statement
        (vastleggen.LeesRecord): no second statement, round trip or commit. Not when the
        page is read elsewhere than the log is written (a replica).

        When that statement fails other than for the connection or a time limit, the page is
        read again without it and `_log_read` writes the record on its own: a read whose
        record cannot be stored is then refused as always (503), and an error of the read
        itself is the read's."""
        model = self._model()
        if not logged(model) or settings.LOGBOEK_UIT or connection.alias != DEFAULT_DB_ALIAS:
            return render(None)
        record = LeesRecord(
            wie=self._wie(),
            naam=self._naam(),
            start=self._start,
            model=model,
            serializer_class=self.get_serializer_class(),
            tree=self.get_expand_tree(),
            wachten=lezen_wacht(connection),
        )
        try:
            # In a transaction (not an API read's own), a failure must not end it.
            with (
                transaction.atomic(using=connection.alias)
                if connection.in_atomic_block
                else contextlib.nullcontext()
            ):
                result = render(record)
        except OperationalError:
            raise
        except DatabaseError:
            logger.warning("Lezen met verwerkingsrecord mislukt; opnieuw zonder.", exc_info=True)
            return render(None)
        self._gelezen_vastgelegd = record.used
        return result

    def _log_read(self, response) -> None:
        model = self._model()
        if (
            not logged(model)
            or response.status_code >= 400
            or self.__dict__.get("_gelezen_vastgelegd")
        ):
            return
        keys = getattr(self, "_gelezen", None) or []
        verwerking_vastleggen(
            wie=self._wie(),
            naam=self._naam(),
            bewerking="lezen",
            status_code=response.status_code,
            start=self._start,
            model=model,
            keys=keys,
            serializer_class=self.get_serializer_class(),
            tree=self.get_expand_tree(),
        )

    # Writes: inside the write's transaction (AtomicWritesMixin wraps these).

    def side_objects(self, instance, data) -> "list[tuple]":
        """`(object, serializer class)` of the objects other than the one written whose own
        data the write may change, from its validated `data` (a partij that takes another
        partij's digitaal adres changes that adres). Each that changed gets an audit record
        of its own, and its subjects before the change are the write's too."""
        return []

    def _side_before(self, instance, data) -> None:
        self._side = [
            (obj, serializer_class, self.audit_representation(obj, None, serializer_class))
            for obj, serializer_class in self.side_objects(instance, data)
        ]
        self._side_eerder = [
            row for obj, _, _ in self._side for row in subjects_of(type(obj), [obj.pk])
        ]

    def _side_changes(self) -> "list[tuple]":
        changes = []
        for obj, serializer_class, oud in self.__dict__.get("_side", ()):
            nieuw = self.audit_representation(obj, None, serializer_class)
            if nieuw != oud:
                changes.append((obj, oud, nieuw))
        return changes

    def perform_create(self, serializer):
        self._side_before(None, serializer.validated_data)
        super().perform_create(serializer)
        self._geschreven = serializer.instance

    def perform_update(self, serializer):
        self._side_before(serializer.instance, serializer.validated_data)
        super().perform_update(serializer)

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        self._log_write(
            response,
            self.created_changes(self._geschreven, response.data),
            side=self._side_changes(),
            eerder=self.__dict__.get("_side_eerder", ()),
        )
        return response

    def created_changes(self, instance, data) -> "list[tuple]":
        """`(object, oud, nieuw)` for each object a create made (a view that makes several,
        such as maak-klantcontact, names them all)."""
        return [(instance, None, self.audit_representation(instance, data))]

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        eerder = subjects_of(type(instance), [instance.pk])
        oud = self.audit_representation(instance)
        response = super().update(request, *args, **kwargs)
        nieuw = self.audit_representation(instance, response.data)
        self._log_write(
            response,
            [(instance, oud, nieuw)],
            side=self._side_changes(),
            eerder=[*eerder, *self.__dict__.get("_side_eerder", ())],
        )
        return response

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        pk, identity = instance.pk, instance.uuid
        eerder = self.subjects_of_deletion(instance)
        oud = self.audit_representation(instance)
        response = self.destroyed_response(super().destroy(request, *args, **kwargs))
        instance.pk, instance.uuid = pk, identity
        self._log_write(response, [(instance, oud, None)], eerder=eerder)
        return response

    def deleted_with(self, instance) -> "list":
        """What a deletion of `instance` deletes itself, beside what the foreign keys of its
        model cascade to (a view whose deletion takes more names it here)."""
        return []

    def subjects_of_deletion(self, instance) -> "list[tuple]":
        """The subjects of the object and of everything its deletion takes along."""
        return deletion_subjects([instance, *self.deleted_with(instance)])

    def destroyed_response(self, response):
        """The answer to a deletion (a view whose answer has a body builds it here)."""
        return response

    def audit_representation(self, instance, rendered=None, serializer_class=None) -> dict:
        """The object as the register holds it: the response's rendering when the caller
        sees everything, else rendered again in full from the database."""
        context = self.request.auth
        if rendered is not None and not (context.afgeschermd or context.vertrouwelijk_verborgen):
            return dict(rendered)
        with full_view():
            if serializer_class is None:
                serializer_class = self.get_serializer_class()
                fresh = self.get_queryset().filter(pk=instance.pk).first()
            else:
                fresh = type(instance)._default_manager.filter(pk=instance.pk).first()
            if fresh is None:
                return dict(rendered or {})
            serializer = serializer_class(fresh, context=self.get_serializer_context())
            return dict(serializer.data)

    def _log_write(self, response, changes, *, eerder=(), side=()) -> None:
        model = self._model()
        wie = self._wie()
        actie = (
            self.action
            if self.action != "update" or self.request.method == "PUT"
            else ("partial_update")
        )
        wijzigingen = [
            wijziging(
                instance, actie, oud, nieuw, resource=self.audit_resource, request=self.request
            )
            for instance, oud, nieuw in changes
        ] + [
            wijziging(instance, "update", oud, nieuw, request=self.request)
            for instance, oud, nieuw in side
        ]
        audit_vastleggen(wie=wie, resultaat=response.status_code, wijzigingen=wijzigingen)
        if logged(model):
            verwerking_vastleggen(
                wie=wie,
                naam=self._naam(),
                bewerking=BEWERKING.get(self.request.method, "wijzigen"),
                status_code=response.status_code,
                start=self._start,
                model=model,
                keys=[
                    instance.pk
                    for instance, _, nieuw in changes
                    if nieuw is not None and isinstance(instance, model)
                ],
                eerder=eerder,
            )


def wijziging(instance, actie, oud, nieuw, *, resource=None, request=None) -> Wijziging:
    """One object's change; its hoofdobject is named by the model's HOOFDOBJECT (the key of
    the reference in its representation), else it is its own."""
    representation = nieuw or oud or {}
    url = representation.get("url", "")
    hoofd = getattr(type(instance), "HOOFDOBJECT", None)
    reference = representation.get(hoofd) if hoofd else None
    hoofd_url = reference.get("url") if isinstance(reference, dict) else None
    return Wijziging(
        actie=actie,
        resource=resource or type(instance)._meta.model_name,
        resource_uuid=instance.uuid,
        resource_url=url,
        hoofd_object=hoofd_url or url,
        resource_weergave=str(instance)[:200],
        oud=oud,
        nieuw=nieuw,
    )


class AuditTrailMixin:
    """`GET <resource>/{uuid}/audittrail[/{uuid}]`: the changes of an object, also after it
    was deleted. Needs the scope audittrails.lezen (beside the register's read scope) and a
    view of everything: the records hold the object as it was, shielded fields included."""

    def _check_audittrail(self):
        context = self.request.auth
        require_scope(context, AUDITTRAILS_LEZEN)
        require_full_view(context, "De audit trail bevat objecten zoals ze waren")

    def _trail(self):
        self._check_audittrail()
        return AuditRecord.objects.filter(
            resource_uuid=self.kwargs[self.lookup_url_kwarg or self.lookup_field],
            resource=self.audit_resource or self.queryset.model._meta.model_name,
        ).order_by("id")

    @extend_schema(
        summary="De audit trail van een object.",
        description="Elke wijziging van het object, oudste eerst, met wie, waarom en de "
        "representatie ervoor en erna; ook van een verwijderd object. Scopes: "
        "`<register>.lezen` en `audittrails.lezen`.",
        responses={200: AuditTrailSerializer(many=True)},
        parameters=[],
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="audittrail",
        filter_backends=[],
        pagination_class=None,
    )
    def audittrail(self, request, *args, **kwargs):
        records = list(self._trail())
        if not records:
            raise exceptions.NotFound("Geen audit trail voor dit object.")
        self._log_trail_read()
        return Response(AuditTrailSerializer(records, many=True).data)

    def _log_trail_read(self) -> None:
        # Reading a trail reads the object as it was: a processing of its subjects, those it
        # has now, or a deleted object's as its deletion recorded them.
        model = self.queryset.model
        pk = (
            model._default_manager.filter(uuid=self.kwargs[self.lookup_url_kwarg or "uuid"])
            .values_list("pk", flat=True)
            .first()
        )
        verwerking_vastleggen(
            wie=self._wie(),
            naam=self._naam(),
            bewerking="lezen",
            status_code=200,
            start=self._start,
            eerder=subjects_of(model, [pk]) if pk is not None else self._subjects_when_deleted(),
        )

    def _subjects_when_deleted(self) -> "list[tuple]":
        """The subjects the deletion of this trail's object recorded: the records of its
        handeling (the same trace and span as its audit record). An object that is a subject
        itself is one, whatever else was kept."""
        deletion = self._trail().filter(actie="destroy").order_by("-id").first()
        rows: list[tuple] = []
        if deletion is not None and deletion.trace_id:
            handelingen = Handeling.objects.filter(
                trace_id=deletion.trace_id,
                # `start` has a BRIN index: a window around the record, not the whole log.
                start__range=(
                    deletion.aanmaakdatum - VERWIJDERING_DUUR,
                    deletion.aanmaakdatum + VERWIJDERING_DUUR,
                ),
            )
            if deletion.span_id:
                handeling = handelingen.filter(span_id=deletion.span_id).first()
            else:
                # A record written before records kept their span: the deletion of its trace
                # that started last before it (a trace's requests rarely overlap).
                handeling = (
                    handelingen.filter(
                        bewerking=Bewerking.VERWIJDEREN, start__lte=deletion.aanmaakdatum
                    )
                    .order_by("-start")
                    .first()
                )
            if handeling is not None:
                rows = [record.subject() for record in handeling.verwerkingen.all()]
        model = self.queryset.model
        soort = getattr(model, "SUBJECT_SOORT", None)
        if soort is not None and "" in getattr(model, "SUBJECTEN", ()):
            identity = uuid_module.UUID(str(self.kwargs[self.lookup_url_kwarg or "uuid"]))
            if not any(row[0] == soort and row[1] == identity for row in rows):
                rows.append((soort, identity, "", None))
        return rows

    @extend_schema(
        summary="Eén wijziging uit de audit trail van een object.",
        description="Eén auditrecord van het object. Scopes: `<register>.lezen` en "
        "`audittrails.lezen`.",
        responses={200: AuditTrailSerializer},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=rf"audittrail/(?P<audit_uuid>{UUID_REGEX})",
        filter_backends=[],
        pagination_class=None,
    )
    def audittrail_detail(self, request, *args, audit_uuid=None, **kwargs):
        record = self._trail().filter(uuid=audit_uuid).first()
        if record is None:
            raise exceptions.NotFound("Dit auditrecord bestaat niet.")
        self._log_trail_read()
        return Response(AuditTrailSerializer(record).data)
