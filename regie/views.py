import uuid

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.exceptions import ErrorDetail

from autorisatie.permissions import HeeftScopeVoor, require_full_view
from autorisatie.scopes import INZAGE_LEZEN
from klantinteracties.api.errors import ProblemValidationError
from klantinteracties.api.viewsets import RequestContextMixin
from logboek.vastleggen import Wie, verwerking_vastleggen
from partijen.models import Partij

from . import inzage


class InzageViewSet(RequestContextMixin, viewsets.GenericViewSet):
    """Alles wat het register over één partij bewaart, als één JSON-document: de partij met
    identificatoren, digitale adressen, rekeningnummers, vertegenwoordigingen en
    categorie-relaties; elk klantcontact waarin zij betrokkene was, met betrokkenen,
    onderwerpobjecten, bijlagen (metadata) en interne taken; de verwerkingen uit het
    verwerkingenlog en de audit trail van de partij. Voor het beantwoorden van een
    inzageverzoek (AVG art. 15). Scope `inzage.lezen`; de applicatie moet alles zien (geen
    afgeschermde velden, wel `klantcontacten.vertrouwelijk`)."""

    permission_classes = [HeeftScopeVoor]
    scope = INZAGE_LEZEN
    queryset = Partij.objects.none()
    pagination_class = None
    filter_backends = []

    @extend_schema(
        operation_id="inzageRetrieve",
        summary="Inzage: alles over één partij.",
        parameters=[
            OpenApiParameter("partij", OpenApiTypes.UUID, description="De partij (uuid)."),
            OpenApiParameter("bsn", str, description="Of: de partij met dit BSN."),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request, *args, **kwargs):
        require_full_view(request.auth, "Een inzagedocument bevat alles over de partij")
        partij = self._partij(request.query_params)
        # The inzage is itself a processing of the partij's data.
        verwerking_vastleggen(
            wie=Wie.van(request.auth, "klantinteracties"),
            naam="inzage.retrieve",
            bewerking="lezen",
            status_code=200,
            start=self._start,
            model=Partij,
            keys=[partij.pk],
        )
        context = {"request": request}
        response = StreamingHttpResponse(
            inzage.document(partij, context), content_type="application/json"
        )
        response["Content-Disposition"] = f'inline; filename="inzage-{partij.uuid}.json"'
        return response

    @staticmethod
    def _partij(params) -> Partij:
        unknown = set(params) - {"partij", "bsn"}
        given = [name for name in ("partij", "bsn") if params.get(name)]
        if unknown or len(given) != 1:
            raise ProblemValidationError(
                {
                    "partij": [
                        ErrorDetail("Geef precies één van `partij` of `bsn`.", code="invalid")
                    ]
                },
                code="invalid",
            )
        if given == ["bsn"]:
            bsn = params["bsn"].strip()
            if not (bsn.isascii() and bsn.isdigit() and len(bsn) <= 9):
                raise ProblemValidationError(
                    {"bsn": [ErrorDetail("Een BSN is ten hoogste negen cijfers.", code="invalid")]},
                    code="invalid",
                )
            partij = inzage.partij_by_bsn(bsn)
        else:
            try:
                key = uuid.UUID(params["partij"])
            except ValueError as exc:
                raise ProblemValidationError(
                    {"partij": [ErrorDetail("Geen geldige uuid.", code="invalid")]},
                    code="invalid",
                ) from exc
            partij = Partij.objects.filter(uuid=key).first()
        if partij is None:
            raise exceptions.NotFound("Geen partij gevonden.")
        return partij
