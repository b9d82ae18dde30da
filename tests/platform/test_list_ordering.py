"""`ordering` and `uuid__in` on every list of both APIs, on both render paths.

Every ordering field of every list is requested ascending and descending on a data set
with several rows per list; the order of the results must be the order of the field's
values (ties and NULLs included, as PostgreSQL orders them), equal on both paths, and
stable from page to page. `uuid__in` returns exactly the named objects.
"""

import datetime
import uuid
from unittest import mock

import pytest

from klantcontacten.models import Klantcontact
from klantinteracties.api.filters import with_list_filters
from klantinteracties.api.schema import generate
from partijen.models import Categorie, CategorieRelatie, Rekeningnummer, Vertegenwoordigden
from tests.contactgegevens.factories import make_organisatie, make_persoon
from tests.datasets import rich_dataset
from tests.endpoints import list_views
from tests.klantcontacten.factories import (
    make_actor,
    make_actor_klantcontact,
    make_bijlage,
    make_interne_taak,
    make_klantcontact,
    make_partij,
)

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"

# The lists of the processing log are not register data: newest first by design.
ORDERED = {
    name: (url, view)
    for name, (url, view) in list_views().items()
    if getattr(view, "ordering_fields", None)
}


@pytest.fixture
def data():
    """The rich data set, with at least three rows per list: ties, NULLs, both directions."""
    found = rich_dataset()
    persoon = found["persoon"]
    eerste = Klantcontact.objects.order_by("id").first()
    # Two contacts at the same moment as an existing one: ordered by key among themselves.
    tweeling = [
        make_klantcontact(kanaal=kanaal, plaatsgevonden_op=eerste.plaatsgevonden_op)
        for kanaal in ("brief", "e-mail")
    ]
    for index, klantcontact in enumerate(tweeling):
        make_bijlage(klantcontact=klantcontact, bijlageidentificator_object_id=f"doc-{9 - index}")
        make_actor_klantcontact(make_actor(naam=f"Actor {index}"), klantcontact)
        make_interne_taak(
            klantcontact,
            status="verwerkt" if index else "te_verwerken",
            afgehandeld_op=eerste.plaatsgevonden_op if index else None,
        ).actoren.add(make_actor(naam=f"Team {index}", soort_actor="organisatorische_eenheid"))
    andere = make_partij()
    Rekeningnummer.objects.create(partij=andere, iban="DE89370400440532013000")
    Vertegenwoordigden.objects.create(
        vertegenwoordigende_partij=andere, vertegenwoordigde_partij=persoon
    )
    for naam in ("Zorg", "Afval"):
        categorie = Categorie.objects.create(naam=naam)
        CategorieRelatie.objects.create(
            partij=persoon,
            categorie=categorie,
            begin_datum=datetime.date(2020, 1, 1),
            eind_datum=datetime.date(2030, 1, 1) if naam == "Zorg" else None,
        )
    make_persoon(geslachtsnaam="Bakker", geboortedatum=datetime.date(1990, 1, 1))
    make_persoon(geslachtsnaam="Jansen", geboortedatum=datetime.date(1950, 1, 1))
    make_organisatie(handelsnaam="Apotheek", oprichtingsdatum=None)
    make_organisatie(handelsnaam="Zadelmakerij")
    return found


def both(client, settings, url, params):
    settings.SQL_JSON_LISTS = True
    fast = client.get(url, params)
    settings.SQL_JSON_LISTS = False
    slow = client.get(url, params)
    assert fast.status_code == slow.status_code, (fast.content[:300], slow.content[:300])
    if fast.status_code == 200:
        assert fast.json() == slow.json()
    return fast


def test_every_register_list_has_ordering():
    registers = {
        name
        for name, (url, _) in list_views().items()
        if url.startswith(("/klantinteracties/api/v1/", "/contactgegevens/api/v1/"))
        and "verwerkingen" not in url
    }
    assert registers and registers <= set(ORDERED)


