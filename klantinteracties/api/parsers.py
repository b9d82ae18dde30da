"""Request bodies: JSON only."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested deeper than Python's parser can follow (a thousand
    levels or more, depending on the Python version: a body of a few kilobytes) is malformed
    input like any other, a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - de JSON is te diep genest.") from None
