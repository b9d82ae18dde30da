"""`manage.py importeren` from a running instance of this project (the same contract as the
reference): every object arrives with its uuid and its representation, but for the host."""

import io
import json
import re

import pytest
import requests
from django.core.management import CommandError, call_command

from klantcontacten.models import Betrokkene, Klantcontact
from overstap.definities import RESOURCES
from overstap.models import Bronobject, Importrun
from overstap.services import Importeur
from partijen.models import Partij, PartijIdentificator, Rekeningnummer, Vertegenwoordigden
from taken.models import InterneTaak

HOST = re.compile(r"^https?://[^/]+")


def _zonder_host(waarde):
    if isinstance(waarde, dict):
        return {k: _zonder_host(v) for k, v in waarde.items()}
    if isinstance(waarde, list):
        return [_zonder_host(v) for v in waarde]
    if isinstance(waarde, str):
        return HOST.sub("", waarde)
    return waarde


def alles_van_bron(bron) -> dict[str, dict]:
    alles = {}
    for resource in RESOURCES:
        url, items = f"{bron.urls[resource.api]}/{resource.naam}", []
        params = {"page": 1, "pageSize": 100}
        while True:
            antwoord = requests.get(
                url, params=params, headers={"Authorization": f"Token {bron.token}"}, timeout=30
            )
            assert antwoord.status_code == 200, antwoord.text
            body = antwoord.json()
            items += body["results"]
            if not body["next"]:
                break
            params["page"] += 1
        alles[resource.naam] = {item["uuid"]: _zonder_host(item) for item in items}
    return alles


def alles_hier(api_client) -> dict[str, dict]:
    alles = {}
    for resource in RESOURCES:
        antwoord = api_client.get(f"/{resource.api}/api/v1/{resource.naam}?pageSize=500")
        assert antwoord.status_code == 200
        alles[resource.naam] = {
            item["uuid"]: _zonder_host(item) for item in antwoord.json()["results"]
        }
    return alles


def importeer(bron, *extra, tmp_path) -> tuple[str, dict]:
    """Run the command; its output and its JSON report (also in tmp_path/laatste.json)."""
    uit = io.StringIO()
    rapport = tmp_path / "laatste.json"
    rapport.unlink(missing_ok=True)
    call_command(
        "importeren",
        "--klantinteracties-url",
        bron.urls["klantinteracties"],
        "--contactgegevens-url",
        bron.urls["contactgegevens"],
        "--token",
        bron.token,
        "--rapport",
        str(rapport),
        *extra,
        stdout=uit,
    )
    return uit.getvalue(), json.loads(rapport.read_text())


@pytest.fixture
def verzoeken(monkeypatch):
    """Every request sent through requests: (method, url, params, Authorization)."""
    gezien = []
    origineel = requests.Session.request

    def request(self, method, url, *args, **kwargs):
        gezien.append(
            (method.upper(), url, kwargs.get("params") or {}, self.headers.get("Authorization"))
        )
        return origineel(self, method, url, *args, **kwargs)

    monkeypatch.setattr(requests.Session, "request", request)
    return gezien


def test_everything_is_copied_with_its_uuid_and_representation(
    bron, api_client, verzoeken, tmp_path
):
    tekst, rapport = importeer(bron, "--page-size", "2", "--no-progress", tmp_path=tmp_path)
    van_importeur = list(verzoeken)

    van_bron, hier = alles_van_bron(bron), alles_hier(api_client)
    for resource in RESOURCES:
        assert van_bron[resource.naam], f"{resource.naam}: the data set should hold some"
        assert hier[resource.naam] == van_bron[resource.naam], resource.naam
        telling = rapport["tellingen"][resource.naam]
        assert telling["nieuw"] == telling["gelezen"] == len(van_bron[resource.naam])
        assert telling["geweigerd"] == 0
    # Read-only for the source, with its token, in pages of the size asked.
    assert van_importeur and {v[0] for v in van_importeur} == {"GET"}
    assert {(v[2]["pageSize"], v[3]) for v in van_importeur} == {(2, f"Token {bron.token}")}
    # A huisnummer 0 that an earlier version stored: kept as it is, and reported.
    assert any(
        w["resource"] == "partijen" and "huisnummer" in w["reden"]
        for w in rapport["waarschuwingen"]
    )
    assert "Waarschuwingen" in tekst and "partijen" in tekst
    assert Importrun.objects.get().geeindigd_op is not None


