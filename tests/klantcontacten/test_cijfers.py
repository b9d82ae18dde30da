"""GET /klantcontactcijfers: counts of klantcontacten per local day, ISO week or month, by
kanaal, onderwerp, indicatieContactGelukt or a metadata key (docs/cijfers.md)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autorisatie.models import GROUP_CHOICES
from autorisatie.scopes import VERTROUWELIJK
from klantcontacten.models import Klantcontact
from klantcontacten.serializers import KlantcontactSerializer
from logboek.models import Handeling, Verwerking
from tests.conftest import without_log

from .factories import make_klantcontact

pytestmark = pytest.mark.usefixtures("tellingen_direct")

API = "/klantinteracties/api/v1"
URL = f"{API}/klantcontactcijfers"
UTC = datetime.UTC


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def cijfers(client, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200, response.json()
    return {(r["periode"], r["waarde"]): r["aantal"] for r in response.json()["resultaten"]}


def contact(when: datetime.datetime, **fields) -> Klantcontact:
    return make_klantcontact(plaatsgevonden_op=when, **fields)


# Both ways of counting: from the kept counts (kanaal), from the contacts (a metadata key).
GROEPEN = {"kanaal": "telefoon", "metadata.team": "kcc"}


@pytest.mark.parametrize("groep", GROEPEN)
def test_days_and_months_are_local(api_client, groep):
    # CET (+1): 23:30 UTC on the last day of October is 00:30 on 1 November.
    contact(utc(2026, 10, 31, 22, 59), metadata={"team": "kcc"})  # 23:59 on 31 October
    contact(utc(2026, 10, 31, 23, 30), metadata={"team": "kcc"})
    contact(utc(2026, 11, 1, 22, 59), metadata={"team": "kcc"})  # 23:59 on 1 November
    contact(utc(2026, 11, 1, 23, 0), metadata={"team": "kcc"})  # 00:00 on 2 November
    # CEST (+2): 22:30 UTC on 30 June is 00:30 on 1 July.
    contact(utc(2026, 6, 30, 22, 30), metadata={"team": "kcc"})
    waarde = GROEPEN[groep]
    dagen = cijfers(api_client, periode="dag", groep=groep, van="2026-10-31", tot="2026-11-03")
    assert dagen == {
        ("2026-10-31", waarde): 1,
        ("2026-11-01", waarde): 2,
        ("2026-11-02", waarde): 1,
    }
    maanden = cijfers(api_client, periode="maand", groep=groep, van="2026-06-01", tot="2026-07-31")
    assert maanden == {("2026-07-01", waarde): 1}
    maanden = cijfers(api_client, periode="maand", groep=groep, van="2026-10-01", tot="2026-12-01")
    assert maanden == {("2026-10-01", waarde): 1, ("2026-11-01", waarde): 3}


@pytest.mark.parametrize("groep", GROEPEN)
def test_weeks_are_iso_weeks_in_local_time(api_client, groep):
    contact(utc(2026, 11, 8, 22, 30), metadata={"team": "kcc"})  # Sunday 23:30
    contact(utc(2026, 11, 8, 23, 30), metadata={"team": "kcc"})  # Monday 00:30
    contact(utc(2026, 11, 15, 12, 0), metadata={"team": "kcc"})  # Sunday
    waarde = GROEPEN[groep]
    assert cijfers(api_client, periode="week", groep=groep, van="2026-11-01", tot="2026-11-30") == {
        ("2026-11-02", waarde): 1,
        ("2026-11-09", waarde): 2,
    }


def test_a_period_counts_only_the_days_in_the_range(api_client):
    for dag in (1, 14, 15, 30):
        contact(utc(2026, 11, dag, 12))
    figures = cijfers(
        api_client, periode="maand", groep="kanaal", van="2026-11-14", tot="2026-11-30"
    )
    assert figures == {("2026-11-01", "telefoon"): 2}


@pytest.mark.parametrize(
    ("groep", "verwacht"),
    [
        ("kanaal", {"telefoon": 3, "e-mail": 1}),
        ("onderwerp", {"Afval": 2, "Paspoort": 2}),
        ("indicatieContactGelukt", {True: 2, False: 1, None: 1}),
        ("metadata.afdeling", {"burgerzaken": 2, "afval": 1, None: 1}),
        ("metadata.ander", {None: 4}),
    ],
)
def test_groups(api_client, groep, verwacht):
    when = utc(2026, 3, 2, 9)
    contact(when, onderwerp="Afval", indicatie_contact_gelukt=True, metadata={"afdeling": "afval"})
    contact(when, onderwerp="Afval", indicatie_contact_gelukt=None)
    contact(
        when,
        onderwerp="Paspoort",
        indicatie_contact_gelukt=True,
        metadata={"afdeling": "burgerzaken", "x": "y"},
    )
    contact(
        when,
        kanaal="e-mail",
        onderwerp="Paspoort",
        indicatie_contact_gelukt=False,
        metadata={"afdeling": "burgerzaken"},
    )
    response = api_client.get(
        URL, {"periode": "maand", "groep": groep, "van": "2026-03-01", "tot": "2026-04-01"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "periode": "maand",
        "groep": groep,
        "van": "2026-03-01",
        "tot": "2026-04-01",
        "kanaal": None,
        "resultaten": body["resultaten"],
    }
    assert {r["waarde"]: r["aantal"] for r in body["resultaten"]} == verwacht
    assert {r["periode"] for r in body["resultaten"]} == {"2026-03-01"}


@pytest.mark.parametrize("groep", ["onderwerp", "metadata.afdeling"])
def test_kanaal_filter(api_client, groep):
    when = utc(2026, 3, 2, 9)
    contact(when, kanaal="telefoon", onderwerp="Afval", metadata={"afdeling": "afval"})
    contact(when, kanaal="balie", onderwerp="Paspoort", metadata={"afdeling": "burgerzaken"})
    response = api_client.get(
        URL,
        {
            "periode": "dag",
            "groep": groep,
            "van": "2026-03-01",
            "tot": "2026-03-08",
            "kanaal": "balie",
        },
    )
    assert response.json()["kanaal"] == "balie"
    waarde = "Paspoort" if groep == "onderwerp" else "burgerzaken"
    assert response.json()["resultaten"] == [
        {"periode": "2026-03-02", "waarde": waarde, "aantal": 1}
    ]
    # An empty kanaal is no filter, as on the lists.
    alle = cijfers(api_client, **{**GOED, "groep": groep, "kanaal": ""})
    assert sum(alle.values()) == 2


def test_counts_follow_writes_through_the_api(api_client):
    def maand(van="2026-01-01", tot="2026-07-01", groep="kanaal"):
        return cijfers(api_client, periode="maand", groep=groep, van=van, tot=tot)

    def create(kanaal, when):
        response = api_client.post(
            f"{API}/klantcontacten",
            {
                "kanaal": kanaal,
                "onderwerp": "Vraag",
                "taal": "nld",
                "vertrouwelijk": False,
                "plaatsgevondenOp": when,
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        return response.json()["url"]

    eerste = create("telefoon", "2026-02-10T10:00:00Z")
    tweede = create("telefoon", "2026-02-28T23:30:00Z")  # 1 March, local
    assert maand() == {("2026-02-01", "telefoon"): 1, ("2026-03-01", "telefoon"): 1}

    assert api_client.patch(eerste, {"kanaal": "balie"}, format="json").status_code == 200
    assert maand() == {("2026-02-01", "balie"): 1, ("2026-03-01", "telefoon"): 1}

    moved = api_client.patch(
        tweede, {"plaatsgevondenOp": "2026-05-05T10:00:00+02:00"}, format="json"
    )
    assert moved.status_code == 200
    assert maand() == {("2026-02-01", "balie"): 1, ("2026-05-01", "telefoon"): 1}

    assert api_client.patch(eerste, {"onderwerp": "Ander"}, format="json").status_code == 200
    assert maand(groep="onderwerp") == {("2026-02-01", "Ander"): 1, ("2026-05-01", "Vraag"): 1}

    assert api_client.patch(eerste, {"taal": "eng"}, format="json").status_code == 200
    assert maand() == {("2026-02-01", "balie"): 1, ("2026-05-01", "telefoon"): 1}

    assert api_client.delete(eerste).status_code == 204
    assert maand() == {("2026-05-01", "telefoon"): 1}

    response = api_client.post(
        f"{API}/maak-klantcontact",
        {
            "klantcontact": {
                "kanaal": "chat",
                "onderwerp": "Vraag",
                "taal": "nld",
                "vertrouwelijk": False,
                "plaatsgevondenOp": "2026-05-06T10:00:00Z",
            }
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert maand() == {("2026-05-01", "chat"): 1, ("2026-05-01", "telefoon"): 1}


@pytest.mark.parametrize("groep", ["onderwerp", "metadata.afdeling"])
def test_confidential_contacts_are_left_out_without_the_scope(client_with, groep):
    when = utc(2026, 3, 2, 9)
    contact(when, onderwerp="Afval", metadata={"afdeling": "afval"})
    contact(when, onderwerp="Huiselijk geweld", vertrouwelijk=True, metadata={"afdeling": "zorg"})
    params = {"periode": "maand", "groep": groep, "van": "2026-03-01", "tot": "2026-04-01"}
    beperkt = client_with("klantcontacten.lezen")
    alles = client_with("klantcontacten.lezen", VERTROUWELIJK)
    open_, geheim = ("Afval", "Huiselijk geweld") if groep == "onderwerp" else ("afval", "zorg")
    assert cijfers(beperkt, **params) == {("2026-03-01", open_): 1}
    assert cijfers(alles, **params) == {("2026-03-01", open_): 1, ("2026-03-01", geheim): 1}


def test_scope(client_with):
    params = {"periode": "dag", "groep": "kanaal", "van": "2026-03-01", "tot": "2026-03-02"}
    response = client_with("partijen.lezen", "klantcontacten.schrijven").get(URL, params)
    assert response.status_code == 403
    assert response.json()["code"] == "missing-scope"
    assert "klantcontacten.lezen" in response.json()["detail"]
    assert client_with("klantcontacten.lezen").get(URL, params).status_code == 200


def test_shielded_fields_are_no_groups(client_with, monkeypatch):
    # Onderwerp, kanaal and metadata are in no shielded group: every group shielded, the
    # figures are all there.
    contact(utc(2026, 3, 2, 9), metadata={"afdeling": "afval"})
    client = client_with("klantcontacten.lezen", afgeschermd=[g for g, _ in GROUP_CHOICES])
    for groep in ("kanaal", "onderwerp", "indicatieContactGelukt", "metadata.afdeling"):
        params = {"periode": "dag", "groep": groep, "van": "2026-03-01", "tot": "2026-03-08"}
        assert len(cijfers(client, **params)) == 1
    # Were one in a group, its values would not be shown as groups.
    monkeypatch.setitem(KlantcontactSerializer.afgeschermd, "onderwerp", "contactinhoud")
    params = {"periode": "dag", "groep": "onderwerp", "van": "2026-03-01", "tot": "2026-03-08"}
    response = client.get(URL, params)
    assert response.status_code == 403
    assert response.json()["code"] == "shielded-field"


GOED = {"periode": "dag", "groep": "kanaal", "van": "2026-03-01", "tot": "2026-03-08"}


@pytest.mark.parametrize(
    ("params", "name", "code"),
    [
        ({"periode": None}, "periode", "required"),
        ({"periode": "jaar"}, "periode", "invalid_choice"),
        ({"groep": None}, "groep", "required"),
        ({"groep": "inhoud"}, "groep", "invalid"),
        ({"groep": "metadata."}, "groep", "invalid"),
        ({"groep": "metadata"}, "groep", "invalid"),
        ({"groep": "kanaal\x00"}, "groep", "null_characters_not_allowed"),
        ({"groep": "metadata." + "x" * 256}, "groep", "max_length"),
        ({"van": None}, "van", "required"),
        ({"van": "2026-13-01"}, "van", "invalid"),
        ({"van": "2026-03-01T00:00:00Z"}, "van", "invalid"),
        ({"tot": "gisteren"}, "tot", "invalid"),
        ({"tot": "2026-03-01"}, "tot", "invalid"),
        ({"tot": "2026-02-01"}, "tot", "invalid"),
        ({"tot": "2027-03-03"}, "tot", "max-range"),
        ({"periode": "week", "tot": "2029-03-04"}, "tot", "max-range"),
        ({"periode": "maand", "tot": "2036-03-09"}, "tot", "max-range"),
        ({"groep": "metadata.team", "tot": "2026-05-03"}, "tot", "max-range"),
        ({"kanaal": "k" * 51}, "kanaal", "max_length"),
    ],
)
def test_bad_input_is_a_400(api_client, params, name, code):
    query = {key: value for key, value in {**GOED, **params}.items() if value is not None}
    response = api_client.get(URL, query)
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid"
    assert [(p["name"], p["code"]) for p in body["invalidParams"]] == [(name, code)]


@pytest.mark.parametrize("extra", [{"pageSize": "10"}, {"expand": "x"}, {"kanaal__in": "a"}])
def test_unknown_parameters_are_a_400(api_client, extra):
    response = api_client.get(URL, {**GOED, **extra})
    assert response.status_code == 400
    assert response.json()["code"] == "unknown-parameters"


def test_longest_ranges_are_allowed(api_client):
    contact(utc(2026, 3, 2, 9), metadata={"team": "kcc"})
    for periode, tot in (("dag", "2027-03-02"), ("week", "2029-03-03"), ("maand", "2036-03-08")):
        assert len(cijfers(api_client, **{**GOED, "periode": periode, "tot": tot})) == 1
    assert len(cijfers(api_client, **{**GOED, "groep": "metadata.team", "tot": "2026-05-02"})) == 1
    # The ends of the calendar are just dates.
    assert cijfers(api_client, **{**GOED, "van": "0001-01-01", "tot": "0001-02-01"}) == {}
    assert cijfers(api_client, **{**GOED, "van": "9999-12-01", "tot": "9999-12-31"}) == {}
    extremes = {"groep": "metadata.team", "periode": "week"}
    assert (
        cijfers(api_client, **{**GOED, **extremes, "van": "0001-01-01", "tot": "0001-02-01"}) == {}
    )
    assert (
        cijfers(api_client, **{**GOED, **extremes, "van": "9999-12-01", "tot": "9999-12-31"}) == {}
    )


@pytest.mark.parametrize("groep", ["kanaal", "indicatieContactGelukt", "metadata.team"])
def test_a_fixed_number_of_queries(api_client, groep):
    params = {**GOED, "periode": "week", "groep": groep, "tot": "2026-04-01"}
    cijfers(api_client, **params)  # the token, cached after the first request
    counts = []
    for aantal in (1, 99):
        for i in range(aantal):
            contact(
                utc(2026, 3, 1 + i % 28, 9),
                kanaal=f"k{i % 7}",
                metadata={"team": f"t{i % 5}"},
                indicatie_contact_gelukt=i % 2 == 0,
            )
        with CaptureQueriesContext(connection) as captured:
            figures = cijfers(api_client, **params)
        assert sum(figures.values()) == sum(
            1 for k in Klantcontact.objects.all() if k.plaatsgevonden_op < utc(2026, 4, 1)
        )
        # The figures' statement, and the log's handeling (without subjects: no WITH).
        queries = [q["sql"] for q in without_log(captured.captured_queries)]
        assert queries[1].startswith('INSERT INTO "logboek_handeling"')
        counts.append(len(queries))
    assert counts == [2, 2]


def test_a_request_is_logged_without_subjects(api_client):
    contact(utc(2026, 3, 2, 9))
    cijfers(api_client, **GOED)
    handeling = Handeling.objects.get(naam="klantcontactcijfers.tellen")
    assert handeling.bewerking == "lezen"
    assert handeling.status == 200
    assert not Verwerking.objects.filter(handeling=handeling).exists()
