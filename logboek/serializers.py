from rest_framework import serializers

from klantinteracties.api.fields import DateTimeField

from .models import AuditRecord, Verwerking


class WijzigingenSerializer(serializers.Serializer):
    oud = serializers.JSONField(allow_null=True, help_text="Het object vóór de wijziging.")
    nieuw = serializers.JSONField(allow_null=True, help_text="Het object na de wijziging.")


class AuditTrailSerializer(serializers.ModelSerializer):
    """One change of an object (the ZGW audit trail)."""

    applicatieId = serializers.CharField(source="applicatie_id")
    applicatieWeergave = serializers.CharField(source="applicatie_weergave")
    gebruikersId = serializers.CharField(source="gebruikers_id")
    gebruikersWeergave = serializers.CharField(source="gebruikers_weergave")
    actieWeergave = serializers.CharField(source="actie_weergave")
    hoofdObject = serializers.CharField(source="hoofd_object")
    resourceUrl = serializers.CharField(source="resource_url")
    resourceWeergave = serializers.CharField(source="resource_weergave")
    aanmaakdatum = DateTimeField()
    verwerkingsactiviteit = serializers.CharField(
        help_text="De verwerkingsactiviteit (URI) die de applicatie voor de wijziging noemde."
    )
    traceId = serializers.CharField(source="trace_id")
    wijzigingen = serializers.SerializerMethodField()

    class Meta:
        model = AuditRecord
        fields = (
            "uuid",
            "bron",
            "applicatieId",
            "applicatieWeergave",
            "gebruikersId",
            "gebruikersWeergave",
            "actie",
            "actieWeergave",
            "resultaat",
            "hoofdObject",
            "resource",
            "resourceUrl",
            "toelichting",
            "resourceWeergave",
            "aanmaakdatum",
            "verwerkingsactiviteit",
            "traceId",
            "wijzigingen",
        )
        read_only_fields = fields

    def get_wijzigingen(self, record) -> WijzigingenSerializer:
        return {"oud": record.oud, "nieuw": record.nieuw}


class VerwerkingSerializer(serializers.ModelSerializer):
    """One record of the processing log: one action, for one data subject (LDV)."""

    traceId = serializers.CharField(source="handeling.trace_id")
    spanId = serializers.CharField(source="handeling.span_id")
    parentSpanId = serializers.CharField(source="handeling.parent_span_id")
    naam = serializers.CharField(source="handeling.naam")
    bewerking = serializers.CharField(source="handeling.bewerking")
    startTijd = DateTimeField(source="handeling.start")
    eindTijd = DateTimeField(source="handeling.einde")
    statusCode = serializers.SerializerMethodField(
        help_text="LDV-status: `OK` voor een geslaagde verwerking, anders `ERROR`."
    )
    httpStatus = serializers.IntegerField(source="handeling.status")
    bron = serializers.CharField(source="handeling.bron")
    component = serializers.CharField(source="handeling.component")
    applicatieId = serializers.UUIDField(source="handeling.applicatie_id", allow_null=True)
    applicatieWeergave = serializers.CharField(source="handeling.applicatie_weergave")
    gebruikersId = serializers.CharField(source="handeling.gebruikers_id")
    gebruikersWeergave = serializers.CharField(source="handeling.gebruikers_weergave")
    verwerkingsactiviteit = serializers.CharField(source="handeling.verwerkingsactiviteit")
    subjectSoort = serializers.CharField(source="subject_soort")
    subjectUuid = serializers.UUIDField(source="subject_uuid")
    identificatorSoort = serializers.CharField(source="identificator_soort")
    identificatorHash = serializers.SerializerMethodField(
        help_text="HMAC-SHA256 (hex) van `<soort>:<nummer>` onder de sleutel van het "
        "register; leeg als het subject geen BSN, KVK-nummer of RSIN heeft."
    )

    class Meta:
        model = Verwerking
        fields = (
            "traceId",
            "spanId",
            "parentSpanId",
            "naam",
            "bewerking",
            "startTijd",
            "eindTijd",
            "statusCode",
            "httpStatus",
            "bron",
            "component",
            "applicatieId",
            "applicatieWeergave",
            "gebruikersId",
            "gebruikersWeergave",
            "verwerkingsactiviteit",
            "subjectSoort",
            "subjectUuid",
            "identificatorSoort",
            "identificatorHash",
        )
        read_only_fields = fields

    def to_representation(self, record):
        # The fields above document the schema; a page of 100 records is built here in one
        # go (DRF's field-by-field walk through `handeling.*` costs more than the query).
        h = record.handeling
        moment = self.fields["startTijd"].to_representation
        return {
            "traceId": h.trace_id,
            "spanId": h.span_id,
            "parentSpanId": h.parent_span_id,
            "naam": h.naam,
            "bewerking": h.bewerking,
            "startTijd": moment(h.start),
            "eindTijd": moment(h.einde),
            "statusCode": "OK" if h.status < 400 else "ERROR",
            "httpStatus": h.status,
            "bron": h.bron,
            "component": h.component,
            "applicatieId": str(h.applicatie_id) if h.applicatie_id else None,
            "applicatieWeergave": h.applicatie_weergave,
            "gebruikersId": h.gebruikers_id,
            "gebruikersWeergave": h.gebruikers_weergave,
            "verwerkingsactiviteit": h.verwerkingsactiviteit,
            "subjectSoort": record.subject_soort,
            "subjectUuid": str(record.subject_uuid),
            "identificatorSoort": record.identificator_soort,
            "identificatorHash": self.get_identificatorHash(record),
        }

    def get_statusCode(self, record) -> str:
        return "OK" if record.handeling.status < 400 else "ERROR"

    def get_identificatorHash(self, record) -> str:
        value = record.identificator_hash
        return bytes(value).hex() if value is not None else ""


def ldv_record(record: Verwerking) -> dict:
    """A record as the Logboek Dataverwerkingen standard names its fields (for shipping to
    a central logbook)."""
    handeling = record.handeling
    attributes = {
        "dpl.core.processing_activity_id": handeling.verwerkingsactiviteit or None,
        "dpl.core.data_subject_id": (
            bytes(record.identificator_hash).hex()
            if record.identificator_hash is not None
            else str(record.subject_uuid)
        ),
        "dpl.core.data_subject_id_type": (
            f"{record.identificator_soort.upper()}-HMAC-SHA256"
            if record.identificator_hash is not None
            else f"{record.subject_soort}-uuid"
        ),
        "dpl.core.subject_uuid": str(record.subject_uuid),
        "dpl.core.operation": handeling.bewerking,
        "dpl.core.application_id": str(handeling.applicatie_id or ""),
        "dpl.core.user_id": handeling.gebruikers_id or None,
    }
    return {
        "trace_id": handeling.trace_id,
        "span_id": handeling.span_id,
        "parent_span_id": handeling.parent_span_id or None,
        "name": handeling.naam,
        "start_time": handeling.start.isoformat(),
        "end_time": handeling.einde.isoformat(),
        "status_code": "OK" if handeling.status < 400 else "ERROR",
        "resource": {"service.name": handeling.bron, "service.version": handeling.component},
        "attributes": {key: value for key, value in attributes.items() if value is not None},
    }
