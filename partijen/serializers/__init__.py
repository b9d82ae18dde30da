"""Serializers of the Partijen register, one module per resource group."""

from .adressen import DigitaalAdresSerializer, RekeningnummerSerializer
from .identificatoren import PartijIdentificatorSerializer
from .partijen import IDENTIFICATIE_SERIALIZERS, PartijSerializer
from .relaties import CategorieRelatieSerializer, CategorieSerializer, VertegenwoordigdenSerializer

__all__ = [
    "IDENTIFICATIE_SERIALIZERS",
    "CategorieRelatieSerializer",
    "CategorieSerializer",
    "DigitaalAdresSerializer",
    "PartijIdentificatorSerializer",
    "PartijSerializer",
    "RekeningnummerSerializer",
    "VertegenwoordigdenSerializer",
]
