import dataclasses
import uuid

from django.db import transaction
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response

from autorisatie import vertrouwelijk
from autorisatie.permissions import HeeftScopeVoor, require_full_view, require_scope
from autorisatie.scopes import INZAGE_LEZEN, LEZEN, PARTIJEN_SAMENVOEGEN, PARTIJEN_VERGETEN
from klantinteracties.api.errors import ProblemValidationError
from klantinteracties.api.expand import representation_lookups, uuid_array_annotations
from klantinteracties.api.filters import StrictBooleanField
from klantinteracties.api.urls import resource_url
from klantinteracties.api.viewsets import RequestContextMixin
from logboek.vastleggen import Wie, scrub_text, verwerking_vastleggen
from logboek.viewsets import TOELICHTING_HEADER, VerwerkingenlogMixin
from partijen.models import Partij
from partijen.schema import SAMENGEVOEGD_SCHEMA
from partijen.serializers import PartijSerializer
from partijen.views import Samengevoegd, samenvoeging_van

from . import inzage
from .samenvoegen import partij_samenvoegen
from .serializers import SamenvoegenSerializer, VergetenResultaatSerializer, VergetenSerializer
from .vergeten import PartijVerdwenen, partij_vergeten


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
        keys = inzage.klantcontact_keys(partij)
        # The inzage is itself a processing of the partij's data, and of everyone else's
        # the document shows.
        verwerking_vastleggen(
            wie=Wie.van(request.auth, "klantinteracties"),
            naam="inzage.retrieve",
            bewerking="lezen",
            status_code=200,
            start=self._start,
            model=Partij,
            keys=[partij.pk],
            eerder=inzage.subjects(partij, keys),
        )
        context = {"request": request}
        response = StreamingHttpResponse(
            inzage.document(partij, context, keys), content_type="application/json"
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


SAMENVOEGEN_BESCHRIJVING = """\
Voeg dubbele partijen samen in de partij van het pad (de overblijvende partij), in één
transactie: hun betrokkenen, digitale adressen,
rekeningnummers, partij-identificatoren, categorie-relaties, vertegenwoordigingen (beide
kanten) en de contactpersonen die voor hen werken gaan over naar de overblijvende partij; de
dubbele partijen worden verwijderd. Wat daarna dubbel zou zijn wordt opgelost: hetzelfde
identificatienummer of IBAN blijft één keer, twee relaties met één categorie worden er één
(over beide perioden), een vertegenwoordiging die dubbel zou zijn of waarin de partij
zichzelf vertegenwoordigt vervalt, per soort digitaal adres blijft één standaardadres (dat van
de overblijvende partij eerst). De eigen gegevens van de overblijvende partij blijven zoals ze
zijn; een voorkeursadres of -rekeningnummer dat zij niet had, neemt zij over van de eerste
dubbele partij die er een had.

Twee verschillende identificatoren van dezelfde soort (twee BSN's, twee KvK-nummers) weigeren
de hele samenvoeging (400, code `identificator_conflict`, met de identificatoren in
`invalidParams`); zo ook een onbekende of al samengevoegde partij, een partij die twee keer
in de lijst staat, de overblijvende partij zelf in de lijst en een partij van een andere
`soortPartij`. Bij elke fout is er niets gewijzigd.

Daarna antwoordt de url van een samengevoegde partij op `GET` en `HEAD` met `301` en
`Location` naar de overblijvende partij, op een wijziging met `410`; beide met
`samengevoegdIn` in het antwoord. Elke gewijzigde en verwijderde partij, betrokkene,
identificator, adres, rekeningnummer, relatie en vertegenwoordiging staat in de audit trail
en wordt aangekondigd.

Het antwoord is de overblijvende partij zoals `GET /partijen/{uuid}` haar geeft.

**Scopes:** `partijen.samenvoegen` en `partijen.lezen`."""


class PartijActieViewSet(RequestContextMixin, VerwerkingenlogMixin, viewsets.GenericViewSet):
    """An action on one partij (`/partijen/{uuid}/<actie>`), with its own scope."""

    # For the log mixin (who, the response's traceparent); the view has no queryset of its
    # own, so the schema takes the scopes from its description.
    log_model = Partij
    permission_classes = [HeeftScopeVoor]
    pagination_class = None
    filter_backends = []
    lookup_field = "uuid"

    def get_queryset(self):
        return Partij.objects.all()

    def partij(self, uuid, actie: str) -> Partij:
        """The partij of the url; one that was merged names the survivor (its url with this
        action), as its own url does."""
        partij = Partij.objects.filter(uuid=uuid).first()
        if partij is not None:
            return partij
        samenvoeging = samenvoeging_van(uuid)
        if samenvoeging is not None:
            raise Samengevoegd(self.request, samenvoeging, rest=f"/{actie}")
        raise exceptions.NotFound("Geen partij gevonden.")


class SamenvoegenViewSet(PartijActieViewSet):
    """Samenvoegen van dubbele partijen (docs/regie.md)."""

    scope = PARTIJEN_SAMENVOEGEN
    serializer_class = SamenvoegenSerializer

    @extend_schema(
        operation_id="partijSamenvoegen",
        summary="Voeg dubbele partijen samen in deze partij.",
        description=SAMENVOEGEN_BESCHRIJVING,
        tags=["partijen"],
        request=SamenvoegenSerializer,
        parameters=[
            OpenApiParameter(
                TOELICHTING_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="Waarom (bijvoorbeeld het nummer van het verzoek); komt in de "
                "audit trail van elk gewijzigd object.",
            )
        ],
        responses={
            200: OpenApiResponse(
                PartijSerializer, description="De overblijvende partij, na de samenvoeging."
            ),
            410: OpenApiResponse(
                SAMENGEVOEGD_SCHEMA,
                description="De partij van het pad is zelf al samengevoegd in een andere; "
                "`samengevoegdIn` noemt die. Er is niets gewijzigd.",
            ),
        },
        examples=[
            OpenApiExample(
                "Twee dubbele partijen",
                value={
                    "partijen": [
                        {"uuid": "6c7a1f0e-3c41-4f55-9d46-0d1a9f2b7e11"},
                        {"uuid": "0b5e2d9c-8a44-4b7e-a2f1-5f0c3d4e6a22"},
                    ]
                },
                request_only=True,
            )
        ],
    )
    def samenvoegen(self, request, uuid=None):
        # The answer is the survivor as the register shows it: reading the register.
        require_scope(request.auth, f"partijen.{LEZEN}")
        serializer = SamenvoegenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        overblijver = self.partij(uuid, "samenvoegen")
        context = {"request": request, "format": None, "view": self}
        with transaction.atomic():
            overblijver = partij_samenvoegen(
                overblijver=overblijver,
                uuids=[item["uuid"] for item in serializer.validated_data["partijen"]],
                wie=self._wie(),
                context=context,
                naam="partijen.samenvoegen",
                start=self._start,
            )
            data = detail_representatie(overblijver.pk, context)
        return Response(data)


def detail_representatie(pk, context) -> dict:
    """The partij as `GET /partijen/{uuid}` renders it for this application (the partijen
    view's queryset for one object: what it may not see left out, shielded fields empty)."""
    queryset = vertrouwelijk.visible(Partij.objects.filter(pk=pk))
    annotations = uuid_array_annotations(PartijSerializer, vertrouwelijk.hidden())
    lookups = representation_lookups(PartijSerializer, annotated=bool(annotations))
    partij = (
        queryset.annotate(**annotations)
        .prefetch_related(*vertrouwelijk.visible_lookups(Partij, lookups))
        .get()
    )
    return PartijSerializer(partij, context=context).data


VERGETEN_BESCHRIJVING = """\
Wis de persoonsgegevens van de partij van het pad (AVG art. 17), in één transactie, en bewaar
wat de archiefplicht vraagt:

- van de partij zelf: namen (`partijIdentificatie`), bezoek- en correspondentieadres en
  `interneNotitie`; de partij blijft bestaan als lege huls, zodat haar klantcontacten hun
  betrokkene houden en haar url blijft antwoorden;
- verwijderd: haar partij-identificatoren (BSN, KvK-nummer, ...), digitale adressen,
  rekeningnummers en vertegenwoordigingen (beide kanten);
- van elke betrokkene die deze partij was: namen en adressen; de digitale adressen die zij
  als betrokkene opgaf worden verwijderd;
- van elk klantcontact waarin zij betrokkene was: `inhoud`, `reactie` en `metadata`, en de
  `toelichting` van de interne taken. Dat het contact plaatsvond blijft: `plaatsgevondenOp`,
  en standaard `kanaal` en `onderwerp` (instelling `VERGETEN_BEHOUDEN`);
- uit de audit trail: dezelfde waarden in de eerdere toestanden van die objecten.

`?dryRun=true` zegt wat zou gaan en wijzigt niets. Een tweede keer wijzigt niets
(`alVergeten: true`). Elk gewijzigd en verwijderd object krijgt een auditrecord zonder de
gewiste waarden, en wordt aangekondigd.

**Scope:** `partijen.vergeten`."""


class VergetenViewSet(PartijActieViewSet):
    """Vergeten van een partij (docs/regie.md)."""

    scope = PARTIJEN_VERGETEN
    serializer_class = VergetenSerializer

    @extend_schema(
        operation_id="partijVergeten",
        summary="Wis de persoonsgegevens van deze partij (AVG art. 17).",
        description=VERGETEN_BESCHRIJVING,
        tags=["partijen"],
        request=VergetenSerializer,
        parameters=[
            OpenApiParameter(
                "dryRun",
                OpenApiTypes.BOOL,
                required=False,
                description="`true`: alleen zeggen wat zou gaan; er wordt niets gewijzigd.",
            )
        ],
        responses={
            200: OpenApiResponse(
                VergetenResultaatSerializer,
                description="Wat is gewist, verwijderd en bewaard (of zou worden, bij een "
                "`dryRun`).",
            ),
            410: OpenApiResponse(
                SAMENGEVOEGD_SCHEMA,
                description="De partij is samengevoegd in een andere; `samengevoegdIn` noemt "
                "die. Vergeet die partij.",
            ),
        },
    )
    def vergeten(self, request, uuid=None):
        serializer = VergetenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The spellings of a boolean filter (`true`, `false`, `1`, `0`, any case).
        dry_run = StrictBooleanField.VALUES.get(
            request.query_params.get("dryRun", "false").strip().lower()
        )
        if dry_run is None:
            raise ProblemValidationError(
                {"dryRun": [ErrorDetail("Geef `true` of `false`.", code="invalid")]},
                code="invalid",
            )
        partij = self.partij(uuid, "vergeten")
        wie = self._wie()
        toelichting = serializer.validated_data.get("toelichting", "")
        if toelichting:
            wie = dataclasses.replace(wie, toelichting=scrub_text(toelichting)[:1000])
        try:
            with transaction.atomic():
                samenvatting = partij_vergeten(
                    partij=partij,
                    wie=wie,
                    context={"request": request, "format": None, "view": self},
                    naam="partijen.vergeten",
                    dry_run=dry_run,
                    start=self._start,
                )
        except PartijVerdwenen:
            # Merged meanwhile: 410 naming the survivor; deleted: 404.
            self.partij(uuid, "vergeten")
            raise exceptions.NotFound("Geen partij gevonden.") from None
        partij_ref = {
            "uuid": str(partij.uuid),
            "url": resource_url(request, "partijen", partij.uuid),
        }
        return Response({"partij": partij_ref, **samenvatting})
