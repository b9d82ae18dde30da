from rest_framework import mixins, viewsets

from autorisatie.permissions import HeeftScopeVoor, require_full_view
from autorisatie.scopes import VERWERKINGEN_LEZEN
from klantinteracties.api.viewsets import RequestContextMixin

from .filters import VerwerkingFilterSet
from .models import Verwerking
from .serializers import VerwerkingSerializer
from .vastleggen import Wie, verwerking_vastleggen


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

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Who processed what, for whom, and why: for an application that sees everything.
        require_full_view(request.auth, "Het verwerkingenlog toont de verwerkingen van alles")

    def paginate_queryset(self, queryset):
        self._page = super().paginate_queryset(queryset)
        return self._page

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        # Reading the log is processing too: the subjects of the records shown.
        subjects = {(r.subject_soort, r.subject_uuid): r.subject() for r in self._page or ()}
        verwerking_vastleggen(
            wie=Wie.van(request.auth, "klantinteracties"),
            naam="verwerkingen.list",
            bewerking="lezen",
            status_code=response.status_code,
            start=self._start,
            eerder=list(subjects.values()),
        )
        return response
