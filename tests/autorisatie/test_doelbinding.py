"""Purposes (verwerkingsactiviteiten): named in X-Verwerkingsactiviteit, one of the
application's, required where the application must; and the request context they go into."""

import pytest
from django.test import RequestFactory

from autorisatie.context import RequestContext
from autorisatie.models import Applicatie, Verwerkingsactiviteit

from .conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/partijen"
WMO = "https://gemeente.example/verwerkingen/wmo"
KCC = "https://gemeente.example/verwerkingen/kcc"


@pytest.fixture
def applicatie():
    app = Applicatie.objects.create(naam="Sociaal domein", scopes=["partijen.lezen"])
    app.verwerkingsactiviteiten.add(
        Verwerkingsactiviteit.objects.create(uri=WMO, naam="Wmo-aanvraag", grondslag="Wmo 2015")
    )
    Verwerkingsactiviteit.objects.create(uri=KCC, naam="Klantcontact")
    return app


def test_a_required_purpose_must_be_named_and_be_the_applications(applicatie):
    applicatie.doelbinding_verplicht = True
    applicatie.save()
    client = client_for(applicatie)

    missing = client.get(URL)
    other = client.get(URL, HTTP_X_VERWERKINGSACTIVITEIT=KCC)
    own = client.get(URL, HTTP_X_VERWERKINGSACTIVITEIT=WMO)

    assert (missing.status_code, missing.json()["code"]) == (403, "purpose-required")
    assert (other.status_code, other.json()["code"]) == (403, "unknown-purpose")
    assert own.status_code == 200


def test_a_named_purpose_is_checked_also_where_none_is_required(applicatie):
    client = client_for(applicatie)

    assert client.get(URL).status_code == 200
    assert client.get(URL, HTTP_X_VERWERKINGSACTIVITEIT=WMO).status_code == 200
    assert client.get(URL, HTTP_X_VERWERKINGSACTIVITEIT=KCC).status_code == 403


def test_the_context_carries_the_purpose_and_the_trace(applicatie):
    traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    request = RequestFactory().get(
        URL, HTTP_TRACEPARENT=traceparent, HTTP_X_VERWERKINGSACTIVITEIT=WMO
    )

    context = RequestContext.for_request(request, applicatie)

    assert context.verwerkingsactiviteit.uri == WMO
    assert context.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert context.parent_span_id == "00f067aa0ba902b7"
    assert len(context.span_id) == 16 and context.span_id != context.parent_span_id


@pytest.mark.parametrize(
    "traceparent",
    [
        "",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "geen trace",
    ],
)
def test_without_a_valid_traceparent_a_new_trace_starts(applicatie, traceparent):
    request = RequestFactory().get(URL, HTTP_TRACEPARENT=traceparent)

    context = RequestContext.for_request(request, applicatie)

    assert len(context.trace_id) == 32 and set(context.trace_id) != {"0"}
    assert context.parent_span_id == ""


def test_a_purpose_added_later_counts_at_once(applicatie):
    applicatie.doelbinding_verplicht = True
    applicatie.save()
    client = client_for(applicatie)
    assert client.get(URL, HTTP_X_VERWERKINGSACTIVITEIT=KCC).status_code == 403

    applicatie.verwerkingsactiviteiten.add(Verwerkingsactiviteit.objects.get(uri=KCC))

    assert client.get(URL, HTTP_X_VERWERKINGSACTIVITEIT=KCC).status_code == 200
