"""Filter forms share their fields between requests; what one request validates stays its own."""

import pytest
from django.http import QueryDict

from klantinteracties.api.filters import SharedFormFields, narrowed
from partijen.filters import PartijFilterSet
from partijen.models import Partij

pytestmark = pytest.mark.django_db


def bound(query: str):
    params = QueryDict(query)
    filterset_class = narrowed(PartijFilterSet, params)
    return filterset_class(params, queryset=Partij.objects.all())


def test_form_instances_share_fields_and_keep_their_own_results():
    good = bound("soortPartij=persoon&indicatieActief=true")
    bad = bound("soortPartij=iets&indicatieActief=true")

    assert isinstance(type(good.form).base_fields, SharedFormFields)
    assert good.form.fields["soortPartij"] is bad.form.fields["soortPartij"]
    assert bad.is_valid() is False
    assert good.is_valid() is True
    assert good.form.cleaned_data["soortPartij"] == "persoon"
    assert good.form.errors == {}
    assert set(bad.form.errors) == {"soortPartij"}
    # A later request of the same shape starts clean.
    again = bound("soortPartij=organisatie&indicatieActief=false")
    assert again.is_valid() and again.form.cleaned_data["soortPartij"] == "organisatie"
    assert again.form.cleaned_data["indicatieActief"] is False


def test_invalid_filter_values_are_still_a_400_after_valid_ones(api_client):
    url = "/klantinteracties/api/v1/partijen"
    assert api_client.get(url, {"soortPartij": "persoon"}).status_code == 200

    response = api_client.get(url, {"soortPartij": "iets"})

    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["soortPartij"]
    assert api_client.get(url, {"soortPartij": "organisatie"}).status_code == 200
