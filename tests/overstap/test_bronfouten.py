"""What a source may hand over that the import cannot copy as it is: refused or reported
with its reason, never a traceback and never silently."""

import uuid

from klantcontacten.models import Betrokkene, Klantcontact
from partijen.models import CategorieRelatie

from .test_nep_bron import _betrokkene, _klantcontact, _ref, importeer


def test_broken_objects_from_the_source_are_refused_not_a_traceback(db, nep_bron, tmp_path):
    goed = _klantcontact("0000000001")
    zonder_uuid = {k: v for k, v in _klantcontact("0000000002").items() if k != "uuid"}
    slechte_uuid = {**_klantcontact("0000000003"), "uuid": "abc"}
    slechte_datum = {**_klantcontact("0000000004"), "plaatsgevondenOp": "2024-13-45T10:00:00Z"}
    geen_datum = {**_klantcontact("0000000005"), "plaatsgevondenOp": "gisteren"}
    slechte_ref = {
        **_betrokkene(goed["uuid"]),
        "hadKlantcontact": {
            "url": "http://oud.example.nl/klantinteracties/api/v1/klantcontacten/x"
        },
    }
    nep = nep_bron(
        {
            "klantcontacten": [geen_datum, slechte_datum, slechte_uuid, zonder_uuid, "x", goed],
            "betrokkenen": [slechte_ref],
        }
    )

    _, rapport = importeer(nep, "--no-progress", tmp_path=tmp_path)

    geweigerd = [(m["resource"], m["uuid"], m["reden"]) for m in rapport["geweigerd"]]
    assert len(geweigerd) == 6
    assert sum(1 for r, u, _ in geweigerd if r == "klantcontacten" and u == "-") == 3
    redenen = {u: reden for _, u, reden in geweigerd}
    assert "geen geldige datum" in redenen[slechte_datum["uuid"]]
    assert "geen geldige datum" in redenen[geen_datum["uuid"]]
    assert "hadKlantcontact" in redenen[slechte_ref["uuid"]]
    assert list(Klantcontact.objects.values_list("uuid", flat=True)) == [uuid.UUID(goed["uuid"])]
    assert not Betrokkene.objects.exists()


def test_a_resync_keeps_the_nummer_given_to_an_object_without_one(db, nep_bron, tmp_path):
    # Open Klant 2.18 no longer gives out nummers: most objects have none.
    kc = {**_klantcontact("0000000001"), "nummer": None}
    nep = nep_bron({"klantcontacten": [kc]})
    importeer(nep, "--no-progress", tmp_path=tmp_path)
    nummer = Klantcontact.objects.get().nummer
    assert nummer

    kc["onderwerp"] = "Gewijzigd bij de bron"
    _, rapport = importeer(nep, "--no-progress", tmp_path=tmp_path)

    assert rapport["tellingen"]["klantcontacten"]["gewijzigd"] == 1
    assert Klantcontact.objects.get().onderwerp == "Gewijzigd bij de bron"
    assert Klantcontact.objects.get().nummer == nummer


def test_a_null_our_column_cannot_hold_is_reported(db, nep_bron, tmp_path):
    relatie = {
        "uuid": str(uuid.uuid4()),
        "partij": None,
        "categorie": None,
        "beginDatum": None,
        "eindDatum": None,
    }
    nep = nep_bron({"categorie-relaties": [relatie]})

    _, rapport = importeer(nep, "--no-progress", tmp_path=tmp_path)

    assert CategorieRelatie.objects.get().begin_datum is not None
    assert [(m["uuid"], m["reden"].split(":")[0]) for m in rapport["waarschuwingen"]] == [
        (relatie["uuid"], "beginDatum")
    ]


def test_objects_missed_while_the_list_was_read_are_reported(db, nep_bron, tmp_path):
    nep = nep_bron({"klantcontacten": [_klantcontact("0000000001")]}, extra_telling=1)

    tekst, rapport = importeer(
        nep, "--no-progress", "--resource", "klantcontacten", tmp_path=tmp_path
    )

    assert [m["reden"] for m in rapport["waarschuwingen"]] == [
        "de bron telde 2 objecten, gelezen zijn er 1: de lijst veranderde tijdens het lezen; "
        "een volgende run kopieert wat nu ontbreekt"
    ]
    assert "de bron telde 2" in tekst


def test_a_reference_is_resolved_whatever_case_its_uuid_has(db, nep_bron, tmp_path):
    kc = _klantcontact("0000000001")
    betrokkene = {**_betrokkene(kc["uuid"]), "hadKlantcontact": _ref("x", kc["uuid"].upper())}
    nep = nep_bron({"klantcontacten": [kc], "betrokkenen": [betrokkene]})

    _, rapport = importeer(nep, "--no-progress", tmp_path=tmp_path)

    assert rapport["geweigerd"] == []
    assert Betrokkene.objects.get().klantcontact.uuid == uuid.UUID(kc["uuid"])
