"""Endpoints of the klantcontacten register."""

import threading

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response

from klantinteracties.api.urls import resource_url
from klantinteracties.api.viewsets import CreateOnlyViewSet, RegisterViewSet

from .filters import (
    BetrokkeneFilterSet,
    BijlageFilterSet,
    KlantcontactFilterSet,
    OnderwerpobjectFilterSet,
)
from .models import Betrokkene, Bijlage, Klantcontact, Onderwerpobject
from .serializers import (
    BetrokkeneSerializer,
    BijlageSerializer,
    KlantcontactSerializer,
    MaakKlantcontactSerializer,
    OnderwerpobjectDeleteResponseSerializer,
    OnderwerpobjectSerializer,
)
from .services import onderwerpobject_delete

# Per thread: the field sets of the serializers that validate creates, kept across requests.
_create_fields = threading.local()


class ReusedCreateFieldsMixin:
    """A create validates and renders through a field set built once per thread and class.

    Building a serializer's fields (nested serializers included) costs more than validating,
    saving and rendering one object. Fields and validators hold no state of a request: each
    request gets a new serializer that adopts them, with the context dict they were built
    with refilled.
    """

    def create(self, request, *args, **kwargs):
        self._reuse_create_fields = True
        try:
            return super().create(request, *args, **kwargs)
        finally:
            self._reuse_create_fields = False

    def get_serializer(self, *args, **kwargs):
        # Only the serializer of the create itself (not, say, a browsable API form).
        if not getattr(self, "_reuse_create_fields", False) or args or "data" not in kwargs:
            return super().get_serializer(*args, **kwargs)
        self._reuse_create_fields = False
        serializer_class = self.get_serializer_class()
        cache = _create_fields.__dict__.setdefault("entries", {})
        entry = cache.get(serializer_class)
        if entry is None:
            context: dict = {}
            template = serializer_class(context=context)
            entry = cache[serializer_class] = (template.fields, template.validators, context)
        fields, validators, context = entry
        context.clear()
        context.update(self.get_serializer_context())
        serializer = serializer_class(context=context, **kwargs)
        serializer.__dict__["fields"] = fields
        serializer.validators = validators
        fields.serializer = serializer
        for field in fields.values():
            field.parent = serializer
        return serializer


CASCADE_HELP = (
    "Als `true`, worden gerelateerde Klantcontacten en DigitaalAdressen verwijderd indien ze "
    "niet door andere Onderwerpobjecten worden gebruikt."
)


class KlantcontactViewSet(ReusedCreateFieldsMixin, RegisterViewSet):
    """Contact tussen een klant of een vertegenwoordiger van een klant en de gemeente over een
    onderwerp."""

    # Contact history: newest first (index klantcontact_recent_idx).
    queryset = Klantcontact.objects.order_by("-plaatsgevonden_op", "-id")
    serializer_class = KlantcontactSerializer
    filterset_class = KlantcontactFilterSet
    expand_paths = (
        "gingOverOnderwerpobjecten",
        "hadBetrokkenen",
        "hadBetrokkenen.digitaleAdressen",
        "hadBetrokkenen.wasPartij",
        "leiddeTotInterneTaken",
        "omvatteBijlagen",
    )


class BetrokkeneViewSet(ReusedCreateFieldsMixin, RegisterViewSet):
    """Betrokkenheid van een partij of persoon bij een klantcontact, eventueel met de
    contactgegevens voor de opvolging ervan."""

    queryset = Betrokkene.objects.order_by("-id")
    serializer_class = BetrokkeneSerializer
    filterset_class = BetrokkeneFilterSet
    expand_paths = ("digitaleAdressen",)


class OnderwerpobjectViewSet(RegisterViewSet):
    """Object in een extern register waarover een klantcontact ging."""

    queryset = Onderwerpobject.objects.order_by("-id")
    serializer_class = OnderwerpobjectSerializer
    filterset_class = OnderwerpobjectFilterSet
    extra_query_parameters = ("cascade",)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "cascade",
                bool,
                OpenApiParameter.QUERY,
                required=False,
                default=False,
                description=CASCADE_HELP,
            )
        ],
        responses={
            status.HTTP_204_NO_CONTENT: OpenApiResponse(
                description="Onderwerpobject succesvol verwijderd (zonder cascade)."
            ),
            status.HTTP_200_OK: OpenApiResponse(
                response=OnderwerpobjectDeleteResponseSerializer,
                description="Onderwerpobject verwijderd met cascade=true. `behouden` bevat "
                "resterende Klantcontact URLs.",
            ),
        },
    )
    def destroy(self, request, *args, **kwargs):
        cascade = self._cascade(request.query_params.get("cascade"))
        behouden = onderwerpobject_delete(onderwerpobject=self.get_object(), cascade=cascade)
        if not cascade:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(
            {
                "behouden": [
                    resource_url(request, "klantcontacten", contact.uuid) for contact in behouden
                ]
            }
        )

    @staticmethod
    def _cascade(raw: str | None) -> bool:
        if raw is None or raw.lower() in ("false", "0"):
            return False
        if raw.lower() in ("true", "1"):
            return True
        raise ValidationError(
            {"cascade": [ErrorDetail("Verwacht `true` of `false`.", code="invalid")]}
        )


class BijlageViewSet(RegisterViewSet):
    """Document of ander inhoudsobject dat (een deel van) de inhoud van een klantcontact
    beschrijft."""

    queryset = Bijlage.objects.order_by("-id")
    serializer_class = BijlageSerializer
    filterset_class = BijlageFilterSet


class MaakKlantcontactViewSet(ReusedCreateFieldsMixin, CreateOnlyViewSet):
    """Maak een KlantContact, Betrokkene en een OnderwerpObject aan."""

    serializer_class = MaakKlantcontactSerializer