def test_new_objects_get_numbers_after_the_imported_ones(bron, api_client, tmp_path):
    importeer(bron, "--no-progress", tmp_path=tmp_path)
    hoogste = max(int(n) for n in Partij.objects.values_list("nummer", flat=True))

    antwoord = api_client.post(
        "/klantinteracties/api/v1/partijen",
        {"soortPartij": "persoon", "indicatieActief": True},
        format="json",
    )

    assert antwoord.status_code == 201, antwoord.json()
    assert int(antwoord.json()["nummer"]) == hoogste + 1
    kc = api_client.post(
        "/klantinteracties/api/v1/klantcontacten",
        {"kanaal": "e-mail", "onderwerp": "x", "taal": "nld", "vertrouwelijk": False},
        format="json",
    )
    assert int(kc.json()["nummer"]) > max(
        int(n)
        for n in Klantcontact.objects.exclude(uuid=kc.json()["uuid"]).values_list(
            "nummer", flat=True
        )
    )


def test_an_interrupted_run_is_resumed_without_duplicates(bron, api_client, monkeypatch, tmp_path):
    batch = Importeur.batch
    geschreven = []

    def onderbroken(self, resource, items):
        if len(geschreven) == 6:
            raise KeyboardInterrupt
        batch(self, resource, items)
        geschreven.append(resource.naam)

    monkeypatch.setattr(Importeur, "batch", onderbroken)
    with pytest.raises(KeyboardInterrupt):
        importeer(bron, "--page-size", "2", "--no-progress", tmp_path=tmp_path)
    # Whole batches only: what is here is recorded as copied, and nothing after the stop.
    for model, naam in (
        (PartijIdentificator, "partij-identificatoren"),
        (Rekeningnummer, "rekeningnummers"),
    ):
        hier = {str(u) for u in model.objects.values_list("uuid", flat=True)}
        assert hier and hier == {
            str(u) for u in Bronobject.objects.filter(resource=naam).values_list("uuid", flat=True)
        }
    assert not Vertegenwoordigden.objects.exists() and not Betrokkene.objects.exists()
    monkeypatch.setattr(Importeur, "batch", batch)

    _, rapport = importeer(bron, "--page-size", "2", "--no-progress", tmp_path=tmp_path)

    van_bron = alles_van_bron(bron)
    assert alles_hier(api_client) == van_bron
    totaal = sum(len(v) for v in van_bron.values())
    tellingen = rapport["tellingen"].values()
    assert sum(t["nieuw"] for t in tellingen) < totaal
    assert sum(t["nieuw"] + t["ongewijzigd"] + t["gewijzigd"] for t in tellingen) == totaal
    assert Bronobject.objects.count() == totaal


def test_a_second_run_copies_exactly_the_changes(bron, api_client, tmp_path):
    importeer(bron, "--no-progress", tmp_path=tmp_path)
    kop = {"Authorization": f"Token {bron.token}"}
    api = bron.urls["klantinteracties"]
    klantcontact = requests.get(f"{api}/klantcontacten", headers=kop, timeout=30).json()["results"][
        0
    ]
    adres = requests.get(f"{api}/digitaleadressen", headers=kop, timeout=30).json()["results"][0]
    assert requests.patch(
        klantcontact["url"], json={"onderwerp": "Gewijzigd bij de bron"}, headers=kop, timeout=30
    ).ok
    assert requests.patch(adres["url"], json={"omschrijving": "nieuw"}, headers=kop, timeout=30).ok
    nieuw = requests.post(
        f"{api}/partijen",
        json={
            "soortPartij": "organisatie",
            "indicatieActief": True,
            "partijIdentificatie": {"naam": "Nieuw BV"},
        },
        headers=kop,
        timeout=30,
    )
    assert nieuw.status_code == 201, nieuw.text

    _, rapport = importeer(bron, "--no-progress", tmp_path=tmp_path)

    tellingen = rapport["tellingen"]
    veranderd = {
        naam: (t["nieuw"], t["gewijzigd"])
        for naam, t in tellingen.items()
        if t["nieuw"] or t["gewijzigd"]
    }
    assert veranderd == {"partijen": (1, 0), "klantcontacten": (0, 1), "digitaleadressen": (0, 1)}
    assert all(
        t["ongewijzigd"] == t["gelezen"] - t["nieuw"] - t["gewijzigd"] for t in tellingen.values()
    )
    assert alles_hier(api_client) == alles_van_bron(bron)
    assert Klantcontact.objects.get(uuid=klantcontact["uuid"]).onderwerp == "Gewijzigd bij de bron"


