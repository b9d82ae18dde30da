import sys

from django.contrib import admin
from django.urls import include, path
from django.views.defaults import bad_request, page_not_found, server_error
from django.views.generic import RedirectView

from gebeurtenissen import kanalen
from klantinteracties import gezondheid
from klantinteracties.api.errors import problem_response
from klantinteracties.api.middleware import API_PREFIXES

urlpatterns = [
    path("admin/", admin.site.urls),
    # The kanalen's documentation (their `documentatieLink` in the Notificaties API).
    path("ref/kanalen/", kanalen.pagina, name="kanalen"),
    path("", include("klantinteracties.urls_api")),
    path("", include("contactgegevens.urls_api")),
    path("", RedirectView.as_view(url="/klantinteracties/api/v1/schema/docs", permanent=False)),
]


def handler400(request, exception=None):
    # What Django itself rejects before any view (a Host not in ALLOWED_HOSTS, say). The
    # Host may be what is wrong, so the problem's urls are not built from it.
    if request.path.startswith(API_PREFIXES):
        return problem_response(request, 400, "bad_request", "Ongeldig verzoek.", trust_host=False)

    return bad_request(request, exception)


def handler404(request, exception=None):
    if request.path.startswith(API_PREFIXES):
        return problem_response(request, 404, "not_found", "Niet gevonden.")

    return page_not_found(request, exception)


def handler500(request):
    # Called while the exception is being handled: a database that cannot be reached is not
    # the server's error but a moment to wait (klantinteracties/gezondheid.py).
    if gezondheid.database_onbereikbaar(sys.exc_info()[1]):
        # A read from a replica that went away is answered again from the primary
        # (klantinteracties/replicas.py).
        request.database_onbereikbaar = True
        response = problem_response(
            request,
            503,
            "database_onbereikbaar",
            "De database is tijdelijk niet bereikbaar; er is niets gewijzigd. Probeer het over "
            "enkele seconden opnieuw.",
        )
        response["Retry-After"] = str(gezondheid.RETRY_AFTER)
        return response
    if request.path.startswith(API_PREFIXES):
        return problem_response(request, 500, "error", "Er is een serverfout opgetreden.")

    return server_error(request)
