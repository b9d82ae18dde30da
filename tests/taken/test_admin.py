"""Admin: a functional manager reassigns an interne taak."""

import pytest

from taken.models import InterneTaakToewijzing

from .factories import make_internetaak, make_medewerker, make_team

pytestmark = pytest.mark.django_db

CHANGE = "/admin/taken/internetaak/{}/change/"


def form_data(taak, actor_pks: list[int], toewijzing_pks: list[int | None], **extra) -> dict:
    data = {
        "nummer": taak.nummer,
        "referentienummer": taak.referentienummer,
        "gevraagde_handeling": taak.gevraagde_handeling,
        "klantcontact": taak.klantcontact_id,
        "toelichting": taak.toelichting,
        "status": taak.status,
        "afgehandeld_op_0": "",
        "afgehandeld_op_1": "",
        "toewijzingen-TOTAL_FORMS": len(actor_pks),
        "toewijzingen-INITIAL_FORMS": sum(1 for pk in toewijzing_pks if pk),
        "toewijzingen-MIN_NUM_FORMS": 1,
        "toewijzingen-MAX_NUM_FORMS": 1000,
    }
    for index, (actor_pk, pk) in enumerate(zip(actor_pks, toewijzing_pks, strict=True)):
        data[f"toewijzingen-{index}-actor"] = actor_pk
        data[f"toewijzingen-{index}-internetaak"] = taak.pk
        data[f"toewijzingen-{index}-id"] = pk or ""
    data.update(extra)
    return data


def test_admin_pages_load(admin_client):
    taak = make_internetaak()

    assert admin_client.get("/admin/taken/internetaak/?status__exact=verwerkt").status_code == 200
    assert admin_client.get("/admin/taken/internetaak/?q=terug").status_code == 200
    assert admin_client.get("/admin/taken/actor/?soort_actor__exact=medewerker").status_code == 200
    assert admin_client.get(CHANGE.format(taak.pk)).status_code == 200


def test_reassign_and_mark_verwerkt(admin_client):
    taak = make_internetaak(make_medewerker())
    toewijzing = taak.toewijzingen.get()
    team = make_team()

    response = admin_client.post(
        CHANGE.format(taak.pk),
        form_data(taak, [team.pk], [toewijzing.pk], status="verwerkt"),
    )

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    taak.refresh_from_db()
    assert taak.toegewezen_aan_actoren == [team]
    assert taak.afgehandeld_op is not None


def test_admin_assigns_inactive_actor(admin_client):
    taak = make_internetaak(make_medewerker())
    actor_pk, toewijzing_pk = taak.toewijzingen.values_list("actor_id", "pk").get()
    inactief = make_medewerker(indicatie_actief=False)

    response = admin_client.post(
        CHANGE.format(taak.pk),
        form_data(taak, [actor_pk, inactief.pk], [toewijzing_pk, None]),
    )

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert [t.actor_id for t in taak.toewijzingen.all()] == [actor_pk, inactief.pk]
    assert InterneTaakToewijzing.objects.filter(actor=inactief, internetaak=taak).exists()