def sort_key(model, path, row, descending):
    """The value PostgreSQL orders a row by (NULLs last ascending, first descending)."""
    value = row
    for part in path.split("__"):
        value = getattr(value, part) if value is not None else None
    missing = value is None
    # Descending reverses the whole tuple: NULLs (True) then come first.
    return (missing, value if not missing else "", row.pk)


@pytest.mark.parametrize(
    ("name", "wire"),
    [(name, wire) for name, (_, view) in sorted(ORDERED.items()) for wire in view.ordering_fields],
)
def test_each_ordering_field_orders_the_list(api_client, settings, data, name, wire):
    url, view = ORDERED[name]
    model = view.queryset.model
    path = view.ordering_fields[wire]
    rows = list(model._default_manager.all())
    assert len(rows) >= 3, f"{name}: the data set needs three rows to order"
    for descending in (False, True):
        param = f"-{wire}" if descending else wire
        body = both(api_client, settings, url, {"ordering": param, "pageSize": 500}).json()
        expected = sorted(rows, key=lambda r: sort_key(model, path, r, descending))
        if descending:
            expected.reverse()
        assert [r["uuid"] for r in body["results"]] == [str(r.uuid) for r in expected], param


@pytest.mark.parametrize("name", sorted(ORDERED))
def test_pages_of_an_ordered_list_follow_each_other(api_client, settings, data, name):
    url, view = ORDERED[name]
    wire = next(iter(view.ordering_fields))
    params = {"ordering": f"-{wire}", "pageSize": 500}
    whole = [r["uuid"] for r in both(api_client, settings, url, params).json()["results"]]
    paged = []
    page = 1
    while True:
        body = both(api_client, settings, url, {**params, "pageSize": 1, "page": page}).json()
        paged += [r["uuid"] for r in body["results"]]
        if body["next"] is None:
            break
        page += 1
    assert paged == whole


@pytest.mark.parametrize("name", sorted(ORDERED))
def test_uuid_in_returns_exactly_those(api_client, settings, data, name):
    url, view = ORDERED[name]
    everything = both(api_client, settings, url, {"pageSize": 500}).json()["results"]
    wanted = [everything[-1]["uuid"], everything[0]["uuid"]]
    body = both(api_client, settings, url, {"uuid__in": ",".join(wanted)}).json()
    assert sorted(r["uuid"] for r in body["results"]) == sorted(set(wanted))
    assert body["count"] == len(set(wanted))
    # The default order still applies.
    assert [r["uuid"] for r in body["results"]] == [
        r["uuid"] for r in everything if r["uuid"] in wanted
    ]
    none = both(
        api_client, settings, url, {"uuid__in": "00000000-0000-0000-0000-000000000000"}
    ).json()
    assert none["count"] == 0


