"""The counts per local day behind the management figures (KlantcontactTelling): kept by the
trigger at commit, recounted by `manage.py klantcontactcijfers`, filled by the migration;
the three agree with the klantcontacten."""

import datetime
import importlib
import io
import threading
from collections import Counter
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from klantcontacten.models import TIJDZONE, Klantcontact, KlantcontactTelling

from .factories import make_klantcontact

UTC = datetime.UTC
LOKAAL = ZoneInfo(TIJDZONE)


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def tellingen() -> dict:
    return {
        (t.dag, t.kanaal, t.onderwerp, t.indicatie_contact_gelukt, t.vertrouwelijk): t.aantal
        for t in KlantcontactTelling.objects.exclude(aantal=0)
    }


def werkelijk() -> dict:
    """The counts per onderwerp and the totals over the onderwerpen (onderwerp None)."""
    return dict(
        Counter(
            (
                k.plaatsgevonden_op.astimezone(LOKAAL).date(),
                k.kanaal,
                onderwerp,
                k.indicatie_contact_gelukt,
                k.vertrouwelijk,
            )
            for k in Klantcontact.objects.all()
            for onderwerp in (k.onderwerp, None)
        )
    )


def controleer() -> str:
    out = io.StringIO()
    call_command("klantcontactcijfers", "--controleer", stdout=out)
    return out.getvalue()


def some_contacts() -> list[Klantcontact]:
    contacts = [
        make_klantcontact(plaatsgevonden_op=utc(2026, 10, 31, 23, 30)),  # 1 November, local
        make_klantcontact(plaatsgevonden_op=utc(2026, 10, 31, 12), indicatie_contact_gelukt=True),
        make_klantcontact(plaatsgevonden_op=utc(2026, 10, 31, 13), indicatie_contact_gelukt=True),
        make_klantcontact(plaatsgevonden_op=utc(2026, 3, 29, 0, 30), kanaal="balie"),  # DST day
        make_klantcontact(plaatsgevonden_op=utc(2025, 12, 31, 23), vertrouwelijk=True),
    ]
    for i in range(20):
        make_klantcontact(
            plaatsgevonden_op=utc(2026, 1, 1) + datetime.timedelta(hours=37 * i),
            kanaal=("telefoon", "e-mail", "chat")[i % 3],
            onderwerp=("Afval", "Paspoort")[i % 2],
            indicatie_contact_gelukt=(True, False, None)[i % 3],
            vertrouwelijk=i % 4 == 0,
        )
    return contacts


@pytest.mark.django_db
def test_the_trigger_follows_every_kind_of_write(tellingen_direct):
    eerste, tweede, derde, vierde, vijfde = some_contacts()
    assert tellingen() == werkelijk()

    steps = [
        lambda: Klantcontact.objects.filter(pk=eerste.pk).update(kanaal="balie"),
        lambda: Klantcontact.objects.filter(pk=eerste.pk).update(
            plaatsgevonden_op=utc(2026, 11, 1, 23, 30)  # 2 November, local
        ),
        lambda: Klantcontact.objects.filter(pk=tweede.pk).update(indicatie_contact_gelukt=None),
        lambda: Klantcontact.objects.filter(pk=tweede.pk).update(indicatie_contact_gelukt=False),
        lambda: Klantcontact.objects.filter(pk=derde.pk).update(onderwerp="Ander"),
        lambda: Klantcontact.objects.filter(pk=vierde.pk).update(vertrouwelijk=True),
        lambda: Klantcontact.objects.filter(pk=vijfde.pk).update(vertrouwelijk=False),
        # Within the same local day: one down, one up, on the same count.
        lambda: Klantcontact.objects.filter(pk=derde.pk).update(
            plaatsgevonden_op=utc(2026, 10, 31, 22)
        ),
        lambda: Klantcontact.objects.filter(pk=derde.pk).update(taal="eng", inhoud="x"),
        lambda: Klantcontact.objects.filter(onderwerp="Paspoort").update(kanaal="brief"),
        lambda: Klantcontact.objects.filter(pk=eerste.pk).delete(),
        lambda: Klantcontact.objects.filter(kanaal="chat").delete(),
    ]
    for step in steps:
        step()
        assert tellingen() == werkelijk()
    assert "0 tellingen afwijkend" in controleer()


@pytest.mark.django_db
def test_the_rebuild_sets_drifted_counts_right(tellingen_direct):
    some_contacts()
    juist = werkelijk()
    assert tellingen() == juist
    eerste = KlantcontactTelling.objects.order_by("dag").first()
    eerste.aantal += 5
    eerste.save()
    KlantcontactTelling.objects.order_by("-dag").first().delete()
    KlantcontactTelling.objects.create(
        dag=datetime.date(2026, 6, 1),
        kanaal="post",
        onderwerp="Spook",
        vertrouwelijk=False,
        aantal=3,
    )
    with pytest.raises(CommandError) as raised:
        controleer()
    assert raised.value.returncode == 2
    assert tellingen() != juist  # checking changes nothing

    out = io.StringIO()
    call_command("klantcontactcijfers", "--herbereken", "--dagen", "3", stdout=out)
    assert "3 tellingen gecorrigeerd" in out.getvalue()
    assert tellingen() == juist
    assert "0 tellingen afwijkend" in controleer()
    # Counts that are right are not written again.
    call_command("klantcontactcijfers", "--herbereken", stdout=out)
    assert "0 tellingen gecorrigeerd" in out.getvalue().splitlines()[-1]


