"""The import against a small fake source: what a real one rarely does on cue (429,
references to objects it no longer returns, data our API would refuse)."""

import io
import json
import uuid

from django.core.management import call_command

from klantcontacten.models import Betrokkene, Klantcontact
from partijen.models import DigitaalAdres


def _ref(resource: str, sleutel: str) -> dict:
    return {
        "uuid": sleutel,
        "url": f"http://oud.example.nl/klantinteracties/api/v1/{resource}/{sleutel}",
    }


def _klantcontact(nummer: str) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "nummer": nummer,
        "kanaal": "telefoon",
        "onderwerp": "Vraag",
        "taal": "nld",
        "vertrouwelijk": False,
        "plaatsgevondenOp": "2024-03-01T10:00:00+01:00",
        "metadata": {},
    }


def _betrokkene(klantcontact: str) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "wasPartij": None,
        "hadKlantcontact": _ref("klantcontacten", klantcontact),
        "rol": "klant",
        "initiator": True,
    }


def importeer(nep, *extra, tmp_path) -> tuple[str, dict]:
    uit = io.StringIO()
    pad = tmp_path / "rapport.json"
    call_command(
        "importeren",
        "--klantinteracties-url",
        nep.urls["klantinteracties"],
        "--token",
        "nep",
        "--rapport",
        str(pad),
        *extra,
        stdout=uit,
    )
    return uit.getvalue(), json.loads(pad.read_text())


def test_retry_after_is_honoured(db, nep_bron, tmp_path):
    kc = _klantcontact("0000000007")
    nep = nep_bron({"klantcontacten": [kc]}, weigeren=1, retry_after="1")

    importeer(nep, "--no-progress", "--resource", "klantcontacten", tmp_path=tmp_path)

    (t1, _, _, eerst), (t2, _, _, daarna) = nep.verzoeken[:2]
    assert (eerst, daarna) == (429, 200)
    assert t2 - t1 >= 0.95
    assert Klantcontact.objects.filter(uuid=kc["uuid"], nummer="0000000007").exists()
    assert {methode for _, methode, _, _ in nep.verzoeken} == {"GET"}


def test_what_cannot_be_stored_is_refused_with_its_reason(db, nep_bron, tmp_path):
    bestaand, weg = _klantcontact("0000000001"), str(uuid.uuid4())
    dubbel = _klantcontact("0000000001")  # a nummer our table holds once
    goed, wees = _betrokkene(bestaand["uuid"]), _betrokkene(weg)
    telefoon = {
        "uuid": str(uuid.uuid4()),
        "verstrektDoorBetrokkene": _ref("betrokkenen", goed["uuid"]),
        "verstrektDoorPartij": None,
        "adres": "bel me",
        "soortDigitaalAdres": "telefoonnummer",
        "isStandaardAdres": False,
        "verificatieDatum": "2019-05-01",
    }
    nep = nep_bron(
        {
            "klantcontacten": [dubbel, bestaand],  # newest first
            "betrokkenen": [wees, goed],
            "digitaleadressen": [telefoon],
        }
    )

    tekst, rapport = importeer(nep, "--no-progress", tmp_path=tmp_path)

    geweigerd = {m["uuid"]: m["reden"] for m in rapport["geweigerd"]}
    assert set(geweigerd) == {dubbel["uuid"], wees["uuid"]}
    assert "nummer" in geweigerd[dubbel["uuid"]]
    assert f"klantcontacten {weg}" in geweigerd[wees["uuid"]]
    assert rapport["tellingen"]["betrokkenen"] | {} == {
        **rapport["tellingen"]["betrokkenen"],
        "gelezen": 2,
        "nieuw": 1,
        "geweigerd": 1,
    }
    assert Betrokkene.objects.get().uuid == uuid.UUID(goed["uuid"])
    # An old telephone number our API would refuse: stored as it is, and reported.
    adres = DigitaalAdres.objects.get()
    assert (adres.adres, str(adres.verificatie_datum)) == ("bel me", "2019-05-01")
    assert [w["uuid"] for w in rapport["waarschuwingen"]] == [telefoon["uuid"]]
    assert wees["uuid"] in tekst and telefoon["uuid"] in tekst


def test_progress_lines_and_quiet(db, nep_bron, tmp_path):
    nep = nep_bron({"klantcontacten": [_klantcontact(f"{n:010}") for n in range(1, 6)]})

    luid, _ = importeer(nep, "--resource", "klantcontacten", "--page-size", "2", tmp_path=tmp_path)
    stil, rapport = importeer(
        nep, "--resource", "klantcontacten", "--no-progress", tmp_path=tmp_path
    )

    assert "✓ klantcontacten: 5/5 gelezen, 5 nieuw" in luid and "/s)" in luid
    assert "gelezen," not in stil
    assert stil.startswith("Overstap: resultaat per resource")
    assert rapport["tellingen"]["klantcontacten"]["ongewijzigd"] == 5
