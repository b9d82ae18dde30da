"""Viewsets of the Partijen register."""

from klantinteracties.api.docs import described
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
    Vertegenwoordigden,
)
from .serializers import (
    CategorieRelatieSerializer,
    CategorieSerializer,
    DigitaalAdresSerializer,
    PartijIdentificatorSerializer,
    PartijSerializer,
    RekeningnummerSerializer,
    VertegenwoordigdenSerializer,
)


@described("partij", "partijen")
class PartijViewSet(RegisterViewSet):
    queryset = Partij.objects.order_by("-pk")
    serializer_class = PartijSerializer
    filterset_class = PartijFilterSet
    expand_paths = (
        "betrokkenen",
        "betrokkenen.hadKlantcontact",
        "categorieRelaties",
        "digitaleAdressen",
    )


@described("partij-identificator", "partij-identificatoren")
class PartijIdentificatorViewSet(RegisterViewSet):
    queryset = PartijIdentificator.objects.order_by("-pk")
    serializer_class = PartijIdentificatorSerializer
    filterset_class = PartijIdentificatorFilterSet


@described("digitaal adres", "digitale adressen")
class DigitaalAdresViewSet(RegisterViewSet):
    queryset = DigitaalAdres.objects.order_by("-pk")
    serializer_class = DigitaalAdresSerializer
    filterset_class = DigitaalAdresFilterSet
    expand_paths = (
        "verstrektDoorBetrokkene",
        "verstrektDoorBetrokkene.hadKlantcontact",
        "verstrektDoorBetrokkene.hadKlantcontact.leiddeTotInterneTaken",
    )


@described("rekeningnummer", "rekeningnummers")
class RekeningnummerViewSet(RegisterViewSet):
    queryset = Rekeningnummer.objects.order_by("-pk")
    serializer_class = RekeningnummerSerializer
    filterset_class = RekeningnummerFilterSet


@described("vertegenwoordiging", "vertegenwoordigingen")
class VertegenwoordigdenViewSet(RegisterViewSet):
    queryset = Vertegenwoordigden.objects.order_by("-pk")
    serializer_class = VertegenwoordigdenSerializer
    filterset_class = VertegenwoordigdenFilterSet


@described("categorie", "categorieën")
class CategorieViewSet(RegisterViewSet):
    queryset = Categorie.objects.order_by("naam", "pk")
    serializer_class = CategorieSerializer
    filterset_class = None


@described("categorie-relatie", "categorie-relaties")
class CategorieRelatieViewSet(RegisterViewSet):
    queryset = CategorieRelatie.objects.order_by("-pk")
    serializer_class = CategorieRelatieSerializer
    filterset_class = CategorieRelatieFilterSet
