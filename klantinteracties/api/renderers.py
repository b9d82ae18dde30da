"""The browsable API, rendered with the request's context (autorisatie).

Django renders a response after the view has returned, when the request context is no longer
the current one; the browsable API builds its forms from serializers then, which must still
leave out and empty what the application may not see.
"""

from rest_framework import renderers

from autorisatie import context as request_context


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        request = (renderer_context or {}).get("request")
        token = request_context.activate(getattr(request, "auth", None))
        try:
            return super().render(data, accepted_media_type, renderer_context)
        finally:
            request_context.deactivate(token)
