"""The taken register's parts of the SQL-rendered lists (see klantinteracties/api/sqljson.py)."""

from klantcontacten.serializers import KlantcontactSerializer
from klantinteracties.api import sqljson

from .models import ActorKlantcontact, InterneTaak, InterneTaakToewijzing
from .serializers import ActorSerializer
from .serializers.actoren import (
    IDENTIFICATIE_SERIALIZERS,
    ActorIdentificatieField,
)


def _actor_identificatie(compiler, field, model, alias):
    # As ActorIdentificatieField: null when none of the soort's values is filled in.
    return sqljson.polymorphic(
        compiler, model, alias, "soort_actor", IDENTIFICATIE_SERIALIZERS, empty_as_null=True
    )


def _toegewezen_aan_actoren(compiler, alias):
    return sqljson.through(compiler, alias, InterneTaakToewijzing, "internetaak", "actor")


def _had_betrokken_actoren(compiler, model, alias):
    relation = sqljson.through(compiler, alias, ActorKlantcontact, "klantcontact", "actor")
    element = compiler.serializer(ActorSerializer(context={}), relation.model, relation.alias)
    return compiler.rows(relation, element)


sqljson.FIELD_COMPILERS[ActorIdentificatieField] = _actor_identificatie
# The deprecated single actor is the first of the assignment's actors.
sqljson.RELATIONS[(InterneTaak, "toegewezen_aan_actoren")] = _toegewezen_aan_actoren
sqljson.RELATIONS[(InterneTaak, "toegewezen_aan_actor")] = _toegewezen_aan_actoren
sqljson.METHOD_COMPILERS[(KlantcontactSerializer, "get_had_betrokken_actoren")] = (
    _had_betrokken_actoren
)
