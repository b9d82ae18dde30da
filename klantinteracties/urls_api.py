"""The Klantinteracties API, v1. Each register contributes its `routes` and `urlpatterns`."""

from rest_framework.routers import SimpleRouter

from gebeurtenissen import urls as gebeurtenissen_urls
from klantcontacten import urls as klantcontacten_urls
from klantinteracties.api.routing import api_patterns
from klantinteracties.api.schema_urls import schema_urlpatterns
from logboek import urls as logboek_urls
from partijen import urls as partijen_urls
from regie import urls as regie_urls
from taken import urls as taken_urls

REGISTERS = (
    partijen_urls,
    klantcontacten_urls,
    taken_urls,
    logboek_urls,
    regie_urls,
    gebeurtenissen_urls,
)

router = SimpleRouter(trailing_slash=False)
for register in REGISTERS:
    for prefix, viewset in register.routes:
        router.register(prefix, viewset, basename=prefix)

v1_patterns = [
    *router.urls,
    *[pattern for register in REGISTERS for pattern in register.urlpatterns],
    *schema_urlpatterns("klantinteracties"),
]

# Resolved by the first path segment (klantinteracties/api/routing.py).
urlpatterns = [api_patterns("klantinteracties/api/v1/", v1_patterns)]
