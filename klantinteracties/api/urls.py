"""Absolute URLs of API resources, built once per request instead of a `reverse()` per row."""

# A uuid in a route, with or without its hyphens.
UUID_REGEX = "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"

API_PREFIXES = {
    "klantinteracties": "/klantinteracties/api/v1/",
    "contactgegevens": "/contactgegevens/api/v1/",
}


def api_base(request, api: str = "klantinteracties") -> str:
    cache = request.__dict__.setdefault("_api_base_cache", {})
    base = cache.get(api)
    if base is None:
        base = cache[api] = request.build_absolute_uri(API_PREFIXES[api])
    return base


def resource_url(request, resource: str, uuid, api: str = "klantinteracties") -> str:
    if request is None:
        return f"{API_PREFIXES[api]}{resource}/{uuid}"
    return f"{api_base(request, api)}{resource}/{uuid}"
