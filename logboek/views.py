from rest_framework import mixins, viewsets

from autorisatie.permissions import HeeftScopeVoor
from autorisatie.scopes import VERWERKINGEN_LEZEN
from klantinteracties.api.viewsets import RequestContextMixin

from .filters import VerwerkingFilterSet
from .models import Verwerking
from .serializers import VerwerkingSerializer


class VerwerkingViewSet(RequestContextMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Het verwerkingenlog: wie welke gegevens van wie verwerkte, waarom en wanneer (Logboek
    Dataverwerkingen), nieuwste eerst. Eén record per verwerking per betrokkene (subject).
    Scope `verwerkingen.lezen`."""

    permission_classes = [HeeftScopeVoor]
    scope = VERWERKINGEN_LEZEN
    # Newest first: records are numbered in the order they are written.
    queryset = Verwerking.objects.select_related("handeling").order_by("-id")
    serializer_class = VerwerkingSerializer
    filterset_class = VerwerkingFilterSet
