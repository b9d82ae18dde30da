"""An API's URL patterns, resolved by their first path segment.

Django tries a list of patterns one after another: a request for `internetaken/<uuid>` ran
some thirty regular expressions (and recorded each failure) before its own, on every
request. Every route of an API starts with a literal resource name, so `api_patterns()`
hands a path to the few patterns of its first segment, through a plain URLResolver with
the same prefix, app name and namespace: the match is the one Django would find. Paths that
match none of those go through the full list, so a 404 (and `reverse()`) is unchanged.
"""

import re

from django.urls import Resolver404, URLResolver
from django.urls.resolvers import RegexPattern, RoutePattern

# A route's first path segment, when it is a literal: `^partijen$`, `^partijen/(?P<uuid>..)$`,
# `maak-klantcontact`, `schema/docs`.
_LITERAL = re.compile(r"(?P<segment>[A-Za-z0-9_-]+)(?P<rest>/|\$|$)")


class SegmentResolver(URLResolver):
    def __init__(self, pattern, urlconf_name, *args, **kwargs):
        super().__init__(pattern, urlconf_name, *args, **kwargs)
        self._segments = _by_segment(self, urlconf_name)

    def resolve(self, path):
        if self._segments is not None:
            match = self.pattern.match(str(path))
            if match:
                segment = match[0].split("/", 1)[0]
                resolver = self._segments.get(segment)
                if resolver is not None:
                    try:
                        return resolver.resolve(path)
                    except Resolver404:
                        pass  # the full list tries (and reports) every pattern
        return super().resolve(path)


def _segment(pattern) -> str | None:
    route = pattern.pattern
    if isinstance(route, RegexPattern):
        text = str(route._regex)
        text = text[1:] if text.startswith("^") else None
    elif isinstance(route, RoutePattern):
        text = str(route._route)
        if "<" in text.split("/", 1)[0]:
            return None
    else:
        return None
    found = _LITERAL.match(text) if text else None
    return found["segment"] if found else None


def _by_segment(resolver, patterns) -> dict[str, URLResolver] | None:
    groups: dict[str, list] = {}
    for pattern in patterns:
        segment = _segment(pattern)
        if segment is None:
            return None  # a route without a literal first segment: resolve as Django does
        groups.setdefault(segment, []).append(pattern)
    return {
        segment: URLResolver(
            resolver.pattern,
            members,
            resolver.default_kwargs,
            app_name=resolver.app_name,
            namespace=resolver.namespace,
        )
        for segment, members in groups.items()
    }


def api_patterns(prefix: str, patterns: list) -> SegmentResolver:
    """`path(prefix, include(patterns))`, resolved by first segment."""
    return SegmentResolver(RoutePattern(prefix, is_endpoint=False), patterns)
