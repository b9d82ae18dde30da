"""The partijen register's parts of the SQL-rendered lists (see klantinteracties/api/sqljson.py)."""

from klantinteracties.api import sqljson

from .models import Partij, SoortPartij, Vertegenwoordigden
from .serializers.partijen import IDENTIFICATIE_SERIALIZERS, PartijIdentificatieField


def _partij_identificatie(compiler, field, model, alias):
    return sqljson.polymorphic(compiler, model, alias, "soort_partij", IDENTIFICATIE_SERIALIZERS)


def _volledige_naam(alias):
    return (
        f"CASE WHEN {alias}.soort_partij = {sqljson.literal(SoortPartij.ORGANISATIE.value)} "
        f"THEN {alias}.organisatie_naam ELSE {sqljson.volledige_naam(alias)} END"
    )


def _vertegenwoordigde_partijen(compiler, alias):
    return sqljson.through(
        compiler,
        alias,
        Vertegenwoordigden,
        parent="vertegenwoordigende_partij",
        target="vertegenwoordigde_partij",
    )


sqljson.FIELD_COMPILERS[PartijIdentificatieField] = _partij_identificatie
sqljson.PROPERTIES[(Partij, "volledige_naam")] = _volledige_naam
sqljson.RELATIONS[(Partij, "vertegenwoordigde_partijen")] = _vertegenwoordigde_partijen
