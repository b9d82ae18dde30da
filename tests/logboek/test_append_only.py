"""The log and the audit trail cannot be changed; only the retention job removes rows, and
only those older than their term."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from logboek.models import AuditRecord, Handeling, Verwerking

pytestmark = pytest.mark.django_db


def handeling(age_days: float, subjects: int = 2) -> Handeling:
    moment = timezone.now() - timedelta(days=age_days)
    h = Handeling.objects.create(
        trace_id="a" * 32,
        span_id="b" * 16,
        naam="partijen.list",
        bewerking="lezen",
        start=moment,
        einde=moment,
        status=200,
        bron="klantinteracties",
        component="test",
    )
    import uuid

    for _ in range(subjects):
        Verwerking.objects.create(handeling=h, subject_soort="partij", subject_uuid=uuid.uuid4())
    return h


def audit(age_days: float) -> AuditRecord:
    import uuid

    return AuditRecord.objects.create(
        bron="klantinteracties",
        actie="create",
        resultaat=201,
        hoofd_object="x",
        resource="partij",
        resource_url="x",
        resource_uuid=uuid.uuid4(),
        aanmaakdatum=timezone.now() - timedelta(days=age_days),
    )


def refused(sql: str, params=(), *, term: str | None = None) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if term is not None:
                cursor.execute("SELECT set_config('logboek.bewaartermijn', %s, true)", [term])
            cursor.execute(sql, params)
    except DatabaseError as exc:
        return "onveranderlijk" in str(exc) or "jonger dan de bewaartermijn" in str(exc)
    return False


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE logboek_handeling SET naam = 'anders'",
        "UPDATE logboek_verwerking SET subject_soort = 'actor'",
        "UPDATE logboek_auditrecord SET toelichting = 'anders'",
        "DELETE FROM logboek_handeling",
        "DELETE FROM logboek_verwerking",
        "DELETE FROM logboek_auditrecord",
    ],
)
def test_direct_update_and_delete_are_refused(sql):
    handeling(age_days=5000)
    audit(age_days=5000)

    assert refused(sql)
    assert Handeling.objects.count() == 1
    assert Verwerking.objects.count() == 2
    assert AuditRecord.objects.count() == 1


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE logboek_handeling SET naam = 'anders'",
        "UPDATE logboek_verwerking SET subject_soort = 'actor'",
        "UPDATE logboek_auditrecord SET actie = 'destroy'",
        "UPDATE logboek_auditrecord SET span_id = 'cccccccccccccccc'",
        "DELETE FROM logboek_auditrecord",
    ],
)
def test_the_retention_jobs_rewrite_of_content_allows_nothing_else(sql):
    handeling(age_days=1)
    record = audit(age_days=1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('logboek.vernietigen', 'ja', true)")
        cursor.execute("UPDATE logboek_auditrecord SET nieuw = '{}', resource_weergave = 'x'")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('logboek.vernietigen', 'ja', true)")
            cursor.execute(sql)
    except DatabaseError:
        pass
    else:
        raise AssertionError(f"allowed: {sql}")
    record.refresh_from_db()
    assert (record.actie, record.nieuw, record.resource_weergave) == ("create", {}, "x")


def test_even_with_a_term_nothing_younger_than_it_goes():
    young = handeling(age_days=10)
    assert refused("DELETE FROM logboek_handeling WHERE id = %s", [young.id], term="30 days")
    assert refused(
        "DELETE FROM logboek_verwerking WHERE handeling_id = %s", [young.id], term="30 days"
    )
    assert Handeling.objects.filter(id=young.id).exists()


def test_the_retention_job_removes_only_what_expired(settings):
    settings.BEWAARTERMIJNEN = {"verwerkingen": 30, "audittrail": 365}
    old = [handeling(age_days=31 + i) for i in range(5)]
    young = handeling(age_days=29)
    old_audit, young_audit = audit(age_days=400), audit(age_days=300)

    out = StringIO()
    call_command("bewaartermijnen", "--dry-run", stdout=out)
    assert "verwerkingen: verlopen 5 handelingen" in out.getvalue()
    assert "audittrail: verlopen 1 auditrecords" in out.getvalue()
    assert Handeling.objects.count() == 6  # a dry run changes nothing

    out = StringIO()
    call_command("bewaartermijnen", "--batch", "2", stdout=out)

    assert list(Handeling.objects.values_list("id", flat=True)) == [young.id]
    assert set(Verwerking.objects.values_list("handeling_id", flat=True)) == {young.id}
    assert list(AuditRecord.objects.values_list("id", flat=True)) == [young_audit.id]
    assert "verwijderd 10 records, 5 handelingen in 3 batch(es)" in out.getvalue()
    assert old_audit.id not in AuditRecord.objects.values_list("id", flat=True)
    assert not Handeling.objects.filter(id__in=[h.id for h in old]).exists()

    # Run again (after an interruption, or the next day): nothing more goes.
    out = StringIO()
    call_command("bewaartermijnen", stdout=out)
    assert "verwijderd 0 records, 0 handelingen in 0 batch(es)" in out.getvalue()
    assert Handeling.objects.count() == 1
