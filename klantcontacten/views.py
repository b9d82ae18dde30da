"""Endpoints of the klantcontacten register."""

from django.db.models import Sum, Value
from django.db.models.functions import Coalesce
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response

from autorisatie import vertrouwelijk
from klantinteracties.api.filters import ORDERING, StrictBooleanField
from klantinteracties.api.sqljson import keys_of
from klantinteracties.api.urls import resource_url
from klantinteracties.api.viewsets import (
    CreateOnlyViewSet,
    RegisterViewSet,
    ReusedCreateFieldsMixin,
)

from .filters import (
    BetrokkeneFilterSet,
    BijlageFilterSet,
    KlantcontactFilterSet,
    OnderwerpobjectFilterSet,
)
from .models import Betrokkene, Bijlage, Klantcontact, KlantcontactTelling, Onderwerpobject
from .serializers import (
    BetrokkeneSerializer,
    BijlageSerializer,
    KlantcontactSerializer,
    MaakKlantcontactSerializer,
    OnderwerpobjectDeleteResponseSerializer,
    OnderwerpobjectSerializer,
)
from .services import cascade_van, onderwerpobject_delete

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
    # -plaatsgevondenOp and plaatsgevondenOp read klantcontact_recent_idx (forwards or back).
    ordering_fields = {
        "plaatsgevondenOp": "plaatsgevonden_op",
        "nummer": "nummer",
        "kanaal": "kanaal",
    }
    default_order_description = "nieuwste eerst (`-plaatsgevondenOp`)"

    def get_total_queryset(self, filters):
        # The whole register's contacts (no filter): the kept counts per day summed
        # (KlantcontactTelling's totals over the onderwerpen, kept by a trigger), a few
        # thousand rows instead of a count of millions of keys.
        if any(
            value not in (None, "", [], ()) for name, value in filters.items() if name != ORDERING
        ):
            return None
        totalen = KlantcontactTelling.objects.filter(onderwerp__isnull=True)
        if vertrouwelijk.hidden():
            # An application that may not see confidential klantcontacten counts without them.
            totalen = totalen.filter(vertrouwelijk=False)
        return keys_of(
            totalen.order_by().values(alle=Value(1)).annotate(n=Coalesce(Sum("aantal"), 0)),
            "n",
        )

    expand_paths = (
        "gingOverOnderwerpobjecten",
        "hadBetrokkenen",
        "hadBetrokkenen.digitaleAdressen",
        "hadBetrokkenen.wasPartij",
        "leiddeTotInterneTaken",
        "omvatteBijlagen",
        "vervolgKlantcontacten",
    )


class BetrokkeneViewSet(ReusedCreateFieldsMixin, RegisterViewSet):
    """Betrokkenheid van een partij of persoon bij een klantcontact, eventueel met de
    contactgegevens voor de opvolging ervan."""

    queryset = Betrokkene.objects.order_by("-id")
    serializer_class = BetrokkeneSerializer
    filterset_class = BetrokkeneFilterSet
    ordering_fields = {
        "contactnaamAchternaam": "contactnaam_achternaam",
        "organisatienaam": "organisatienaam",
        "rol": "rol",
    }
    expand_paths = ("digitaleAdressen",)


class OnderwerpobjectViewSet(RegisterViewSet):
    """Object in een extern register waarover een klantcontact ging."""

    queryset = Onderwerpobject.objects.order_by("-id")
    serializer_class = OnderwerpobjectSerializer
    filterset_class = OnderwerpobjectFilterSet
    ordering_fields = {
        "onderwerpobjectidentificatorObjectId": "onderwerpobjectidentificator_object_id",
        "klantcontact__plaatsgevondenOp": "klantcontact__plaatsgevonden_op",
    }
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
        self._cascade_delete = self._cascade(request.query_params.get("cascade"))
        return super().destroy(request, *args, **kwargs)

    def deleted_with(self, instance) -> "list":
        # With cascade, also the klantcontacten no other onderwerpobject refers to.
        return cascade_van(instance)[1] if self._cascade_delete else []

    def perform_destroy(self, instance):
        self._behouden = onderwerpobject_delete(
            onderwerpobject=instance, cascade=self._cascade_delete
        )

    def destroyed_response(self, response):
        if not self._cascade_delete:
            return response
        return Response(
            {
                "behouden": [
                    resource_url(self.request, "klantcontacten", contact.uuid)
                    for contact in self._behouden
                ]
            }
        )

    @staticmethod
    def _cascade(raw: str | None) -> bool:
        if raw is None:
            return False
        # The spellings of a boolean filter (`true`, `false`, `1`, `0`, any case).
        value = StrictBooleanField.VALUES.get(raw.lower())
        if value is not None:
            return value
        raise ValidationError(
            {"cascade": [ErrorDetail("Verwacht `true` of `false`.", code="invalid")]}
        )


class BijlageViewSet(RegisterViewSet):
    """Document of ander inhoudsobject dat (een deel van) de inhoud van een klantcontact
    beschrijft."""

    queryset = Bijlage.objects.order_by("-id")
    serializer_class = BijlageSerializer
    filterset_class = BijlageFilterSet
    ordering_fields = {
        "bijlageidentificatorObjectId": "bijlageidentificator_object_id",
        "klantcontact__plaatsgevondenOp": "klantcontact__plaatsgevonden_op",
    }
    ordering_afgeschermd = {"bijlageidentificatorObjectId": "contactinhoud"}


class MaakKlantcontactViewSet(ReusedCreateFieldsMixin, CreateOnlyViewSet):
    """Maak een KlantContact, Betrokkene en een OnderwerpObject aan."""

    register = "klantcontacten"
    log_model = Klantcontact

    serializer_class = MaakKlantcontactSerializer

    def created_changes(self, registratie, data) -> list[tuple]:
        # Each object it made has its own audit record.
        parts = (
            ("klantcontact", registratie.klantcontact, KlantcontactSerializer),
            ("betrokkene", registratie.betrokkene, BetrokkeneSerializer),
            ("onderwerpobject", registratie.onderwerpobject, OnderwerpobjectSerializer),
        )
        return [
            (part, None, self.audit_representation(part, data[name], serializer_class))
            for name, part, serializer_class in parts
            if part is not None
        ]
