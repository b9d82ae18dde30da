"""The admin pages of the klantcontacten register load and search."""

import pytest

from .factories import make_betrokkene, make_bijlage, make_klantcontact, make_onderwerpobject

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["klantcontact", "betrokkene", "onderwerpobject", "bijlage"])
def test_changelist_and_change_page(admin_client, model):
    contact = make_klantcontact(nummer="0000012345", onderwerp="Afvalpas")
    objects = {
        "klantcontact": contact,
        "betrokkene": make_betrokkene(contact),
        "onderwerpobject": make_onderwerpobject(klantcontact=contact),
        "bijlage": make_bijlage(klantcontact=contact),
    }

    changelist = admin_client.get(f"/admin/klantcontacten/{model}/", {"q": "0000012345"})
    change = admin_client.get(f"/admin/klantcontacten/{model}/{objects[model].pk}/change/")

    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 1
    assert change.status_code == 200


def test_klantcontact_search_by_onderwerp(admin_client):
    make_klantcontact(onderwerp="Afvalpas kwijt")
    make_klantcontact(onderwerp="Parkeren")

    response = admin_client.get("/admin/klantcontacten/klantcontact/", {"q": "afvalpas"})

    assert response.context["cl"].result_count == 1
