"""Content negotiation remembered per Accept header and format: the same choice as DRF's."""

import pytest
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from klantinteracties.api import negotiation
from klantinteracties.api.negotiation import ContentNegotiation

HEADERS = [
    None,
    "*/*",
    "application/json",
    "application/json; indent=4",
    "text/html",
    "text/html;q=0.5, application/json",
    "application/xml, */*;q=0.1",
]


@pytest.fixture(autouse=True)
def empty_cache():
    negotiation._choices.clear()
    yield
    negotiation._choices.clear()


def request(accept=None, query=""):
    headers = {"HTTP_ACCEPT": accept} if accept is not None else {}
    return Request(APIRequestFactory().get("/x" + query, **headers))


def renderers():
    return [JSONRenderer(), BrowsableAPIRenderer()]


def choice(negotiator, accept, query="", suffix=None):
    given = renderers()
    renderer, media_type = negotiator.select_renderer(request(accept, query), given, suffix)
    assert any(renderer is instance for instance in given)  # this request's own instance
    return type(renderer), media_type


@pytest.mark.parametrize("query", ["", "?format=json", "?format=api"])
@pytest.mark.parametrize("accept", HEADERS)
def test_same_choice_as_drf_first_and_remembered(accept, query):
    try:
        expected = choice(DefaultContentNegotiation(), accept, query)
    except NotAcceptable:
        with pytest.raises(NotAcceptable):
            choice(ContentNegotiation(), accept, query)
        return
    assert choice(ContentNegotiation(), accept, query) == expected
    assert len(negotiation._choices) == 1
    assert choice(ContentNegotiation(), accept, query) == expected


def test_a_format_suffix_is_part_of_the_choice():
    assert choice(ContentNegotiation(), "*/*", suffix="api")[0] is BrowsableAPIRenderer
    assert choice(ContentNegotiation(), "*/*")[0] is JSONRenderer


def test_not_acceptable_every_time_and_not_remembered():
    for _ in range(2):
        with pytest.raises(NotAcceptable):
            choice(ContentNegotiation(), "application/xml")
    assert negotiation._choices == {}


def test_the_cache_stays_small_whatever_clients_send():
    for n in range(negotiation.CHOICES_MAX * 2):
        choice(ContentNegotiation(), f"application/json; v={n}")
    assert len(negotiation._choices) <= negotiation.CHOICES_MAX
    long_header = ", ".join(["application/json"] + [f"text/x-{n}" for n in range(60)])
    assert len(long_header) > negotiation.ACCEPT_CACHED_MAX
    negotiation._choices.clear()
    assert choice(ContentNegotiation(), long_header)[0] is JSONRenderer
    assert negotiation._choices == {}
