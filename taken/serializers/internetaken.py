"""Serializer of interne taken; writes go through taken.services."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from klantinteracties.api.expand import Expandable
from klantinteracties.api.fields import ResourceUrlField
from klantinteracties.api.serializers import ApiModelSerializer
from klantinteracties.common.serializers import ReferentienummerField
from klantinteracties.nummers import client_nummer

from .. import services
from ..models import InterneTaak, Status
from .actoren import LenientReferenceField, actor_reference, klantcontact_reference


@extend_schema_serializer(deprecate_fields=["nummer", "toegewezenAanActor"])
class InterneTaakSerializer(ApiModelSerializer):
    uuid = serializers.UUIDField(
        read_only=True, help_text="Unieke (technische) identificatiecode van de interne taak."
    )
    url = ResourceUrlField(
        resource="internetaken", help_text="De unieke URL van deze interne taak binnen deze API."
    )
    nummer = serializers.CharField(
        max_length=10,
        required=False,
        allow_null=True,
        allow_blank=True,
        validators=[UniqueValidator(InterneTaak.objects.all(), message="Dit nummer bestaat al.")],
        help_text="**DEPRECATED** Uniek identificerend nummer dat tijdens communicatie tussen "
        "mensen kan worden gebruikt om de specifieke interne taak aan te duiden. Wordt "
        "gegenereerd als het ontbreekt of leeg is.",
    )
    referentienummer = ReferentienummerField(
        model=InterneTaak,
        message="Er bestaat al een interne taak met dit referentienummer.",
        help_text="Uniek identificerend referentienummer dat tijdens communicatie tussen mensen "
        "kan worden gebruikt om de specifieke interne taak aan te duiden.",
    )
    aanleidinggevendKlantcontact = klantcontact_reference(
        source="klantcontact", help_text="Klantcontact dat leidde tot een interne taak."
    )
    toegewezenAanActor = actor_reference(
        field_class=LenientReferenceField,
        source="toegewezen_aan_actor",
        required=False,
        help_text="Eerste actor die een interne taak toegewezen kreeg.",
    )
    toegewezenAanActoren = actor_reference(
        source="toegewezen_aan_actoren",
        many=True,
        required=False,
        help_text="Actoren die een interne taak toegewezen kreeg.",
    )

    # The klantcontact reference and the assigned actoren, in assignment order.
    prefetch = ("klantcontact", "toewijzingen__actor")
    # A work list with its actoren and the contact that led to each taak, in one request.
    expandable = {
        "aanleidinggevendKlantcontact": Expandable(
            "klantcontacten.serializers.KlantcontactSerializer", lookup="klantcontact", many=False
        ),
        "toegewezenAanActoren": Expandable(
            "taken.serializers.ActorSerializer",
            lookup="toewijzingen",
            attribute="actor",
            relation="toegewezen_aan_actoren",
        ),
    }

    class Meta:
        model = InterneTaak
        fields = (
            "uuid",
            "url",
            "nummer",
            "referentienummer",
            "gevraagde_handeling",
            "aanleidinggevendKlantcontact",
            "toegewezenAanActor",
            "toegewezenAanActoren",
            "toelichting",
            "status",
            "toegewezen_op",
            "afgehandeld_op",
        )
        extra_kwargs = {
            "gevraagde_handeling": {
                "help_text": "Handeling die moet worden uitgevoerd om de taak af te ronden."
            },
            "status": {
                "help_text": "Aanduiding van de vordering bij afhandeling van de interne taak."
            },
            "toegewezen_op": {
                "help_text": "Datum en tijdstip waarop de interne taak aan een actor werd "
                "toegewezen."
            },
            "afgehandeld_op": {
                "help_text": "Datum en tijdstip wanneer de interne taak was afgehandeld: "
                "EXPERIMENTEEL."
            },
        }

    def validate_nummer(self, value):
        # No nummer given: one is generated (or the current one kept).
        return client_nummer(value, getattr(self.instance, "nummer", None))

    def _actoren(self, attrs) -> tuple[list | None, str]:
        """The new assignment and the wire name it came from; None: leave it as it is."""
        actoren = attrs.pop("toegewezen_aan_actoren", None)
        actor = attrs.pop("toegewezen_aan_actor", None)
        # toegewezenAanActoren wins; the deprecated single actor is used only without it.
        if actoren:
            return actoren, "toegewezenAanActoren"
        if actor is not None:
            return [actor], "toegewezenAanActor"
        given = [
            name
            for name in ("toegewezenAanActoren", "toegewezenAanActor")
            if self.initial_data.get(name) is not None
        ]
        if self.partial and not given:
            return None, ""
        raise serializers.ValidationError(
            {
                "toegewezenAanActoren": [
                    serializers.ErrorDetail(
                        "Wijs de interne taak toe aan minstens één actor (toegewezenAanActoren).",
                        code="required",
                    )
                ]
            }
        )

    def validate(self, attrs):
        actoren, _ = self._actoren(attrs)
        if actoren is not None:
            attrs["actoren"] = actoren

        status = attrs.get("status", getattr(self.instance, "status", None))
        if attrs.get("afgehandeld_op") is not None and status != Status.VERWERKT:
            raise serializers.ValidationError(
                {
                    "afgehandeldOp": [
                        serializers.ErrorDetail(
                            f"Een interne taak met status '{status}' heeft geen afgehandeldOp; "
                            f"alleen status '{Status.VERWERKT}' heeft die.",
                            code="invalid",
                        )
                    ]
                }
            )
        return attrs

    def create(self, validated_data):
        return services.internetaak_create(**validated_data)

    def update(self, instance, validated_data):
        return services.internetaak_update(internetaak=instance, **validated_data)