def test_verify_finds_no_difference_and_then_one(bron, api_client, tmp_path):
    importeer(bron, "--no-progress", tmp_path=tmp_path)

    tekst, verslag = importeer(bron, "--verify", "--no-progress", tmp_path=tmp_path)
    assert "Geen verschillen" in tekst
    assert verslag["verschillen"] == []

    taak = InterneTaak.objects.first()
    InterneTaak.objects.filter(pk=taak.pk).update(toelichting="hier gewijzigd")
    with pytest.raises(CommandError):
        importeer(bron, "--verify", "--no-progress", tmp_path=tmp_path)
    verschillen = json.loads((tmp_path / "laatste.json").read_text())["verschillen"]
    assert verschillen == [
        [
            "internetaken",
            str(taak.uuid),
            f"toelichting: bron {taak.toelichting!r}, hier 'hier gewijzigd'",
        ]
    ]


def test_the_final_sync_removes_what_the_source_deleted_and_reports_what_it_cannot(
    bron, api_client, tmp_path
):
    importeer(bron, "--no-progress", tmp_path=tmp_path)
    kop = {"Authorization": f"Token {bron.token}"}
    api = bron.urls["klantinteracties"]
    weg = requests.post(
        f"{api}/actoren",
        json={"naam": "Tijdelijk", "soortActor": "medewerker", "indicatieActief": True},
        headers=kop,
        timeout=30,
    ).json()
    importeer(bron, "--no-progress", tmp_path=tmp_path)
    adres = requests.get(f"{api}/digitaleadressen", headers=kop, timeout=30).json()["results"][0]
    # Here, a taak is assigned to the actor after the sync: it may not go without the taak.
    klantcontact = Klantcontact.objects.first()
    taak = api_client.post(
        "/klantinteracties/api/v1/internetaken",
        {
            "aanleidinggevendKlantcontact": {"uuid": str(klantcontact.uuid)},
            "toegewezenAanActoren": [{"uuid": weg["uuid"]}],
            "gevraagdeHandeling": "Terugbellen",
            "status": "te_verwerken",
        },
        format="json",
    )
    assert taak.status_code == 201, taak.content
    assert requests.delete(adres["url"], headers=kop, timeout=30).status_code == 204
    assert requests.delete(weg["url"], headers=kop, timeout=30).status_code == 204

    # Without --verwijderen nothing goes.
    _, rapport = importeer(bron, "--no-progress", tmp_path=tmp_path)
    assert rapport["tellingen"]["digitaleadressen"]["verdwenen"] == 1
    assert api_client.get(adres["url"].replace(HOST.match(adres["url"])[0], "")).status_code == 200

    _, rapport = importeer(bron, "--no-progress", "--verwijderen", tmp_path=tmp_path)
    assert rapport["tellingen"]["digitaleadressen"]["verwijderd"] == 1
    assert not Bronobject.objects.filter(uuid=adres["uuid"]).exists()
    assert (
        api_client.get(f"/klantinteracties/api/v1/digitaleadressen/{adres['uuid']}").status_code
        == 404
    )
    # The actor stays, with the reason in the report; the run itself went on to the end.
    assert api_client.get(f"/klantinteracties/api/v1/actoren/{weg['uuid']}").status_code == 200
    [weigering] = [m for m in rapport["geweigerd"] if m["uuid"] == weg["uuid"]]
    assert weigering["resource"] == "actoren"
    assert weigering["reden"].startswith("niet verwijderd")
    assert Importrun.objects.latest("pk").geeindigd_op is not None
