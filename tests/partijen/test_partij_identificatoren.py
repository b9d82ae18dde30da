import pytest

from partijen.models import PartijIdentificator
from tests.partijen.factories import make_identificator, make_partij

pytestmark = pytest.mark.django_db

URL = "/klantinteracties/api/v1/partij-identificatoren"


def body(
    object_id="111222333", soort="bsn", objecttype="natuurlijk_persoon", register="brp", **extra
):
    data = {
        "partijIdentificator": {
            "codeObjecttype": objecttype,
            "codeSoortObjectId": soort,
            "objectId": object_id,
            "codeRegister": register,
        }
    }
    data.update(extra)
    return data


def names(response):
    assert response.status_code == 400, response.json()
    return {p["name"]: p["code"] for p in response.json()["invalidParams"]}


def test_crud(api_client):
    partij = make_partij()
    created = api_client.post(
        URL, body(identificeerdePartij={"uuid": str(partij.uuid)}), format="json"
    )
    assert created.status_code == 201, created.json()
    url = created.json()["url"]
    assert api_client.get(url).json() == created.json()
    patched = api_client.patch(url, {"anderePartijIdentificator": "oud nummer"}, format="json")
    assert patched.json()["anderePartijIdentificator"] == "oud nummer"
    put = api_client.put(url, body("123456782"), format="json")
    assert put.status_code == 200, put.json()
    assert put.json()["partijIdentificator"]["objectId"] == "123456782"
    assert api_client.delete(url).status_code == 204
    assert api_client.get(url).status_code == 404


@pytest.mark.parametrize(
    "payload, name",
    [
        (body("123456789"), "partijIdentificator.objectId"),  # 11-proef
        (body("12345678"), "partijIdentificator.objectId"),  # length
        (
            body("1234567", "kvk_nummer", "niet_natuurlijk_persoon", "hr"),
            "partijIdentificator.objectId",
        ),
        (body("12345", "vestigingsnummer", "vestiging", "hr"), "partijIdentificator.objectId"),
        (
            body("123456789", "rsin", "niet_natuurlijk_persoon", "hr"),
            "partijIdentificator.objectId",
        ),
        (
            body("111222333", "bsn", "natuurlijk_persoon", "hr"),
            "partijIdentificator.codeObjecttype",
        ),
        (
            body("12345678", "kvk_nummer", "natuurlijk_persoon", "brp"),
            "partijIdentificator.codeSoortObjectId",
        ),
        (body(soort="paspoort"), "partijIdentificator.codeSoortObjectId"),
        ({}, "partijIdentificator"),
        ({"partijIdentificator": {}}, "partijIdentificator.objectId"),
    ],
)
def test_validation(api_client, payload, name):
    assert name in names(api_client.post(URL, payload, format="json"))


def test_valid_kinds(api_client):
    kvk = api_client.post(
        URL, body("12345678", "kvk_nummer", "niet_natuurlijk_persoon", "hr"), format="json"
    )
    assert kvk.status_code == 201
    for payload in (
        body("111222333", "rsin", "niet_natuurlijk_persoon", "hr"),
        body(
            "000012345678",
            "vestigingsnummer",
            "vestiging",
            "hr",
            subIdentificatorVan={"uuid": kvk.json()["uuid"]},
        ),
    ):
        assert api_client.post(URL, payload, format="json").status_code == 201


def test_a_vestigingsnummer_needs_its_kvk_nummer(api_client):
    payload = body("000012345678", "vestigingsnummer", "vestiging", "hr")

    assert names(api_client.post(URL, payload, format="json")) == {
        "subIdentificatorVan": "required"
    }
    partij = {
        "soortPartij": "organisatie",
        "indicatieActief": True,
        "partijIdentificatie": {"naam": "Bakkerij"},
        "partijIdentificatoren": [payload],
    }
    response = api_client.post("/klantinteracties/api/v1/partijen", partij, format="json")
    assert "partijIdentificatoren.0.subIdentificatorVan" in names(response)
    assert not PartijIdentificator.objects.exists()


OBJECTTYPES = {
    "kvk_nummer": "niet_natuurlijk_persoon",
    "rsin": "niet_natuurlijk_persoon",
    "vestigingsnummer": "vestiging",
}


def make_hr(partij, object_id, soort, **fields):
    """A KvK-nummer, RSIN or vestigingsnummer (register hr) of the partij."""
    return make_identificator(
        partij,
        object_id,
        code_objecttype=OBJECTTYPES[soort],
        code_soort_object_id=soort,
        code_register="hr",
        **fields,
    )


