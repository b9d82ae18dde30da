"""An `expand` into a register the application cannot read is refused; a plain reference to
an object there stays in the response."""

import pytest

from tests.klantcontacten.factories import make_betrokkene, make_partij

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"


@pytest.fixture
def betrokkene():
    return make_betrokkene(partij=make_partij())


def test_expand_into_an_unreadable_register_is_a_403(client_with, betrokkene):
    client = client_with("klantcontacten.lezen")

    own = client.get(f"{API}/klantcontacten", {"expand": "hadBetrokkenen"})
    other = client.get(f"{API}/klantcontacten", {"expand": "hadBetrokkenen.wasPartij"})
    detail = client.get(
        f"{API}/klantcontacten/{betrokkene.klantcontact.uuid}",
        {"expand": "hadBetrokkenen.wasPartij"},
    )

    assert own.status_code == 200, own.json()
    expanded = own.json()["results"][0]["_expand"]["hadBetrokkenen"][0]
    assert expanded["wasPartij"]["uuid"] == str(betrokkene.partij.uuid)
    for refused in (other, detail):
        assert refused.status_code == 403
        assert "partijen.lezen" in refused.json()["detail"]


def test_expand_with_both_scopes_is_allowed(client_with, betrokkene):
    client = client_with("partijen.lezen", "klantcontacten.lezen")

    response = client.get(f"{API}/partijen", {"expand": "betrokkenen.hadKlantcontact"})

    assert response.status_code == 200, response.json()
    assert (
        client_with("partijen.lezen").get(f"{API}/partijen", {"expand": "betrokkenen"}).status_code
        == 403
    )


@pytest.mark.parametrize("sql_json", [True, False], ids=["sql-json", "serializers"])
def test_the_actors_of_a_klantcontact_need_the_taken_register(client_with, settings, sql_json):
    from tests.klantcontacten.factories import make_actor, make_actor_klantcontact

    settings.SQL_JSON_LISTS = sql_json
    actor = make_actor(naam="Sanne de Vries", functie="KCC", telefoonnummer="0201234567")
    klantcontact = make_betrokkene().klantcontact
    make_actor_klantcontact(actor, klantcontact)
    detail = f"{API}/klantcontacten/{klantcontact.uuid}"

    zonder = client_with("klantcontacten.lezen")
    met = client_with("klantcontacten.lezen", "taken.lezen")

    for client, expected in ((zonder, []), (met, [str(actor.uuid)])):
        listed = client.get(f"{API}/klantcontacten").json()["results"][0]
        shown = client.get(detail).json()
        for body in (listed, shown):
            assert [a["uuid"] for a in body["hadBetrokkenActoren"]] == expected
    assert "Sanne" not in zonder.get(f"{API}/klantcontacten").content.decode()