def test_uuid_in_with_a_filter_and_an_expand(api_client, settings, data):
    contacten = both(api_client, settings, f"{API}/klantcontacten", {"pageSize": 500}).json()
    uuids = [r["uuid"] for r in contacten["results"]][:2]
    body = both(
        api_client,
        settings,
        f"{API}/klantcontacten",
        {"uuid__in": ",".join(uuids), "expand": "hadBetrokkenen", "ordering": "plaatsgevondenOp"},
    ).json()
    assert {r["uuid"] for r in body["results"]} == set(uuids)
    times = [r["plaatsgevondenOp"] for r in body["results"]]
    assert all("_expand" in r for r in body["results"])
    assert len(times) == 2


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"ordering": "onbekend"}, "ordering"),
        ({"ordering": "plaatsgevondenOp,inhoud"}, "ordering"),
        ({"ordering": "--nummer"}, "ordering"),
        ({"uuid__in": "geen-uuid"}, "uuid__in"),
        ({"uuid__in": ",".join(["00000000-0000-0000-0000-000000000001"] * 3), "pageSize": 2}, None),
    ],
)
def test_bad_values_are_400(api_client, settings, data, params, name):
    response = both(api_client, settings, f"{API}/klantcontacten", params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert [p["name"] for p in body["invalidParams"]] == [name or "uuid__in"]


def test_uuid_in_may_name_a_page_of_uuids(api_client, settings, data):
    uuids = [f"00000000-0000-0000-0000-{i:012d}" for i in range(100)]
    response = both(api_client, settings, f"{API}/partijen", {"uuid__in": ",".join(uuids)})
    assert response.status_code == 200
    too_many = uuids + ["00000000-0000-0000-0000-999999999999"]
    response = both(api_client, settings, f"{API}/partijen", {"uuid__in": ",".join(too_many)})
    assert response.status_code == 400
    response = both(
        api_client, settings, f"{API}/partijen", {"uuid__in": ",".join(too_many), "pageSize": 500}
    )
    assert response.status_code == 200


def test_several_fields_and_the_default(api_client, settings, data):
    plain = both(api_client, settings, f"{API}/internetaken", {}).json()["results"]
    newest = both(api_client, settings, f"{API}/internetaken", {"ordering": "-toegewezenOp"})
    assert [r["uuid"] for r in newest.json()["results"]] == [r["uuid"] for r in plain]
    body = both(
        api_client, settings, f"{API}/internetaken", {"ordering": "status,-toegewezenOp"}
    ).json()
    keys = [(r["status"], r["toegewezenOp"]) for r in body["results"]]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    for (status_a, at_a), (status_b, at_b) in zip(keys, keys[1:], strict=False):
        if status_a == status_b:
            assert datetime.datetime.fromisoformat(at_a) >= datetime.datetime.fromisoformat(at_b)


def test_a_reused_ordered_shape_builds_no_orm_query(api_client, settings, data):
    """`ordering` is part of a compiled first-page statement's shape: a later request of the
    same shape (another partij) binds its values to it, without the ORM."""
    settings.SQL_JSON_LISTS = True
    url = f"{API}/klantcontacten"
    for ordering in ("plaatsgevondenOp", "-plaatsgevondenOp"):
        params = {"ordering": ordering, "hadBetrokkene__wasPartij__uuid": data["persoon"].uuid}
        first = api_client.get(url, params)
        assert first.status_code == 200 and first.json()["count"] > 0
        other = {**params, "hadBetrokkene__wasPartij__uuid": uuid.uuid4()}
        with mock.patch(
            "django.db.models.sql.compiler.SQLCompiler.as_sql",
            side_effect=AssertionError("ORM"),
        ):
            again = api_client.get(url, params)
            nothing = api_client.get(url, other)
        assert again.json() == first.json()
        assert nothing.json()["count"] == 0
    ascending, descending = (
        api_client.get(url, {"ordering": o, "hadBetrokkene__wasPartij__uuid": data["persoon"].uuid})
        for o in ("plaatsgevondenOp", "-plaatsgevondenOp")
    )
    assert [r["uuid"] for r in ascending.json()["results"]] == [
        r["uuid"] for r in reversed(descending.json()["results"])
    ]


def test_ordering_and_uuid_in_are_documented():
    document = generate("klantinteracties")
    documented = {**document["paths"], **generate("contactgegevens")["paths"]}
    for name, (url, view) in ORDERED.items():
        path = url.split("/api/v1", 1)[1]
        parameters = {p["name"]: p for p in documented[path]["get"]["parameters"]}
        ordering = parameters["ordering"]["schema"]
        assert ordering["type"] == "array"
        values = set(ordering["items"]["enum"])
        assert values == {v for w in view.ordering_fields for v in (w, f"-{w}")}, name
        assert parameters["ordering"]["explode"] is False
        assert parameters["uuid__in"]["schema"]["items"]["format"] == "uuid"
        filterset = with_list_filters(view, getattr(view, "filterset_class", None))
        assert {"ordering", "uuid__in"} <= set(filterset.base_filters)