def item(object_id, soort, stored=None, under=None) -> dict:
    """An item of a partij's `partijIdentificatoren`: with `stored`, the update of that
    identificator; with `under`, a sub-identificator of that one."""
    data = body(object_id, soort, OBJECTTYPES[soort], "hr")
    if stored is not None:
        data["uuid"] = str(stored.uuid)
    if under is not None:
        data["subIdentificatorVan"] = {"uuid": str(under.uuid)}
    return data


def patch_list(api_client, partij, items):
    return api_client.patch(
        f"/klantinteracties/api/v1/partijen/{partij.uuid}",
        {"partijIdentificatoren": items},
        format="json",
    )


def kvk_met_vestiging():
    partij = make_partij(soort_partij="organisatie", organisatie_naam="Bakkerij")
    kvk = make_hr(partij, "12345678", "kvk_nummer")
    make_hr(partij, "000012345678", "vestigingsnummer", sub_identificator_van=kvk)
    return partij, kvk


def test_a_kvk_nummer_with_vestigingen_stays_a_kvk_nummer(api_client):
    partij, kvk = kvk_met_vestiging()
    rsin = {
        "partijIdentificator": {
            "codeObjecttype": "niet_natuurlijk_persoon",
            "codeSoortObjectId": "rsin",
            "objectId": "111222333",
            "codeRegister": "hr",
        }
    }

    response = api_client.patch(f"{URL}/{kvk.uuid}", rsin, format="json")

    assert names(response) == {"partijIdentificator.codeSoortObjectId": "invalid"}
    # The same through the partij's list, where the item selects it by uuid.
    vestiging = kvk.sub_identificatoren.get()
    items = [
        item("111222333", "rsin", stored=kvk),
        item("000012345678", "vestigingsnummer", stored=vestiging, under=kvk),
    ]
    response = patch_list(api_client, partij, items)
    # Named at the vestigingsnummer that would be left under an RSIN.
    assert "partijIdentificatoren.1.subIdentificatorVan" in names(response)
    kvk.refresh_from_db()
    assert kvk.code_soort_object_id == "kvk_nummer"


def test_same_identificator_cannot_identify_two_partijen(api_client):
    make_identificator(make_partij(), "111222333")
    assert names(api_client.post(URL, body(), format="json")) == {
        "partijIdentificator.objectId": "unique"
    }


def test_vestigingsnummer_unique_under_its_kvk(api_client):
    kvk = make_identificator(
        make_partij(),
        "12345678",
        code_objecttype="niet_natuurlijk_persoon",
        code_soort_object_id="kvk_nummer",
        code_register="hr",
    )
    other_kvk = make_identificator(
        make_partij(),
        "87654321",
        code_objecttype="niet_natuurlijk_persoon",
        code_soort_object_id="kvk_nummer",
        code_register="hr",
    )
    vestiging = body(
        "000012345678",
        "vestigingsnummer",
        "vestiging",
        "hr",
        subIdentificatorVan={"uuid": str(kvk.uuid)},
    )
    assert api_client.post(URL, vestiging, format="json").status_code == 201
    assert names(api_client.post(URL, vestiging, format="json")) == {
        "partijIdentificator.objectId": "unique"
    }
    vestiging["subIdentificatorVan"] = {"uuid": str(other_kvk.uuid)}
    assert api_client.post(URL, vestiging, format="json").status_code == 201


def test_sub_identificator_must_be_vestiging_under_kvk(api_client):
    bsn = make_identificator(make_partij(), "111222333")
    payload = body(
        "000012345678",
        "vestigingsnummer",
        "vestiging",
        "hr",
        subIdentificatorVan={"uuid": str(bsn.uuid)},
    )
    assert "subIdentificatorVan" in names(api_client.post(URL, payload, format="json"))


def test_parent_of_sub_identificator_cannot_be_deleted(api_client):
    kvk = make_identificator(
        make_partij(),
        "12345678",
        code_objecttype="niet_natuurlijk_persoon",
        code_soort_object_id="kvk_nummer",
        code_register="hr",
    )
    PartijIdentificator.objects.create(
        object_id="000012345678",
        code_objecttype="vestiging",
        code_soort_object_id="vestigingsnummer",
        code_register="hr",
        sub_identificator_van=kvk,
    )
    response = api_client.delete(f"{URL}/{kvk.uuid}")
    assert response.status_code == 400
    assert PartijIdentificator.objects.filter(pk=kvk.pk).exists()


