from django.urls import path

from .cijfers import KlantcontactcijfersViewSet
from .views import (
    BetrokkeneViewSet,
    BijlageViewSet,
    KlantcontactViewSet,
    MaakKlantcontactViewSet,
    OnderwerpobjectViewSet,
)

routes = [
    ("klantcontacten", KlantcontactViewSet),
    ("betrokkenen", BetrokkeneViewSet),
    ("onderwerpobjecten", OnderwerpobjectViewSet),
    ("bijlagen", BijlageViewSet),
]

urlpatterns = [
    path(
        "maak-klantcontact",
        MaakKlantcontactViewSet.as_view({"post": "create"}),
        name="maak-klantcontact",
    ),
    # Management figures (docs/cijfers.md).
    path(
        "klantcontactcijfers",
        KlantcontactcijfersViewSet.as_view({"get": "tellen"}),
        name="klantcontactcijfers",
    ),
]
