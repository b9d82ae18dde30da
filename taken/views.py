"""Actoren, actorklantcontacten and interne taken."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from klantinteracties.api.viewsets import RegisterViewSet

from .filters import ActorFilterSet, ActorKlantcontactFilterSet, InterneTaakFilterSet
from .models import Actor, ActorKlantcontact, InterneTaak
from .serializers import ActorKlantcontactSerializer, ActorSerializer, InterneTaakSerializer


def describe(enkelvoud: str, meervoud: str):
    """The contract's operation summaries, in one place."""
    texts = {
        "list": f"Alle {meervoud} opvragen.",
        "retrieve": f"Een specifiek {enkelvoud} opvragen.",
        "create": f"Maak een {enkelvoud} aan.",
        "update": f"Werk een {enkelvoud} in zijn geheel bij.",
        "partial_update": f"Werk een {enkelvoud} deels bij.",
        "destroy": f"Verwijder een {enkelvoud}.",
    }
    return extend_schema_view(
        **{action: extend_schema(summary=text, description=text) for action, text in texts.items()}
    )


@describe("actor", "actoren")
class ActorViewSet(RegisterViewSet):
    queryset = Actor.objects.order_by("id")
    serializer_class = ActorSerializer
    filterset_class = ActorFilterSet


@describe("actor klantcontact", "actor klantcontacten")
class ActorKlantcontactViewSet(RegisterViewSet):
    queryset = ActorKlantcontact.objects.order_by("id")
    serializer_class = ActorKlantcontactSerializer
    filterset_class = ActorKlantcontactFilterSet


@describe("interne taak", "interne taken")
class InterneTaakViewSet(RegisterViewSet):
    # Newest first (internetaak_recent_idx); a medewerker's work list uses the same order.
    queryset = InterneTaak.objects.order_by("-toegewezen_op", "-id")
    serializer_class = InterneTaakSerializer
    filterset_class = InterneTaakFilterSet
