from django.urls import re_path

from klantinteracties.api.urls import UUID_REGEX

from .views import InzageViewSet, SamenvoegenViewSet, VergetenViewSet

routes = [("inzage", InzageViewSet)]
urlpatterns = [
    re_path(
        rf"^partijen/(?P<uuid>{UUID_REGEX})/samenvoegen$",
        SamenvoegenViewSet.as_view({"post": "samenvoegen"}),
        name="partij-samenvoegen",
    ),
    re_path(
        rf"^partijen/(?P<uuid>{UUID_REGEX})/vergeten$",
        VergetenViewSet.as_view({"post": "vergeten"}),
        name="partij-vergeten",
    ),
]
