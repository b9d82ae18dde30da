from rest_framework import viewsets

from autorisatie.permissions import HeeftScopeVoor, require_full_view
from autorisatie.scopes import ABONNEMENTEN_BEHEREN
from klantinteracties.api.docs import described
from klantinteracties.api.urls import UUID_REGEX
from klantinteracties.api.viewsets import AtomicWritesMixin, RequestContextMixin
from logboek.viewsets import VerwerkingenlogMixin

from .models import Bestemming
from .serializers import AbonnementSerializer


@described("abonnement", "abonnementen", scope=ABONNEMENTEN_BEHEREN)
class AbonnementViewSet(
    RequestContextMixin, AtomicWritesMixin, VerwerkingenlogMixin, viewsets.ModelViewSet
):
    """CloudEvents webhook subscriptions (docs/events.md): the webhook destinations. A
    Notificaties API destination (from the settings or the admin) is not seen here."""

    permission_classes = [HeeftScopeVoor]
    scope = ABONNEMENTEN_BEHEREN
    # Not personal data: no processing log; its changes are in the audit trail.
    audit_resource = "abonnement"
    queryset = Bestemming.objects.filter(soort=Bestemming.Soort.WEBHOOK).order_by("-pk")
    serializer_class = AbonnementSerializer
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    # An abonnement receives every change of its typen, whatever the application that made it
    # may read: making or redirecting one needs a view of everything (as the audit trail).
    def perform_create(self, serializer):
        require_full_view(self.request.auth, "Een abonnement ontvangt elke wijziging")
        super().perform_create(serializer)

    def perform_update(self, serializer):
        require_full_view(self.request.auth, "Een abonnement ontvangt elke wijziging")
        super().perform_update(serializer)
