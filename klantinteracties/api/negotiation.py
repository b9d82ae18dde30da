"""DRF's content negotiation, with its choice remembered per Accept header and format.

Parsing the Accept header and matching it against the renderers costs more than rendering
a small response, and clients send the same few headers on every request. The choice is a
pure function of the header, the format asked for (`?format=` or a suffix) and the view's
renderer classes, so it is kept as the chosen renderer's position and media type; each
request still gets its own renderer instances.
"""

from rest_framework.negotiation import DefaultContentNegotiation

CHOICES_MAX = 256
# Longer headers are negotiated every time rather than kept (the cache must stay small
# whatever clients send).
ACCEPT_CACHED_MAX = 512

_choices: dict = {}
PROBLEM = "application/problem+json"


class ContentNegotiation(DefaultContentNegotiation):
    def get_accept_list(self, request):
        # A client that accepts problem details accepts JSON: its errors come as
        # `application/problem+json` (errors.py), everything else as `application/json`.
        return [
            "application/json" + media[len(PROBLEM) :]
            if media.split(";")[0].strip().lower() == PROBLEM
            else media
            for media in super().get_accept_list(request)
        ]

    def select_renderer(self, request, renderers, format_suffix=None):
        accept = request.META.get("HTTP_ACCEPT", "*/*")
        if len(accept) > ACCEPT_CACHED_MAX:
            return super().select_renderer(request, renderers, format_suffix)
        format = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        key = (accept, format, tuple(type(renderer) for renderer in renderers))
        choice = _choices.get(key)
        if choice is not None:
            position, media_type = choice
            return renderers[position], media_type
        # Not acceptable: raised here, and negotiated again next time.
        renderer, media_type = super().select_renderer(request, renderers, format_suffix)
        if len(_choices) >= CHOICES_MAX:
            _choices.clear()
        _choices[key] = (renderers.index(renderer), media_type)
        return renderer, media_type