@pytest.mark.parametrize(
    "param, value",
    [
        ("partijIdentificatorObjectId", "111222333"),
        ("partijIdentificatorCodeSoortObjectId", "bsn"),
        ("partijIdentificatorCodeObjecttype", "natuurlijk_persoon"),
        ("partijIdentificatorCodeRegister", "brp"),
        ("anderePartijIdentificator", "A1"),
    ],
)
def test_filters(api_client, param, value):
    wanted = make_identificator(make_partij(), "111222333", andere_partij_identificator="A1")
    make_identificator(
        make_partij(),
        "12345678",
        code_objecttype="niet_natuurlijk_persoon",
        code_soort_object_id="kvk_nummer",
        code_register="hr",
    )
    results = api_client.get(URL, {param: value}).json()["results"]
    assert [r["uuid"] for r in results] == [str(wanted.uuid)]


def test_a_vestigingsnummer_stored_without_kvk_nummer_can_be_sent_back(api_client):
    # As an earlier version stored it.
    partij = make_partij(soort_partij="organisatie", organisatie_naam="Bakkerij")
    vestiging = make_hr(partij, "000012345678", "vestigingsnummer")
    zoals_opgeslagen = item("000012345678", "vestigingsnummer", stored=vestiging)

    patched = api_client.patch(
        f"{URL}/{vestiging.uuid}", {"anderePartijIdentificator": "oud"}, format="json"
    )
    listed = patch_list(api_client, partij, [zoals_opgeslagen])
    changed = api_client.patch(
        f"{URL}/{vestiging.uuid}",
        {
            "partijIdentificator": {
                "codeObjecttype": "vestiging",
                "codeSoortObjectId": "vestigingsnummer",
                "objectId": "000012345679",
                "codeRegister": "hr",
            }
        },
        format="json",
    )

    assert patched.status_code == 200, patched.json()
    assert listed.status_code == 200, listed.json()
    # A changed vestigingsnummer follows the rule.
    assert names(changed) == {"subIdentificatorVan": "required"}
    new = item("000099999999", "vestigingsnummer")
    response = patch_list(api_client, partij, [zoals_opgeslagen, new])
    assert names(response) == {"partijIdentificatoren.1.subIdentificatorVan": "required"}


def test_a_kvk_nummer_and_its_vestigingen_go_together_or_not_at_all(api_client):
    partij, kvk = kvk_met_vestiging()
    nieuwe_vestiging = item("000087654321", "vestigingsnummer", under=kvk)

    # Dropping the KvK-nummer while a new vestigingsnummer points at it.
    response = patch_list(api_client, partij, [nieuwe_vestiging])
    assert "partijIdentificatoren.0.subIdentificatorVan" in names(response)
    # Making it an RSIN in the same list that adds a vestigingsnummer under it.
    PartijIdentificator.objects.filter(sub_identificator_van=kvk).delete()
    response = patch_list(
        api_client, partij, [item("111222333", "rsin", stored=kvk), nieuwe_vestiging]
    )
    assert "partijIdentificatoren.1.subIdentificatorVan" in names(response)
    kvk.refresh_from_db()
    assert kvk.code_soort_object_id == "kvk_nummer"
    # Both in one write: fine.
    kvk_item = item("12345678", "kvk_nummer", stored=kvk)
    assert patch_list(api_client, partij, [kvk_item, nieuwe_vestiging]).status_code == 200
    response = patch_list(api_client, partij, [])
    assert response.status_code == 200, response.json()["invalidParams"]
    assert not PartijIdentificator.objects.filter(partij=partij).exists()


@pytest.mark.parametrize("vestiging_blijft", [True, False])
@pytest.mark.parametrize("kvk_wordt", ["weg", "rsin"])
def test_a_vestigingsnummer_can_move_to_another_kvk_nummer_in_the_same_list(
    api_client, vestiging_blijft, kvk_wordt
):
    partij, kvk = kvk_met_vestiging()
    vestiging = kvk.sub_identificatoren.get()
    tweede = make_hr(partij, "87654321", "kvk_nummer")
    items = [item("87654321", "kvk_nummer", stored=tweede)]
    if kvk_wordt == "rsin":
        items.append(item("111222333", "rsin", stored=kvk))
    if vestiging_blijft:
        items.append(item("000012345678", "vestigingsnummer", stored=vestiging, under=tweede))

    response = patch_list(api_client, partij, items)

    assert response.status_code == 200, response.json()
    if vestiging_blijft:
        vestiging.refresh_from_db()
        assert vestiging.sub_identificator_van == tweede
    assert PartijIdentificator.objects.filter(pk=kvk.pk).exists() is (kvk_wordt == "rsin")
