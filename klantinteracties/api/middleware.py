from django.conf import settings
from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.middleware import common, csrf
from whitenoise import middleware as whitenoise

from .errors import problem_response

API_PREFIXES = ("/klantinteracties/api/", "/contactgegevens/api/")


class APIVersionMiddleware:
    """Sets the `API-version` header the reference sends on every API response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path
        if path.startswith(API_PREFIXES[0]):
            response["API-version"] = settings.API_VERSION
        elif path.startswith(API_PREFIXES[1]):
            response["API-version"] = settings.CONTACTGEGEVENS_API_VERSION
        return response


class RequestBodyLimitMiddleware:
    """Rejects API request bodies over DATA_UPLOAD_MAX_MEMORY_SIZE with a 413 problem.

    DRF reads JSON from the raw stream, past Django's own size check, so the limit is
    enforced here from the Content-Length header before anything is read.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def __call__(self, request):
        if request.path.startswith(API_PREFIXES):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if self.limit and length > self.limit:
                return problem_response(
                    request,
                    413,
                    "request_too_large",
                    f"De request body is groter dan {self.limit} bytes.",
                )
        return self.get_response(request)


class OutsideAPIMixin:
    """Middleware the admin needs and token-authenticated API requests do not.

    API clients authenticate with a token on every request and send no session cookie;
    loading an empty session, a lazy user and a message store for each of their requests
    only costs time. Neither do API paths hold static files (WhiteNoise) or take CSRF
    protection (DRF exempts its views; a token is no cookie a browser sends by itself). Everything else (the admin, the schema pages,
    static files) gets the full behaviour.
    """

    def __call__(self, request):
        if request.path.startswith(API_PREFIXES):
            return self.get_response(request)
        return super().__call__(request)


class WhiteNoiseMiddleware(OutsideAPIMixin, whitenoise.WhiteNoiseMiddleware):
    pass


class SessionMiddleware(OutsideAPIMixin, sessions.SessionMiddleware):
    pass


class CommonMiddleware(common.CommonMiddleware):
    """On API paths only the Content-Length header (the routes take no appended slash)."""

    def __call__(self, request):
        if not request.path.startswith(API_PREFIXES):
            return super().__call__(request)
        response = self.get_response(request)
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response


class CsrfViewMiddleware(OutsideAPIMixin, csrf.CsrfViewMiddleware):
    pass


class AuthenticationMiddleware(OutsideAPIMixin, auth.AuthenticationMiddleware):
    pass


class MessageMiddleware(OutsideAPIMixin, messages.MessageMiddleware):
    pass
