"""Viewsets of the Partijen register."""

import uuid

from django.db.models import Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status
from rest_framework.response import Response

from autorisatie.permissions import register_of, require_scope
from autorisatie.scopes import LEZEN
from klantinteracties.api.docs import described
from klantinteracties.api.urls import resource_url
from klantinteracties.api.viewsets import RegisterViewSet

from .filters import (
    CategorieRelatieFilterSet,
    DigitaalAdresFilterSet,
    PartijFilterSet,
    PartijIdentificatorFilterSet,
    RekeningnummerFilterSet,
    VertegenwoordigdenFilterSet,
)
from .models import (
    Categorie,
    CategorieRelatie,
    DigitaalAdres,
    Partij,
    PartijIdentificator,
    Rekeningnummer,
    SamengevoegdePartij,
    Vertegenwoordigden,
)
from .normalisatie import (
    HERGEBRUIK_BESTAAND,
    BestaandAdres,
    bestaand_digitaal_adres,
    hergebruik_gevraagd,
)
from .schema import LOCATION_301, SAMENGEVOEGD_301, SAMENGEVOEGD_410
from .serializers import (
    CategorieRelatieSerializer,
    CategorieSerializer,
    DigitaalAdresSerializer,
    PartijIdentificatorSerializer,
    PartijSerializer,
    RekeningnummerSerializer,
    VertegenwoordigdenSerializer,
)
from .services import andere_standaardadressen


class Samengevoegd(exceptions.APIException):
    """The answer at the url of a partij that was merged into another (docs/regie.md): a read
    is sent on to the survivor (301); a write is not (410), so that a client that follows
    redirects does not change or delete the survivor with what it meant for the duplicate."""

    default_code = "samengevoegd"

    def __init__(self, request, samenvoeging: SamengevoegdePartij, *, rest: str = ""):
        survivor = samenvoeging.samengevoegd_in.uuid
        url = resource_url(request, "partijen", survivor)
        read = request.method in ("GET", "HEAD")
        self.status_code = status.HTTP_301_MOVED_PERMANENTLY if read else status.HTTP_410_GONE
        query = request.META.get("QUERY_STRING", "")
        self.location = f"{url}{rest}" + (f"?{query}" if query and read else "")
        self.problem_extra = {"samengevoegdIn": {"uuid": str(survivor), "url": url}}
        moment = samenvoeging.samengevoegd_op.date().isoformat()
        detail = f"Deze partij is op {moment} samengevoegd met partij {survivor}"
        detail += (
            "; zie `Location`."
            if read
            else (
                "; er is niets gewijzigd. Stuur de wijziging, als die nog nodig is, naar die partij."
            )
        )
        super().__init__(detail, code="samengevoegd")


def samenvoeging_van(value) -> SamengevoegdePartij | None:
    """Where the partij with this uuid went, when it was merged into another."""
    try:
        key = uuid.UUID(str(value))
    except ValueError:
        return None
    return SamengevoegdePartij.objects.select_related("samengevoegd_in").filter(uuid=key).first()


@described("partij", "partijen")
@extend_schema_view(
    retrieve=extend_schema(
        responses={200: PartijSerializer, 301: SAMENGEVOEGD_301}, parameters=[LOCATION_301]
    ),
    update=extend_schema(responses={200: PartijSerializer, 410: SAMENGEVOEGD_410}),
    partial_update=extend_schema(responses={200: PartijSerializer, 410: SAMENGEVOEGD_410}),
    destroy=extend_schema(responses={204: None, 410: SAMENGEVOEGD_410}),
)
class PartijViewSet(RegisterViewSet):
    queryset = Partij.objects.order_by("-pk")
    serializer_class = PartijSerializer
    filterset_class = PartijFilterSet
    ordering_fields = {"nummer": "nummer", "soortPartij": "soort_partij"}
    expand_paths = (
        "betrokkenen",
        "betrokkenen.hadKlantcontact",
        "categorieRelaties",
        "digitaleAdressen",
    )

    def side_objects(self, instance, data) -> "list[tuple]":
        # The digitale adressen and rekeningnummers whose partij this write changes (taken
        # from another partij or from none, or let go), and the other partijen whose voorkeur
        # one of those is (it is released).
        pk = instance.pk if instance is not None else None
        found, released = [], Q(pk__in=[])
        for key, model, serializer_class, voorkeur in (
            (
                "digitaleadressen",
                DigitaalAdres,
                DigitaalAdresSerializer,
                "voorkeurs_digitaal_adres",
            ),
            (
                "rekeningnummers",
                Rekeningnummer,
                RekeningnummerSerializer,
                "voorkeurs_rekeningnummer",
            ),
        ):
            if data.get(key) is None:
                continue
            named = [obj.pk for obj in data[key]]
            rows = model.objects.filter(pk__in=named)
            if pk is not None:
                rows = rows.exclude(partij_id=pk) | model.objects.filter(partij_id=pk).exclude(
                    pk__in=named
                )
            changed = list(rows.order_by("pk"))
            found += [(obj, serializer_class) for obj in changed]
            released |= Q(**{f"{voorkeur}__in": changed})
        if found:
            others = Partij.objects.filter(released).exclude(pk=pk).order_by("pk")
            found += [(partij, PartijSerializer) for partij in others]
        return found

    def handle_exception(self, exc):
        # The url of a merged partij names the survivor (both render paths end here with a
        # 404). Its audit trail stays where it was, as a deleted object's does.
        if (
            isinstance(exc, Http404 | exceptions.NotFound)
            and "uuid" in self.kwargs
            and self.action in ("retrieve", "update", "partial_update", "destroy")
        ):
            samenvoeging = samenvoeging_van(self.kwargs["uuid"])
            if samenvoeging is not None:
                exc = Samengevoegd(self.request, samenvoeging)
        return super().handle_exception(exc)


