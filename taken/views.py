"""Actoren, actorklantcontacten and interne taken."""

from klantinteracties.api.docs import described
from klantinteracties.api.viewsets import RegisterViewSet

from .filters import ActorFilterSet, ActorKlantcontactFilterSet, InterneTaakFilterSet
from .models import Actor, ActorKlantcontact, InterneTaak
from .serializers import ActorKlantcontactSerializer, ActorSerializer, InterneTaakSerializer


@described("actor", "actoren")
class ActorViewSet(RegisterViewSet):
    queryset = Actor.objects.order_by("id")
    serializer_class = ActorSerializer
    filterset_class = ActorFilterSet


@described("actor klantcontact", "actor klantcontacten")
class ActorKlantcontactViewSet(RegisterViewSet):
    queryset = ActorKlantcontact.objects.order_by("id")
    serializer_class = ActorKlantcontactSerializer
    filterset_class = ActorKlantcontactFilterSet


@described("interne taak", "interne taken")
class InterneTaakViewSet(RegisterViewSet):
    # Newest first (internetaak_recent_idx); a medewerker's work list uses the same order.
    queryset = InterneTaak.objects.order_by("-toegewezen_op", "-id")
    serializer_class = InterneTaakSerializer
    filterset_class = InterneTaakFilterSet
