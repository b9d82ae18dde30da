"""The processing log (Logboek Dataverwerkingen) and the audit trail.

Both are append-only: PostgreSQL refuses UPDATE, TRUNCATE and DELETE of their rows
(migration 0002); only the retention job (`manage.py bewaartermijnen`) deletes rows, and only
those older than their term.

A `Handeling` is one processing action (one API request, or one change in the admin): LDV's
span, with who did it and why. A `Verwerking` is one LDV record: that action for one data
subject. A list page of 100 partijen is one handeling and 100 verwerkingen, written by one
statement (logboek.vastleggen).
"""

import uuid

from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.utils import timezone


class Bewerking(models.TextChoices):
    LEZEN = "lezen", "Lezen"
    AANMAKEN = "aanmaken", "Aanmaken"
    WIJZIGEN = "wijzigen", "Wijzigen"
    VERWIJDEREN = "verwijderen", "Verwijderen"


class SubjectSoort(models.TextChoices):
    PARTIJ = "partij", "Partij"
    ACTOR = "actor", "Actor"
    PERSOON = "persoon", "Persoon (contactgegevens)"
    ORGANISATIE = "organisatie", "Organisatie (contactgegevens)"


class Handeling(models.Model):
    """One processing action: who, on whose behalf, why, when, with what result."""

    # W3C Trace Context ids (lower-case hex), as LDV links processing across organisations.
    trace_id = models.CharField(max_length=32)
    span_id = models.CharField(max_length=16)
    parent_span_id = models.CharField(max_length=16, blank=True)
    # What was done: `<resource>.<action>`, e.g. `partijen.list`, `maak-klantcontact.create`.
    naam = models.CharField(max_length=100)
    bewerking = models.CharField(max_length=11, choices=Bewerking.choices)
    start = models.DateTimeField()
    einde = models.DateTimeField()
    # The HTTP status of the answer.
    status = models.PositiveSmallIntegerField()
    # The API (klantinteracties, contactgegevens) or `beheer` for the admin.
    bron = models.CharField(max_length=20)
    # The component and its version (LDV `resource`).
    component = models.CharField(max_length=60)
    # By uuid and name, not by key: the log outlives a deleted application.
    applicatie_id = models.UUIDField(null=True, blank=True)
    applicatie_weergave = models.CharField(max_length=200, blank=True)
    gebruikers_id = models.CharField(max_length=255, blank=True)
    gebruikers_weergave = models.CharField(max_length=255, blank=True)
    # The URI of the verwerkingsactiviteit (LDV dpl.core.processing_activity_id).
    verwerkingsactiviteit = models.CharField(max_length=1000, blank=True)

    class Meta:
        verbose_name = "handeling"
        verbose_name_plural = "handelingen"
        indexes = [
            # Period filters and the retention job. Rows are written in the order of `start`,
            # so a BRIN index (a few pages, next to nothing to maintain per row) finds them.
            BrinIndex(fields=["start"], name="handeling_start_brin"),
        ]

    def __str__(self) -> str:
        return f"{self.naam} {self.start:%Y-%m-%d %H:%M:%S}"


class Verwerking(models.Model):
    """One LDV record: a handeling, for one data subject.

    The subject is an object of this register (a partij, an actor, a persoon or organisatie
    of the contactgegevens), by uuid; for a partij also its BSN, KVK-nummer or RSIN as a keyed
    hash (HMAC-SHA256 with LOGBOEK_SLEUTEL), never in plain text.
    """

    handeling = models.ForeignKey(
        Handeling,
        on_delete=models.DO_NOTHING,
        # No foreign-key check per inserted row; the retention job deletes both together.
        db_constraint=False,
        related_name="verwerkingen",
    )
    subject_soort = models.CharField(max_length=11, choices=SubjectSoort.choices)
    subject_uuid = models.UUIDField()
    identificator_soort = models.CharField(max_length=16, blank=True)
    identificator_hash = models.BinaryField(max_length=32, null=True, blank=True)

    class Meta:
        verbose_name = "verwerking"
        verbose_name_plural = "verwerkingen"
        indexes = [
            # A citizen's inzage: every record of one subject, newest first.
            models.Index(fields=["subject_uuid", "-id"], name="verwerking_subject_idx"),
            models.Index(
                fields=["identificator_hash", "-id"],
                condition=models.Q(identificator_hash__isnull=False),
                name="verwerking_identificator_idx",
            ),
            # A handeling's records (the retention job, the admin): written in the order of
            # their handelingen, so BRIN.
            BrinIndex(fields=["handeling"], name="verwerking_handeling_brin"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_soort} {self.subject_uuid}"

    def subject(self) -> tuple:
        """The record's subject as a row of logboek.subjecten.subjects_of, to record again
        (a read of the log, of a deleted object's trail)."""
        hash_ = self.identificator_hash
        return (
            self.subject_soort,
            self.subject_uuid,
            self.identificator_soort,
            bytes(hash_) if hash_ is not None else None,
        )


class AuditRecord(models.Model):
    """One change of one object, as the ZGW audit trail records it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bron = models.CharField(max_length=20)
    applicatie_id = models.CharField(max_length=100, blank=True)
    applicatie_weergave = models.CharField(max_length=200, blank=True)
    gebruikers_id = models.CharField(max_length=255, blank=True)
    gebruikers_weergave = models.CharField(max_length=255, blank=True)
    # create, update, partial_update, destroy (as the ZGW audit trail names them).
    actie = models.CharField(max_length=50)
    actie_weergave = models.CharField(max_length=200, blank=True)
    resultaat = models.PositiveSmallIntegerField()
    hoofd_object = models.CharField(max_length=1000)
    resource = models.CharField(max_length=50)
    resource_url = models.CharField(max_length=1000)
    resource_uuid = models.UUIDField()
    resource_weergave = models.CharField(max_length=200, blank=True)
    toelichting = models.TextField(blank=True)
    verwerkingsactiviteit = models.CharField(max_length=1000, blank=True)
    trace_id = models.CharField(max_length=32, blank=True)
    # The span of the request that made the change: its handeling's (the processing log).
    span_id = models.CharField(max_length=16, blank=True, db_default="")
    aanmaakdatum = models.DateTimeField(default=timezone.now)
    oud = models.JSONField(null=True, blank=True)
    nieuw = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = "auditrecord"
        verbose_name_plural = "audit trail"
        indexes = [
            # An object's trail, in order (it stays when the object is deleted).
            models.Index(fields=["resource_uuid", "id"], name="audit_resource_idx"),
            models.Index(fields=["aanmaakdatum"], name="audit_aanmaakdatum_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actie} {self.resource} {self.resource_uuid}"
