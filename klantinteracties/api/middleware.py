from django.conf import settings

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
