"""Confidential klantcontacten do not exist for an application without the scope
`klantcontacten.vertrouwelijk`: everything it can ask equals what it would get after the
confidential klantcontacten were deleted (with what goes with them; references to them null).

The same requests (every list with every `expand`, each item's detail, filters by the hidden
objects, writes to and references to them) are sent by such an application on both render
paths, and by an application with all rights after the delete: the answers must be equal.
"""

import pytest

from autorisatie.models import Applicatie
from autorisatie.scopes import SCOPES, VERTROUWELIJK
from klantcontacten.models import Bijlage, Klantcontact
from taken.models import InterneTaakToewijzing
from tests.datasets import rich_dataset
from tests.endpoints import expand_values, list_views
from tests.klantcontacten.factories import (
    make_actor,
    make_actor_klantcontact,
    make_betrokkene,
    make_digitaal_adres,
    make_interne_taak,
    make_klantcontact,
    make_onderwerpobject,
)

from .conftest import client_for

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"


def confidential(persoon) -> dict:
    """Confidential klantcontacten linked to everything that can refer to them."""
    zichtbaar = make_klantcontact(onderwerp="Zichtbaar")
    geheim = make_klantcontact(onderwerp="Geheim", vertrouwelijk=True)
    betrokkene = make_betrokkene(geheim, partij=persoon, contactnaam_voornaam="Geheim")
    adres = make_digitaal_adres(partij=persoon, betrokkene=betrokkene, adres="geheim@example.org")
    over = make_onderwerpobject(klantcontact=geheim, was_klantcontact=zichtbaar)
    antwoord = make_onderwerpobject(klantcontact=zichtbaar, was_klantcontact=geheim)
    Bijlage.objects.create(klantcontact=geheim, bijlageidentificator_object_id="geheim-doc")
    actor = make_actor(naam="Behandelaar", functie="Wmo", telefoonnummer="0201234567")
    make_actor_klantcontact(actor, geheim)
    make_actor_klantcontact(actor, zichtbaar)
    for klantcontact in (geheim, zichtbaar):
        taak = make_interne_taak(klantcontact)
        InterneTaakToewijzing.objects.create(internetaak=taak, actor=actor)
    return {
        "geheim": geheim,
        "betrokkene": betrokkene,
        "adres": adres,
        "over": over,
        "antwoord": antwoord,
        "actor": actor,
        "taak": geheim.internetaken.get(),
        "zichtbaar": zichtbaar,
    }


def requests(objects: dict) -> list[tuple[str, str, dict]]:
    """(method, url, params or body) of what an application may ask about them."""
    geheim, betrokkene, actor = objects["geheim"], objects["betrokkene"], objects["actor"]
    asked = []
    for _, (url, view) in sorted(list_views().items()):
        for expand in expand_values(view):
            asked.append(("get", url, {"pageSize": 100, **({"expand": expand} if expand else {})}))
    asked += [
        ("get", f"{API}/klantcontacten", {"wasOnderwerpobject__uuid": objects["over"].uuid}),
        ("get", f"{API}/klantcontacten", {"onderwerpobject__uuid": objects["over"].uuid}),
        ("get", f"{API}/klantcontacten", {"hadBetrokkene__uuid": betrokkene.uuid}),
        ("get", f"{API}/klantcontacten", {"vertrouwelijk": "true"}),
        ("get", f"{API}/digitaleadressen", {"verstrektDoorBetrokkene__uuid": betrokkene.uuid}),
        ("get", f"{API}/digitaleadressen", {"verstrektDoorBetrokkene__rol": "klant"}),
        ("get", f"{API}/onderwerpobjecten", {"wasKlantcontact__uuid": geheim.uuid}),
        ("get", f"{API}/betrokkenen", {"hadKlantcontact__uuid": geheim.uuid}),
        ("get", f"{API}/actorklantcontacten", {"klantcontact__uuid": geheim.uuid}),
        ("get", f"{API}/internetaken", {"toegewezenAanActor__uuid": actor.uuid}),
        ("get", f"{API}/internetaken", {"toegewezenAanActor__uuid": actor.uuid, "pageSize": 1}),
        ("get", f"{API}/internetaken", {"aanleidinggevendKlantcontact__uuid": geheim.uuid}),
        ("get", f"{API}/partijen/{objects['adres'].partij.uuid}", {"expand": "betrokkenen"}),
        (
            "get",
            f"{API}/digitaleadressen/{objects['adres'].uuid}",
            {"expand": "verstrektDoorBetrokkene"},
        ),
        ("get", f"{API}/onderwerpobjecten/{objects['antwoord'].uuid}", {}),
    ]
    for resource, obj in (
        ("klantcontacten", geheim),
        ("betrokkenen", betrokkene),
        ("onderwerpobjecten", objects["over"]),
        ("internetaken", objects["taak"]),
    ):
        asked.append(("get", f"{API}/{resource}/{obj.uuid}", {}))
        asked.append(("patch", f"{API}/{resource}/{obj.uuid}", {}))
        asked.append(("delete", f"{API}/{resource}/{obj.uuid}", {}))
    asked += [
        (
            "post",
            f"{API}/betrokkenen",
            {"hadKlantcontact": {"uuid": str(geheim.uuid)}, "rol": "klant", "initiator": True},
        ),
        (
            "post",
            f"{API}/actorklantcontacten",
            {"actor": {"uuid": str(actor.uuid)}, "klantcontact": {"uuid": str(geheim.uuid)}},
        ),
        (
            "patch",
            f"{API}/digitaleadressen/{objects['adres'].uuid}",
            {"verstrektDoorBetrokkene": {"uuid": str(betrokkene.uuid)}},
        ),
        # A write's response shows what is visible, as a read does.
        ("patch", f"{API}/partijen/{objects['adres'].partij.uuid}", {}),
        ("patch", f"{API}/onderwerpobjecten/{objects['antwoord'].uuid}", {}),
    ]
    return asked


