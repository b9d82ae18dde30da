"""Setting up applications: existing tokens keep all rights, the management command, the admin."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from autorisatie.models import Applicatie, ClientCredential
from klantinteracties.api.models import Token, hash_key


@pytest.mark.django_db(transaction=True)
def test_every_existing_token_becomes_an_application_with_all_rights():
    executor = MigrationExecutor(connection)
    executor.migrate([("api", "0001_initial")])
    old_apps = executor.loader.project_state([("api", "0001_initial")]).apps
    OldToken = old_apps.get_model("api", "Token")
    for name, key in (("KISS", "a" * 40), ("KISS", "b" * 40), ("Portaal", "c" * 40)):
        OldToken.objects.create(name=name, key_hash=hash_key(key), prefix=key[:8])

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    tokens = Token.objects.select_related("applicatie").order_by("pk")
    assert [t.applicatie.naam for t in tokens] == ["KISS", "KISS (bbbbbbbb)", "Portaal"]
    assert all(t.applicatie.alle_rechten for t in tokens)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {'a' * 40}")
    assert client.post("/klantinteracties/api/v1/partijen", {}, format="json").status_code == 400


@pytest.mark.django_db
def test_createapplicatie_makes_an_application_with_credentials(capsys):
    call_command(
        "createapplicatie",
        "Mijn portaal",
        "--scope",
        "partijen.lezen",
        "--scope",
        "klantcontacten.lezen",
        "--token",
        "--jwt",
        "mijn-portaal",
        "--verwerkingsactiviteit",
        "https://gemeente.example/verwerkingen/portaal",
        "--doelbinding-verplicht",
    )

    printed = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines())
    applicatie = Applicatie.objects.get(naam="Mijn portaal")
    assert applicatie.scopes == ["klantcontacten.lezen", "partijen.lezen"]
    assert applicatie.doelbinding_verplicht
    assert [v.uri for v in applicatie.verwerkingsactiviteiten.all()] == [
        "https://gemeente.example/verwerkingen/portaal"
    ]
    assert Token.objects.get(key_hash=hash_key(printed["token"])).applicatie == applicatie
    credential = ClientCredential.objects.get(client_id=printed["client_id"])
    assert (credential.applicatie, credential.secret) == (applicatie, printed["secret"])


@pytest.mark.django_db
def test_the_admin_shows_a_new_jwt_secret_once(admin_client):
    applicatie = Applicatie.objects.create(naam="Zaaksysteem", scopes=["klantcontacten.lezen"])
    url = f"/admin/autorisatie/applicatie/{applicatie.pk}/change/"
    form = {
        "naam": "Zaaksysteem",
        "actief": "on",
        "scopes": ["klantcontacten.lezen", "taken.lezen"],
        "tokens-TOTAL_FORMS": "0",
        "tokens-INITIAL_FORMS": "0",
        "client_credentials-TOTAL_FORMS": "1",
        "client_credentials-INITIAL_FORMS": "0",
        "client_credentials-0-client_id": "zaaksysteem",
    }

    response = admin_client.post(url, form, follow=True)

    assert response.status_code == 200
    credential = ClientCredential.objects.get(client_id="zaaksysteem")
    assert len(credential.secret) >= 40
    assert credential.secret in response.content.decode()
    assert credential.secret not in admin_client.get(url).content.decode()
    applicatie.refresh_from_db()
    assert applicatie.scopes == ["klantcontacten.lezen", "taken.lezen"]