@pytest.mark.django_db
def test_a_rebuild_of_a_range_keeps_to_it(tellingen_direct):
    make_klantcontact(plaatsgevonden_op=utc(2026, 3, 1, 12))
    make_klantcontact(plaatsgevonden_op=utc(2026, 4, 1, 12))
    KlantcontactTelling.objects.update(aantal=7)
    call_command(
        "klantcontactcijfers",
        "--herbereken",
        "--van",
        "2026-03-01",
        "--tot",
        "2026-03-02",
        stdout=io.StringIO(),
    )
    assert sorted(KlantcontactTelling.objects.values_list("dag", "aantal")) == [
        (datetime.date(2026, 3, 1), 1),
        (datetime.date(2026, 3, 1), 1),
        (datetime.date(2026, 4, 1), 7),
        (datetime.date(2026, 4, 1), 7),
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("--herbereken", "--dagen", "0"),
        ("--herbereken", "--van", "2026-13-01"),
        ("--herbereken", "--van", "2026-03-02", "--tot", "2026-03-01"),
    ],
)
@pytest.mark.django_db
def test_command_refuses_bad_arguments(args):
    with pytest.raises(CommandError):
        call_command("klantcontactcijfers", *args)


@pytest.mark.django_db
def test_the_migration_fills_the_counts(tellingen_direct):
    some_contacts()
    juist = werkelijk()
    KlantcontactTelling.objects.all().delete()
    migration = importlib.import_module(
        "klantcontacten.migrations.0009_klantcontact_telling_vullen"
    )
    migration.vullen(None, SimpleNamespace(connection=connection))
    assert tellingen() == juist


@pytest.mark.django_db(transaction=True)
def test_counts_move_at_commit():
    """The triggers are deferred: a count changes with the commit of the write, not before
    (the row it shares with concurrent writes is locked only from there), and not at all
    when the write rolls back."""
    with transaction.atomic():
        make_klantcontact(plaatsgevonden_op=utc(2026, 3, 1, 12))
        assert tellingen() == {}
    assert tellingen() == werkelijk() != {}

    with transaction.atomic():
        Klantcontact.objects.update(kanaal="balie")
        transaction.set_rollback(True)
    assert tellingen() == werkelijk()

    with transaction.atomic():
        Klantcontact.objects.update(kanaal="balie")
        Klantcontact.objects.update(onderwerp="Ander")
    assert tellingen() == werkelijk()
    assert list(werkelijk()) == [
        (datetime.date(2026, 3, 1), "balie", "Ander", None, False),
        (datetime.date(2026, 3, 1), "balie", None, None, False),
    ]


def test_the_counts_use_the_registers_time_zone():
    assert settings.TIME_ZONE == TIJDZONE


@pytest.mark.django_db
def test_admin_shows_counts_read_only(admin_client, client, tellingen_direct):
    make_klantcontact(plaatsgevonden_op=utc(2026, 3, 1, 12), onderwerp="Afval")
    make_klantcontact(plaatsgevonden_op=utc(2026, 3, 1, 12), onderwerp="Geheim", vertrouwelijk=True)
    url = "/admin/klantcontacten/klantcontacttelling/"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 4  # per onderwerp, and the totals
    telling = KlantcontactTelling.objects.first()
    assert admin_client.get(f"{url}add/").status_code == 403
    page = admin_client.get(f"{url}{telling.pk}/change/")
    assert page.status_code == 200
    assert not page.context["has_change_permission"]

    # Staff without the permission for confidential klantcontacten do not see their counts.
    staff = User.objects.create_user("beheerder", is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="view_klantcontacttelling"),
    )
    client.force_login(staff)
    response = client.get(url)
    assert [t.onderwerp for t in response.context["cl"].result_list] == ["Afval", None]
    assert b"(alle onderwerpen)" in response.content


@pytest.mark.django_db(transaction=True)
def test_a_write_does_not_wait_for_an_open_transaction_on_the_same_count():
    """The count a write shares with others is locked at commit only: a second contact of
    the same day, kanaal and onderwerp commits while the first one's transaction is open."""
    opened, release = threading.Event(), threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                make_klantcontact(plaatsgevonden_op=utc(2026, 3, 1, 12))
                opened.set()
                release.wait(10)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            opened.set()
            connection.close()

    def second():
        try:
            with transaction.atomic():
                make_klantcontact(plaatsgevonden_op=utc(2026, 3, 1, 13))
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connection.close()

    holder = threading.Thread(target=first, daemon=True)
    holder.start()
    assert opened.wait(10)
    writer = threading.Thread(target=second, daemon=True)
    writer.start()
    writer.join(5)
    try:
        assert not writer.is_alive(), "the second write waited for the first transaction"
    finally:
        release.set()
        holder.join(10)
    assert errors == []
    assert tellingen() == werkelijk()
    assert sum(tellingen().values()) == 4  # two contacts, per onderwerp and in the total
