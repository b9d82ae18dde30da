"""The admin of destinations, announcements and deliveries."""

import json

import pytest
from django.utils import timezone

from gebeurtenissen import definities
from gebeurtenissen.bestemmingen import uit_instellingen
from gebeurtenissen.models import Aflevering, Bestemming, Gebeurtenis

pytestmark = pytest.mark.django_db

ADMIN = "/admin/gebeurtenissen"
GEHEIM = "een-geheim-van-minstens-zestien-tekens"
TYPE = "nl.overheid.klantinteracties.partijen.create"


def webhook_form(**changes) -> dict:
    return {
        "naam": "Zaaksysteem",
        "soort": "webhook",
        "url": "https://zaaksysteem.example/webhook",
        "actief": "on",
        "client_id": "",
        "secret": GEHEIM,
        "typen": [TYPE],
        **changes,
    }


def form_errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return {
        name: list(errors) for name, errors in response.context["adminform"].form.errors.items()
    }


def test_add_a_webhook(admin_client):
    response = admin_client.post(f"{ADMIN}/bestemming/add/", webhook_form())

    assert response.status_code == 302, form_errors(response)
    bestemming = Bestemming.objects.get()
    assert (bestemming.soort, bestemming.typen, bestemming.secret) == ("webhook", [TYPE], GEHEIM)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"typen": []}, "typen"),
        ({"typen": ["nl.overheid.klantinteracties.bestaatniet.create"]}, "typen"),
        ({"secret": "te-kort"}, "secret"),
        ({"secret": ""}, "secret"),
        (
            {"soort": "notificaties", "url": "https://nrc.example/api/v1", "typen": []},
            "url",
        ),
    ],
)
def test_invalid_destinations_are_refused(admin_client, changes, field):
    response = admin_client.post(f"{ADMIN}/bestemming/add/", webhook_form(**changes))

    assert field in form_errors(response)
    assert not Bestemming.objects.exists()


def test_a_notificaties_api_takes_no_types(admin_client):
    data = webhook_form(soort="notificaties", url="https://nrc.example/api/v1/", secret="")
    response = admin_client.post(f"{ADMIN}/bestemming/add/", data)

    assert response.status_code == 302, form_errors(response)
    assert Bestemming.objects.get().typen == []


def test_the_secret_is_never_shown_and_kept_when_left_empty(admin_client):
    bestemming = Bestemming.objects.create(
        naam="Zaaksysteem", soort="webhook", url="https://z.example/", typen=[TYPE], secret=GEHEIM
    )

    assert GEHEIM not in admin_client.get(f"{ADMIN}/bestemming/").content.decode()
    page = admin_client.get(f"{ADMIN}/bestemming/{bestemming.pk}/change/")
    assert page.status_code == 200
    assert GEHEIM not in page.content.decode()

    response = admin_client.post(
        f"{ADMIN}/bestemming/{bestemming.pk}/change/",
        webhook_form(secret="", url="https://elders.example/webhook"),
    )
    assert response.status_code == 302, form_errors(response)
    bestemming.refresh_from_db()
    assert (bestemming.url, bestemming.secret) == ("https://elders.example/webhook", GEHEIM)


