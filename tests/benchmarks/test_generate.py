"""The benchmark data generator (benchmarks/generate.py) fills a register the API serves."""

import importlib.util
import json
import sys

import pytest
from django.conf import settings
from django.db.models import Count, Sum

from klantcontacten.models import Klantcontact
from partijen.models import Partij
from taken.models import ActorTakenTelling, InterneTaak

pytestmark = pytest.mark.django_db

API = "/klantinteracties/api/v1"


@pytest.fixture
def generated(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location(
        "benchmark_generate", settings.BASE_DIR / "benchmarks" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "ids.json"
    monkeypatch.setattr(
        sys, "argv", ["generate.py", "--klantcontacten", "300", "--actoren", "5", "--out", str(out)]
    )
    module.main()
    return json.loads(out.read_text())


def test_generated_data_is_served(api_client, generated):
    assert Klantcontact.objects.count() == 300
    assert Partij.objects.count() == len(generated["partijen"]) == 150

    persoon = next(p for p in generated["partijen"] if p["idType"] == "bsn")
    response = api_client.get(
        f"{API}/partijen",
        {"partijIdentificator__objectId": persoon["idValue"], "expand": "digitaleAdressen"},
    )
    assert response.status_code == 200
    assert [p["uuid"] for p in response.json()["results"]] == [persoon["uuid"]]

    # Kept work list counts hold for copied rows too.
    counts = dict(InterneTaak.objects.values_list("actoren").annotate(n=Count("id")).order_by())
    kept = dict(
        ActorTakenTelling.objects.values_list("actor_id").annotate(n=Sum("aantal")).order_by()
    )
    assert kept == counts and sum(counts.values()) == generated["internetaken"]


def test_generated_nummers_leave_room_for_new_ones(api_client, generated):
    response = api_client.post(
        f"{API}/klantcontacten",
        {"kanaal": "telefoon", "onderwerp": "Na het laden", "taal": "nld", "vertrouwelijk": False},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["nummer"] not in set(
        Klantcontact.objects.exclude(uuid=response.json()["uuid"]).values_list("nummer", flat=True)
    )
