"""The Contactgegevens API, v1."""

from rest_framework.routers import SimpleRouter

from contactgegevens import urls as contactgegevens_urls
from klantinteracties.api.routing import api_patterns
from klantinteracties.api.schema_urls import schema_urlpatterns

router = SimpleRouter(trailing_slash=False)
for prefix, viewset in contactgegevens_urls.routes:
    router.register(prefix, viewset, basename=f"contactgegevens-{prefix}")

v1_patterns = [*router.urls, *schema_urlpatterns("contactgegevens")]

# Resolved by the first path segment (klantinteracties/api/routing.py).
urlpatterns = [api_patterns("contactgegevens/api/v1/", v1_patterns)]
