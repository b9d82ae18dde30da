"""The Contactgegevens API, v1."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from contactgegevens import urls as contactgegevens_urls
from klantinteracties.api.schema_urls import schema_urlpatterns

router = SimpleRouter(trailing_slash=False)
for prefix, viewset in contactgegevens_urls.routes:
    router.register(prefix, viewset, basename=f"contactgegevens-{prefix}")

v1_patterns = [*router.urls, *schema_urlpatterns("contactgegevens")]

urlpatterns = [path("contactgegevens/api/v1/", include(v1_patterns))]
