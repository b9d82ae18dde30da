"""Personen and organisaties: plain CRUD, newest first, as the reference lists them."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from klantinteracties.api.viewsets import RegisterViewSet

from .models import Organisatie, Persoon
from .serializers import OrganisatieSerializer, PersoonSerializer

# The reference's operation texts, per action; `{enkelvoud}`/`{meervoud}` name the resource.
OPERATIONS = {
    "list": "Alle {meervoud} opvragen.",
    "retrieve": "Een specifiek {enkelvoud} opvragen.",
    "create": "Maak een {enkelvoud} aan.",
    "update": "Werk een {enkelvoud} in zijn geheel bij.",
    "partial_update": "Werk een {enkelvoud} deels bij.",
    "destroy": "Verwijder een {enkelvoud}.",
}


DETAIL_ACTIONS = ("retrieve", "update", "partial_update", "destroy")


def documented(enkelvoud: str, meervoud: str, lidwoord: str):
    """Summary, description, tag and uuid parameter of each operation of a resource."""
    uuid_parameter = OpenApiParameter(
        name="uuid",
        type={
            "type": "string",
            "format": "uuid",
            "description": f"Unieke (technische) identificatiecode van {lidwoord} {enkelvoud}.",
        },
        location=OpenApiParameter.PATH,
    )
    schemas = {}
    for action, template in OPERATIONS.items():
        text = template.format(enkelvoud=enkelvoud, meervoud=meervoud)
        parameters = [uuid_parameter] if action in DETAIL_ACTIONS else []
        schemas[action] = extend_schema(
            summary=text, description=text, tags=[meervoud], parameters=parameters
        )
    return extend_schema_view(**schemas)


@documented("organisatie", "organisaties", "de")
class OrganisatieViewSet(RegisterViewSet):
    queryset = Organisatie.objects.order_by("-pk")
    serializer_class = OrganisatieSerializer
    ordering_fields = {"handelsnaam": "handelsnaam", "oprichtingsdatum": "oprichtingsdatum"}


@documented("persoon", "personen", "het")
class PersoonViewSet(RegisterViewSet):
    queryset = Persoon.objects.order_by("-pk")
    serializer_class = PersoonSerializer
    ordering_fields = {"geslachtsnaam": "geslachtsnaam", "geboortedatum": "geboortedatum"}
