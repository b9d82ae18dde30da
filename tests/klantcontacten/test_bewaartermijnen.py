"""Retention of the register's own records (`manage.py bewaartermijnen`, Archiefwet):
interne taken a term after afgehandeldOp, klantcontacten a term after plaatsgevondenOp with
everything that hangs off them, not while one of their interne taken is kept."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from klantcontacten.models import Betrokkene, Bijlage, Klantcontact, Onderwerpobject
from logboek.management.commands import bewaartermijnen
from partijen.models import DigitaalAdres
from taken.models import ActorKlantcontact, InterneTaak, InterneTaakToewijzing
from tests.klantcontacten.factories import (
    make_actor,
    make_actor_klantcontact,
    make_betrokkene,
    make_digitaal_adres,
    make_interne_taak,
    make_klantcontact,
    make_onderwerpobject,
    make_partij,
)

pytestmark = pytest.mark.django_db

TERMEN = {"verwerkingen": 3650, "audittrail": 3650, "klantcontacten": 365, "internetaken": 90}


def dagen_geleden(dagen: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=dagen)


def klantcontact(dagen: int, partij=None) -> Klantcontact:
    """A klantcontact of `dagen` ago with a betrokkene (its own adres, and one of the partij's),
    an onderwerpobject, a bijlage and an actor."""
    contact = make_klantcontact(plaatsgevonden_op=dagen_geleden(dagen))
    betrokkene = make_betrokkene(contact, partij=partij, contactnaam_voornaam=f"Jan {dagen}")
    make_digitaal_adres(betrokkene=betrokkene, adres=f"jan{dagen}@example.org")
    if partij is not None:
        make_digitaal_adres(partij=partij, betrokkene=betrokkene, adres=f"p{dagen}@example.org")
    make_onderwerpobject(klantcontact=contact)
    Bijlage.objects.create(klantcontact=contact, bijlageidentificator_object_id=f"doc-{dagen}")
    make_actor_klantcontact(make_actor(naam=f"Actor {dagen}"), contact)
    return contact


@pytest.fixture
def register(settings):
    settings.BEWAARTERMIJNEN = dict(TERMEN)
    partij = make_partij()
    oud = [klantcontact(400 + i, partij=partij) for i in range(5)]
    jong = klantcontact(100, partij=partij)
    # Old, but its taak is open: kept.
    open_taak = klantcontact(500)
    taak = make_interne_taak(open_taak)
    InterneTaakToewijzing.objects.create(internetaak=taak, actor=make_actor(naam="Team"))
    # Old, its taak afgehandeld long ago: the taak goes, and then the contact.
    oude_taak = make_interne_taak(oud[0], status="verwerkt", afgehandeld_op=dagen_geleden(200))
    # Old, its taak afgehandeld recently: both kept.
    recent = klantcontact(600)
    recente_taak = make_interne_taak(recent, status="verwerkt", afgehandeld_op=dagen_geleden(10))
    # A young klantcontact that replies to an old one: it stays, without the link.
    antwoord = make_onderwerpobject(klantcontact=jong, was_klantcontact=oud[1])
    return {
        "partij": partij,
        "oud": oud,
        "blijft": [jong, open_taak, recent],
        "taken": {"oud": oude_taak, "open": taak, "recent": recente_taak},
        "antwoord": antwoord,
    }


def run(*args) -> str:
    out = StringIO()
    call_command("bewaartermijnen", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_says_what_would_go_and_changes_nothing(register):
    tekst = run("--dry-run", "--alleen", "klantcontacten", "--alleen", "internetaken")
    assert "internetaken: verlopen 1 interne taken" in tekst
    # Among them the contact whose taak expired too: only a kept taak holds a contact.
    assert "klantcontacten: verlopen 5 klantcontacten" in tekst
    assert Klantcontact.objects.count() == 8
    assert InterneTaak.objects.count() == 3


def test_exactly_what_expired_goes_with_what_hangs_off_it(register):
    tekst = run("--batch", "2")

    blijft = {k.pk for k in register["blijft"]}
    assert set(Klantcontact.objects.values_list("pk", flat=True)) == blijft
    oud = [k.pk for k in register["oud"]]
    for model in (Betrokkene, Onderwerpobject, Bijlage, ActorKlantcontact):
        assert not model.objects.filter(klantcontact_id__in=oud).exists(), model
    assert set(InterneTaak.objects.values_list("pk", flat=True)) == {
        register["taken"]["open"].pk,
        register["taken"]["recent"].pk,
    }
    # The adressen the betrokkenen gave: theirs go, the partij's stay (they are the partij's).
    assert not DigitaalAdres.objects.filter(
        adres__in=[f"jan{400 + i}@example.org" for i in range(5)]
    )
    assert DigitaalAdres.objects.filter(adres="p400@example.org", betrokkene=None).exists()
    assert DigitaalAdres.objects.filter(adres="jan100@example.org").exists()
    # A reply to a destroyed contact stays, without the link (as a DELETE would leave it).
    antwoord = Onderwerpobject.objects.get(pk=register["antwoord"].pk)
    assert antwoord.was_klantcontact_id is None
    assert "internetaken: verwijderd 1 interne taken" in tekst
    assert "klantcontacten: verwijderd" in tekst and "5 klantcontacten" in tekst
    assert "in 3 batch(es)" in tekst

    # The next run (the next day, or after an interruption) finds nothing more.
    tekst = run()
    assert "internetaken: verwijderd niets in 0 batch(es)" in tekst
    assert "klantcontacten: verwijderd niets in 0 batch(es)" in tekst
    assert set(Klantcontact.objects.values_list("pk", flat=True)) == blijft


def test_a_run_killed_half_way_leaves_whole_batches_and_the_next_one_finishes(
    register, monkeypatch
):
    echt = bewaartermijnen.klantcontacten_vernietigen
    batches = []

    def na_een_batch_gestopt(keys):
        if batches:
            raise KeyboardInterrupt
        batches.append(keys)
        return echt(keys)

    soorten = tuple(
        s
        if s.naam != "klantcontacten"
        else type(s)(**{**s.__dict__, "vernietigen": na_een_batch_gestopt})
        for s in bewaartermijnen.SOORTEN
    )
    monkeypatch.setattr(bewaartermijnen, "SOORTEN", soorten)
    with pytest.raises(KeyboardInterrupt):
        run("--batch", "2")
    # One whole batch went, with all it carries; the rest is untouched.
    [eerste] = batches
    assert not Klantcontact.objects.filter(pk__in=eerste).exists()
    assert not Betrokkene.objects.filter(klantcontact_id__in=eerste).exists()
    over = [k.pk for k in register["oud"] if k.pk not in eerste]
    assert Klantcontact.objects.filter(pk__in=over).count() == len(over) == 3
    assert Betrokkene.objects.filter(klantcontact_id__in=over).count() == 3

    monkeypatch.undo()
    run("--batch", "2")
    assert set(Klantcontact.objects.values_list("pk", flat=True)) == {
        k.pk for k in register["blijft"]
    }


def test_without_a_term_the_register_keeps_everything(register, settings):
    settings.BEWAARTERMIJNEN = {"verwerkingen": 3650, "audittrail": 3650}
    tekst = run()
    assert "klantcontacten: geen bewaartermijn ingesteld, alles blijft." in tekst
    assert "internetaken: geen bewaartermijn ingesteld, alles blijft." in tekst
    assert Klantcontact.objects.count() == 8
    assert InterneTaak.objects.count() == 3


def test_the_audit_trail_of_a_destroyed_contact_keeps_no_content(api_client, settings):
    import datetime
    import json

    from django.core.management import call_command
    from django.utils import timezone

    from logboek.models import AuditRecord

    settings.BEWAARTERMIJNEN = {**settings.BEWAARTERMIJNEN, "klantcontacten": 365}
    oud = timezone.now() - datetime.timedelta(days=400)
    created = api_client.post(
        "/klantinteracties/api/v1/klantcontacten",
        {
            "kanaal": "telefoon",
            "onderwerp": "Schuldhulp",
            "inhoud": "Mevrouw heeft een schuld van 12.000 euro",
            "taal": "nld",
            "vertrouwelijk": True,
            "plaatsgevondenOp": oud.isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    jong = api_client.post(
        "/klantinteracties/api/v1/klantcontacten",
        {
            "kanaal": "telefoon",
            "onderwerp": "Paspoort",
            "inhoud": "Afspraak gemaakt",
            "taal": "nld",
            "vertrouwelijk": False,
        },
        format="json",
    )
    assert jong.status_code == 201

    call_command("bewaartermijnen", "--alleen", "klantcontacten")

    [record] = AuditRecord.objects.filter(resource_uuid=created.json()["uuid"])
    # Which object, how, when and by whom stay; its content went with it.
    assert (record.actie, record.oud) == ("create", None)
    assert record.nieuw == {"uuid": created.json()["uuid"], "url": created.json()["url"]}
    assert record.resource_weergave == "[vernietigd]"
    assert not [r for r in AuditRecord.objects.all() if "12.000" in json.dumps(r.nieuw)]
    # A younger contact's trail is as it was.
    [kept] = AuditRecord.objects.filter(resource_uuid=jong.json()["uuid"])
    assert kept.nieuw["inhoud"] == "Afspraak gemaakt"