def answers(client, asked) -> list:
    found = []
    for method, url, data in asked:
        if method == "get":
            response = client.get(url, data)
        else:
            response = getattr(client, method)(url, data, format="json")
        body = response.json() if response.content else None
        if isinstance(body, dict):
            for volatile in ("instance", "detail"):
                body.pop(volatile, None)
        found.append((method, url, str(data), response.status_code, body))
    return found


def test_confidential_klantcontacten_do_not_exist_without_the_scope(settings):
    data = rich_dataset()
    objects = confidential(data["persoon"])
    asked = requests(objects)
    zonder = Applicatie.objects.create(
        naam="KCC", scopes=[scope for scope in SCOPES if scope != VERTROUWELIJK]
    )
    met = Applicatie.objects.create(naam="Alles", alle_rechten=True)

    # Reads only first: the writes are refused (404, 400) and change nothing.
    seen = {}
    for sql_json in (True, False):
        settings.SQL_JSON_LISTS = sql_json
        seen[sql_json] = answers(client_for(zonder), asked)
    full_before = answers(client_for(met), asked[:1])

    Klantcontact.objects.filter(vertrouwelijk=True).delete()
    settings.SQL_JSON_LISTS = True
    after_delete = answers(client_for(met), asked)

    assert full_before != after_delete[:1], "the data set must show confidential contacts"
    for sql_json, found in seen.items():
        differences = [
            (want[:4], got[3:])
            for want, got in zip(after_delete, found, strict=True)
            if want != got
        ]
        assert not differences, (sql_json, differences[:3])


def test_with_the_scope_confidential_klantcontacten_are_there(client_with):
    geheim = make_klantcontact(vertrouwelijk=True)
    client = client_with("klantcontacten.lezen", VERTROUWELIJK)

    listed = client.get(f"{API}/klantcontacten").json()
    assert [item["uuid"] for item in listed["results"]] == [str(geheim.uuid)]
    assert client.get(f"{API}/klantcontacten/{geheim.uuid}").status_code == 200
    without = client_with("klantcontacten.lezen")
    assert without.get(f"{API}/klantcontacten").json()["count"] == 0
    assert without.get(f"{API}/klantcontacten/{geheim.uuid}").status_code == 404


@pytest.mark.parametrize(
    ("model", "make"),
    [
        ("klantcontact", lambda geheim: geheim),
        ("betrokkene", lambda geheim: make_betrokkene(geheim)),
        ("onderwerpobject", lambda geheim: make_onderwerpobject(klantcontact=geheim)),
        ("internetaak", lambda geheim: make_interne_taak(geheim)),
    ],
)
def test_the_admin_shows_confidential_ones_only_with_the_permission(client, model, make):
    from django.contrib.auth.models import Permission, User

    obj = make(make_klantcontact(vertrouwelijk=True, onderwerp="Geheim"))
    app = "taken" if model == "internetaak" else "klantcontacten"
    staff = User.objects.create_user("beheerder", password="x", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename=f"view_{model}"))
    client.force_login(staff)
    changelist = f"/admin/{app}/{model}/"
    change = f"/admin/{app}/{model}/{obj.pk}/change/"

    assert client.get(changelist).context["cl"].result_count == 0
    assert client.get(change).status_code == 302  # "does not exist", back to the index

    staff.user_permissions.add(Permission.objects.get(codename="vertrouwelijk_inzien"))
    staff = User.objects.get(pk=staff.pk)  # permissions are cached per user object
    client.force_login(staff)
    assert client.get(changelist).context["cl"].result_count == 1
    assert client.get(change).status_code == 200


def test_sending_back_a_reference_that_reads_null_keeps_the_hidden_link(client_with):
    geheim = make_klantcontact(vertrouwelijk=True)
    antwoord = make_onderwerpobject(klantcontact=make_klantcontact(), was_klantcontact=geheim)
    client = client_with("klantcontacten.lezen", "klantcontacten.schrijven")
    url = f"{API}/onderwerpobjecten/{antwoord.uuid}"
    body = client.get(url).json()
    assert body["wasKlantcontact"] is None

    response = client.put(url, body, format="json")

    assert response.status_code == 200, response.json()
    antwoord.refresh_from_db()
    assert antwoord.was_klantcontact == geheim