def test_the_destination_from_the_settings_is_read_only(admin_client, settings):
    settings.NOTIFICATIES_API_URL = "https://nrc.example/api/v1"
    settings.NOTIFICATIES_API_CLIENT_ID = "klantinteracties"
    settings.NOTIFICATIES_API_SECRET = GEHEIM
    uit_instellingen()
    bestemming = Bestemming.objects.get(uit_instellingen=True)
    change = f"{ADMIN}/bestemming/{bestemming.pk}/change/"

    page = admin_client.get(change)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Uit de instellingen" in text
    assert GEHEIM not in text
    assert 'name="url"' not in text  # shown, not an input
    assert admin_client.post(change, webhook_form()).status_code == 403
    delete = admin_client.post(f"{ADMIN}/bestemming/{bestemming.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    bestemming.refresh_from_db()
    assert (bestemming.soort, bestemming.secret) == ("notificaties", GEHEIM)


def make_aflevering(bestemming, status, **fields) -> Aflevering:
    bericht = {
        "kanaal": "partijen",
        "resourceUrl": "https://x.example/partijen/1",
        "actie": "create",
    }
    gebeurtenis = Gebeurtenis.objects.create(
        uuid="00000000-0000-4000-8000-000000000001",
        soort="notificatie",
        type=TYPE,
        kanaal="partijen",
        sleutel=bericht["resourceUrl"],
        bericht=json.dumps(bericht),
        aangemaakt_op=timezone.now(),
    )
    return Aflevering.objects.create(
        gebeurtenis=gebeurtenis,
        bestemming=bestemming,
        sleutel=gebeurtenis.sleutel,
        status=status,
        volgende_poging=timezone.now(),
        **fields,
    )


@pytest.fixture
def bestemming():
    return Bestemming.objects.create(
        naam="Zaaksysteem", soort="webhook", url="https://z.example/", typen=[TYPE], secret=GEHEIM
    )


def test_an_announcement_is_shown_read_only_with_its_deliveries(admin_client, bestemming):
    aflevering = make_aflevering(bestemming, "geparkeerd", pogingen=10, laatste_fout="HTTP 503")

    assert admin_client.get(f"{ADMIN}/gebeurtenis/").status_code == 200
    page = admin_client.get(f"{ADMIN}/gebeurtenis/{aflevering.gebeurtenis_id}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    # Pretty-printed, escaped.
    assert "&quot;kanaal&quot;: &quot;partijen&quot;,\n" in text
    assert "HTTP 503" in text and "Zaaksysteem" in text
    assert 'name="_save"' not in text
    assert admin_client.get(f"{ADMIN}/gebeurtenis/add/").status_code == 403
    assert admin_client.get(f"{ADMIN}/aflevering/").status_code == 200
    assert admin_client.get(f"{ADMIN}/aflevering/?status__exact=geparkeerd").status_code == 200


def action(client, name: str, afleveringen) -> None:
    response = client.post(
        f"{ADMIN}/aflevering/",
        {"action": name, "_selected_action": [a.pk for a in afleveringen]},
    )
    assert response.status_code == 302


def test_send_again(admin_client, bestemming):
    geparkeerd = make_aflevering(bestemming, "geparkeerd", pogingen=10, laatste_fout="HTTP 503")
    afgeleverd = make_aflevering(bestemming, "afgeleverd", pogingen=1, afgeleverd_op=timezone.now())
    open_ = make_aflevering(bestemming, "open", pogingen=3, laatste_fout="time-out")
    before = timezone.now()

    action(admin_client, "opnieuw_versturen", [geparkeerd, afgeleverd, open_])

    for aflevering in (geparkeerd, afgeleverd):
        aflevering.refresh_from_db()
        assert (aflevering.status, aflevering.pogingen, aflevering.afgeleverd_op) == (
            "open",
            0,
            None,
        )
        assert aflevering.volgende_poging >= before
    open_.refresh_from_db()
    assert (open_.pogingen, open_.laatste_fout) == (3, "time-out")


def test_park_and_delete(admin_client, bestemming):
    open_ = make_aflevering(bestemming, "open")
    afgeleverd = make_aflevering(bestemming, "afgeleverd", afgeleverd_op=timezone.now())

    action(admin_client, "parkeren", [open_, afgeleverd])
    open_.refresh_from_db()
    afgeleverd.refresh_from_db()
    assert (open_.status, afgeleverd.status) == ("geparkeerd", "afgeleverd")

    action(admin_client, "verwijderen", [open_, afgeleverd])
    assert list(Aflevering.objects.values_list("pk", flat=True)) == [afgeleverd.pk]


def test_every_type_is_a_choice(admin_client):
    page = admin_client.get(f"{ADMIN}/bestemming/add/").content.decode()
    assert all(f'value="{type_}"' in page for type_ in definities.typen())
