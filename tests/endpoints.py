"""The list endpoints of both APIs and the `expand` values each allows, found from the URLs."""

from django.urls import get_resolver

from klantinteracties.api.viewsets import ExpandMixin


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$").replace("\\", "")
        if hasattr(pattern, "url_patterns"):
            yield from _walk(pattern.url_patterns, route)
        else:
            yield route, pattern.callback


def list_views():
    """{view name: (url, view class)} of every list endpoint of both APIs."""
    found = {}
    for route, callback in _walk(get_resolver().url_patterns):
        view = getattr(callback, "cls", None)
        actions = getattr(callback, "actions", None) or {}
        if view is None or actions.get("get") != "list" or not issubclass(view, ExpandMixin):
            continue
        if "(?P<format>" in route or "<" in route:
            continue
        found[view.__name__] = ("/" + route.rstrip("/"), view)
    return found


def expand_values(view) -> list[str]:
    return (
        [""]
        + list(view.expand_paths)
        + ([",".join(view.expand_paths)] if view.expand_paths else [])
    )