@described("partij-identificator", "partij-identificatoren")
class PartijIdentificatorViewSet(RegisterViewSet):
    queryset = PartijIdentificator.objects.order_by("-pk")
    serializer_class = PartijIdentificatorSerializer
    filterset_class = PartijIdentificatorFilterSet
    ordering_fields = {
        "partijIdentificatorObjectId": "object_id",
        "partijIdentificatorCodeSoortObjectId": "code_soort_object_id",
    }
    ordering_afgeschermd = {"partijIdentificatorObjectId": "identificatoren"}


@described("digitaal adres", "digitale adressen")
class DigitaalAdresViewSet(RegisterViewSet):
    queryset = DigitaalAdres.objects.order_by("-pk")
    serializer_class = DigitaalAdresSerializer
    filterset_class = DigitaalAdresFilterSet
    ordering_fields = {
        "adres": "adres",
        "soortDigitaalAdres": "soort_digitaal_adres",
        "verificatieDatum": "verificatie_datum",
    }
    ordering_afgeschermd = {"adres": "digitale_adressen"}
    expand_paths = (
        "verstrektDoorBetrokkene",
        "verstrektDoorBetrokkene.hadKlantcontact",
        "verstrektDoorBetrokkene.hadKlantcontact.leiddeTotInterneTaken",
    )

    def side_objects(self, instance, data) -> "list[tuple]":
        found = voorkeur_verlaten(instance, data, "voorkeurs_digitaal_adres")
        # Becoming standaard takes the flag from the partij's other adres of its soort.
        after = DigitaalAdres(pk=getattr(instance, "pk", None))
        for field in ("partij", "soort_digitaal_adres", "is_standaard_adres"):
            default = getattr(instance, field) if instance is not None else None
            setattr(after, field, data.get(field, default))
        if after.is_standaard_adres and after.partij is not None:
            found += [
                (adres, DigitaalAdresSerializer)
                for adres in andere_standaardadressen(after).order_by("pk")
            ]
        return found

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "Prefer",
                str,
                OpenApiParameter.HEADER,
                required=False,
                enum=[HERGEBRUIK_BESTAAND],
                description=f"Met `{HERGEBRUIK_BESTAAND}` (RFC 7240): bestaat er al een "
                "digitaal adres van dezelfde `verstrektDoorPartij` (zonder partij: van "
                "dezelfde `verstrektDoorBetrokkene`), met dezelfde `soortDigitaalAdres` en "
                "hetzelfde adres ongeacht hoofdletters en notatie (zie de filter "
                "`adres__genormaliseerd`), dan is het antwoord dat adres, ongewijzigd, met "
                "status 200; anders wordt het aangemaakt (201). Vraagt ook de scope "
                "`partijen.lezen`. Zonder deze voorkeur wordt altijd een nieuw adres "
                "aangemaakt.",
            ),
            OpenApiParameter(
                "Preference-Applied",
                str,
                OpenApiParameter.HEADER,
                enum=[HERGEBRUIK_BESTAAND],
                description="De voorkeur uit `Prefer` is toegepast: gezocht naar een "
                "bestaand adres.",
                response=[200, 201],
            ),
            OpenApiParameter(
                "Content-Location",
                OpenApiTypes.URI,
                OpenApiParameter.HEADER,
                description="De url van het bestaande adres dat het antwoord is.",
                response=[200],
            ),
        ],
        responses={
            201: DigitaalAdresSerializer,
            200: OpenApiResponse(
                DigitaalAdresSerializer,
                description=f"Met `Prefer: {HERGEBRUIK_BESTAAND}`: het bestaande adres; er "
                "is niets aangemaakt.",
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        self._hergebruik = hergebruik_gevraagd(request)
        if not self._hergebruik:
            return super().create(request, *args, **kwargs)
        # The answer may be an adres this request did not write: reading the register, as
        # the answer to a PUT is. Checked before looking, so the status says nothing
        # about adressen the application may not read.
        require_scope(request.auth, f"{register_of(self)}.{LEZEN}")
        try:
            response = super().create(request, *args, **kwargs)
        except BestaandAdres as bestaand:
            # Its transaction ended without a write: no audit record, no log of a create,
            # but a read of the adres it answers with.
            response = Response(bestaand.data, status=status.HTTP_200_OK)
            response["Content-Location"] = bestaand.data["url"]
            self._gelezen = [bestaand.adres.pk]
            self._log_read(response)
        response["Preference-Applied"] = HERGEBRUIK_BESTAAND
        return response

    def perform_create(self, serializer):
        if self._hergebruik:
            data = serializer.validated_data
            # Under a lock on (verstrekker, soort, normalised adres) that this transaction
            # holds until it commits the new adres: a concurrent request waits and finds it.
            adres = bestaand_digitaal_adres(
                partij=data.get("partij"),
                betrokkene=data.get("betrokkene"),
                soort=data["soort_digitaal_adres"],
                adres=data["adres"],
            )
            if adres is not None:
                # Rendered as its detail is, through the view's queryset (what the
                # application may not see stays hidden), while its row is locked.
                instance = self.get_queryset().get(pk=adres.pk)
                raise BestaandAdres(adres, self.get_serializer(instance).data)
        super().perform_create(serializer)


@described("rekeningnummer", "rekeningnummers")
class RekeningnummerViewSet(RegisterViewSet):
    queryset = Rekeningnummer.objects.order_by("-pk")
    serializer_class = RekeningnummerSerializer
    filterset_class = RekeningnummerFilterSet
    ordering_fields = {"iban": "iban"}
    ordering_afgeschermd = {"iban": "rekeningnummers"}

    def side_objects(self, instance, data) -> "list[tuple]":
        return voorkeur_verlaten(instance, data, "voorkeurs_rekeningnummer")


def voorkeur_verlaten(instance, data, voorkeur: str) -> "list[tuple]":
    """The partij whose voorkeur the adres or rekeningnummer is, when the write moves it to
    another partij: that releases it (partijen.services._release_voorkeuren)."""
    if instance is None or instance.partij_id is None or "partij" not in data:
        return []
    if getattr(data["partij"], "pk", None) == instance.partij_id:
        return []
    return [
        (partij, PartijSerializer)
        for partij in Partij.objects.filter(**{voorkeur: instance}).order_by("pk")
    ]


@described("vertegenwoordiging", "vertegenwoordigingen")
class VertegenwoordigdenViewSet(RegisterViewSet):
    queryset = Vertegenwoordigden.objects.order_by("-pk")
    serializer_class = VertegenwoordigdenSerializer
    filterset_class = VertegenwoordigdenFilterSet
    ordering_fields = {
        "vertegenwoordigendePartij__nummer": "vertegenwoordigende_partij__nummer",
        "vertegenwoordigdePartij__nummer": "vertegenwoordigde_partij__nummer",
    }


@described("categorie", "categorieën")
class CategorieViewSet(RegisterViewSet):
    # Newest first, as the reference lists them (`ordering=naam` sorts by name).
    queryset = Categorie.objects.order_by("-pk")
    serializer_class = CategorieSerializer
    filterset_class = None
    ordering_fields = {"naam": "naam"}


@described("categorie-relatie", "categorie-relaties")
class CategorieRelatieViewSet(RegisterViewSet):
    queryset = CategorieRelatie.objects.order_by("-pk")
    serializer_class = CategorieRelatieSerializer
    filterset_class = CategorieRelatieFilterSet
    ordering_fields = {
        "categorie__naam": "categorie__naam",
        "beginDatum": "begin_datum",
        "eindDatum": "eind_datum",
    }
