"""The admin pages of the partijen register load, search, and keep the API's rules."""

import pytest

from autorisatie.models import Applicatie
from klantinteracties.api.models import Token
from partijen.models import (
    Categorie,
    CategorieRelatie,
    Partij,
    Rekeningnummer,
    Vertegenwoordigden,
)
from tests.partijen.factories import make_digitaal_adres, make_identificator, make_partij

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(db):
    partij = make_partij(nummer="0000004711", contactnaam_achternaam="Jansen")
    other = make_partij()
    return {
        "partij": partij,
        "partijidentificator": make_identificator(partij, "111222333"),
        "digitaaladres": make_digitaal_adres(partij),
        "rekeningnummer": Rekeningnummer.objects.create(partij=partij, iban="NL91ABNA0417164300"),
        "vertegenwoordigden": Vertegenwoordigden.objects.create(
            vertegenwoordigende_partij=partij, vertegenwoordigde_partij=other
        ),
        "categorie": Categorie.objects.create(naam="VIP"),
        "categorierelatie": CategorieRelatie.objects.create(partij=partij),
    }


@pytest.mark.parametrize(
    "model",
    [
        "partij",
        "partijidentificator",
        "digitaaladres",
        "rekeningnummer",
        "vertegenwoordigden",
        "categorie",
        "categorierelatie",
    ],
)
def test_changelist_and_change_page(admin_client, objects, model):
    assert admin_client.get(f"/admin/partijen/{model}/").status_code == 200
    change = admin_client.get(f"/admin/partijen/{model}/{objects[model].pk}/change/")
    assert change.status_code == 200


def test_find_partij_by_bsn(admin_client, objects):
    response = admin_client.get("/admin/partijen/partij/", {"q": "111222333"})
    assert list(response.context["cl"].result_list) == [objects["partij"]]


def add_partij_form(**extra):
    data = {
        "soort_partij": "persoon",
        "indicatie_actief": "on",
        "nummer": "",
        "contactnaam_achternaam": "Bakker",
        "partijidentificatoren-TOTAL_FORMS": "0",
        "partijidentificatoren-INITIAL_FORMS": "0",
        "digitaleadressen-TOTAL_FORMS": "0",
        "digitaleadressen-INITIAL_FORMS": "0",
        "rekeningnummers-TOTAL_FORMS": "0",
        "rekeningnummers-INITIAL_FORMS": "0",
        "categorierelaties-TOTAL_FORMS": "0",
        "categorierelaties-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_admin_add_generates_nummer(admin_client):
    response = admin_client.post("/admin/partijen/partij/add/", add_partij_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    partij = Partij.objects.get(contactnaam_achternaam="Bakker")
    assert partij.nummer.isdigit() and len(partij.nummer) == 10


def test_admin_refuses_an_invalid_bsn(admin_client):
    data = add_partij_form(
        **{
            "partijidentificatoren-TOTAL_FORMS": "1",
            "partijidentificatoren-0-code_objecttype": "natuurlijk_persoon",
            "partijidentificatoren-0-code_soort_object_id": "bsn",
            "partijidentificatoren-0-object_id": "123456789",
            "partijidentificatoren-0-code_register": "brp",
        }
    )
    response = admin_client.post("/admin/partijen/partij/add/", data)
    assert response.status_code == 200
    assert not Partij.objects.filter(contactnaam_achternaam="Bakker").exists()


def test_token_admin_shows_key_once_and_deactivates(admin_client):
    applicatie = Applicatie.objects.create(naam="KCC", scopes=["partijen.lezen"])
    response = admin_client.post(
        "/admin/api/token/add/",
        {"applicatie": applicatie.pk, "name": "kcc", "is_active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    token = Token.objects.get(name="kcc")
    assert token.applicatie == applicatie
    shown = [str(m) for m in response.context["messages"]]
    assert any(token.prefix in message for message in shown)
    admin_client.post(
        "/admin/api/token/",
        {"action": "deactivate", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.is_active is False


def test_staff_who_may_only_view_can_open_a_partij(client):
    from django.contrib.auth.models import Permission, User

    partij = make_partij()
    staff = User.objects.create_user("lezer", password="x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_partij"))
    client.force_login(staff)

    assert client.get(f"/admin/partijen/partij/{partij.pk}/change/").status_code == 200
