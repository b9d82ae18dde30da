"""Without `ordering`, every list comes in the reference's order: newest first (klantcontacten
by plaatsgevondenOp, interne taken by toegewezenOp, everything else by creation)."""

import pytest

from partijen.models import Categorie
from tests.klantcontacten.factories import make_actor, make_actor_klantcontact, make_klantcontact

API = "/klantinteracties/api/v1"


def uuids(api_client, path) -> list[str]:
    response = api_client.get(f"{API}/{path}")
    assert response.status_code == 200, response.content
    return [item["uuid"] for item in response.json()["results"]]


@pytest.mark.django_db
def test_actoren_actorklantcontacten_and_categorieen_newest_first(api_client, both_renderings):
    actoren = [make_actor(naam=naam) for naam in ("Bram", "Anna", "Cees")]
    contact = make_klantcontact()
    koppelingen = [make_actor_klantcontact(actor, contact) for actor in actoren]
    categorieen = [Categorie.objects.create(naam=naam) for naam in ("Zorg", "Afval", "Parkeren")]

    assert uuids(api_client, "actoren") == [str(a.uuid) for a in reversed(actoren)]
    assert uuids(api_client, "actorklantcontacten") == [str(k.uuid) for k in reversed(koppelingen)]
    assert uuids(api_client, "categorieen") == [str(c.uuid) for c in reversed(categorieen)]
    # By name only when asked.
    assert uuids(api_client, "categorieen?ordering=naam") == [
        str(categorieen[i].uuid) for i in (1, 2, 0)
    ]
