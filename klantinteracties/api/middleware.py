from django.conf import settings


class APIVersionMiddleware:
    """Sets the `API-version` header the reference sends on every API response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path
        if path.startswith("/klantinteracties/api/"):
            response["API-version"] = settings.API_VERSION
        elif path.startswith("/contactgegevens/api/"):
            response["API-version"] = settings.CONTACTGEGEVENS_API_VERSION
        return response
