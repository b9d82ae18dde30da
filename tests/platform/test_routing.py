"""Resolving by first path segment finds exactly what Django's own resolver finds."""

import re
import uuid

import pytest
from django.urls import Resolver404, URLResolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from contactgegevens import urls_api as contactgegevens_api
from klantinteracties import urls_api as klantinteracties_api
from klantinteracties.api.routing import SegmentResolver, api_patterns

UUID = str(uuid.uuid4())
APIS = [
    ("klantinteracties/api/v1/", klantinteracties_api.v1_patterns),
    ("contactgegevens/api/v1/", contactgegevens_api.v1_patterns),
]


def paths(prefix, patterns):
    segments = set()
    for pattern in patterns:
        route = str(pattern.pattern).lstrip("^").rstrip("$")
        segments.add(route.split("/", 1)[0])
        # Every uuid group (`uuid`, `audit_uuid`) as a uuid.
        yield prefix + re.sub(r"\(\?P<\w+>[^)]*\)", UUID, route)
    for segment in segments:
        yield f"{prefix}{segment}/"  # trailing slash: no route
        yield f"{prefix}{segment}/niet-een-uuid"
        yield f"{prefix}{segment}x"
    yield f"{prefix}onbekend"
    yield prefix


def outcome(resolver, path):
    try:
        match = resolver.resolve(path)
    except Resolver404 as error:
        return ("404", len(error.args[0].get("tried", [])))
    return (match.func, match.args, match.kwargs, match.url_name, match.route, match.namespaces)


@pytest.mark.parametrize(("prefix", "patterns"), APIS, ids=["klantinteracties", "contactgegevens"])
def test_every_path_resolves_as_with_djangos_resolver(prefix, patterns):
    ours = api_patterns(prefix, patterns)
    django = URLResolver(RoutePattern(prefix, is_endpoint=False), patterns)
    assert ours._segments, "dispatch by segment is in use"

    checked = list(paths(prefix, patterns))
    # Each route, and three misses per first segment.
    assert len(checked) > len(patterns)
    found = 0
    for path in checked:
        assert outcome(ours, path) == outcome(django, path), path
        found += outcome(ours, path)[0] != "404"
    assert found == len(patterns)  # each route's own path, list and detail alike


def test_a_route_without_literal_first_segment_keeps_the_full_list():
    from django.urls import re_path

    patterns = [re_path(r"^(?P<naam>[a-z]+)$", lambda request: None, name="elk")]

    resolver = SegmentResolver(RoutePattern("api/", is_endpoint=False), patterns)

    assert resolver._segments is None
    assert resolver.resolve("api/iets").kwargs == {"naam": "iets"}
    assert isinstance(patterns[0].pattern, RegexPattern)


def test_reverse_is_unchanged():
    assert reverse("internetaken-detail", kwargs={"uuid": UUID}) == (
        f"/klantinteracties/api/v1/internetaken/{UUID}"
    )
    assert reverse("contactgegevens-persoon-list") == "/contactgegevens/api/v1/persoon"
