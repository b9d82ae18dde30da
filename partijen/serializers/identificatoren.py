"""Partij-identificatoren: BSN, RSIN, KvK-nummer and vestigingsnummer of a partij."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from klantinteracties.api.fields import ReferenceField, ResourceUrlField
from klantinteracties.api.serializers import ApiModelSerializer, GroupSerializer

from .. import services
from ..models import (
    CodeObjecttype,
    CodeRegister,
    CodeSoortObjectId,
    PartijIdentificator,
)
from ..validators import (
    OBJECTTYPES_PER_REGISTER,
    SOORT_OBJECT_ID_PER_OBJECTTYPE,
    validate_object_id,
)
from .common import django_to_drf, partij_reference


class PartijIdentificatorGroepTypeSerializer(GroupSerializer):
    codeObjecttype = serializers.ChoiceField(
        source="code_objecttype", choices=CodeObjecttype.choices
    )
    codeSoortObjectId = serializers.ChoiceField(
        source="code_soort_object_id", choices=CodeSoortObjectId.choices
    )
    objectId = serializers.CharField(source="object_id", max_length=200)
    codeRegister = serializers.ChoiceField(source="code_register", choices=CodeRegister.choices)

    afgeschermd = {"objectId": "identificatoren"}

    def run_validation(self, data=serializers.empty):
        # The group is one identification: a PATCH that sends it sends it whole (an objectId
        # alone could pair a new number with the old soort), as in the reference.
        root = self.root
        partial = root.partial
        if data is serializers.empty:
            return super().run_validation(data)
        root.partial = False
        try:
            return super().run_validation(data)
        finally:
            root.partial = partial


# References, one class per contract component name.


@extend_schema_serializer(deprecate_fields=["anderePartijIdentificator"])
class PartijIdentificatorSerializer(ApiModelSerializer):
    uuid = serializers.UUIDField(required=False)
    url = ResourceUrlField(resource="partij-identificatoren")
    identificeerdePartij = partij_reference(source="partij", required=False, allow_null=True)
    partijIdentificator = PartijIdentificatorGroepTypeSerializer(required=True)
    subIdentificatorVan = ReferenceField(
        resource="partij-identificatoren",
        queryset=PartijIdentificator.objects.all(),
        source="sub_identificator_van",
        required=False,
        allow_null=True,
    )

    prefetch = ("partij", "sub_identificator_van")

    class Meta:
        model = PartijIdentificator
        fields = (
            "uuid",
            "url",
            "identificeerdePartij",
            "andere_partij_identificator",
            "partijIdentificator",
            "subIdentificatorVan",
        )
        # Uniqueness (also under a subIdentificatorVan) is checked in validate().
        validators = []

    def to_internal_value(self, data):
        validated = super().to_internal_value(data)
        # The uuid is the resource's own; it only selects an existing identificator in a
        # partij's nested list.
        if not self.parent:
            validated.pop("uuid", None)
        return validated

    def validate(self, attrs):
        instance = getattr(self, "instance", None) if not self.parent else None

        def current(field):
            if field in attrs:
                return attrs[field]
            return getattr(instance, field, None) if instance else None

        register = current("code_register")
        objecttype = current("code_objecttype")
        soort = current("code_soort_object_id")
        object_id = current("object_id")
        group_errors = {}
        if register and objecttype and objecttype not in OBJECTTYPES_PER_REGISTER[register]:
            group_errors["codeObjecttype"] = [
                serializers.ErrorDetail(
                    f"Objecttype {objecttype} komt niet voor in register {register}.",
                    code="invalid",
                )
            ]
        elif objecttype and soort and soort not in SOORT_OBJECT_ID_PER_OBJECTTYPE[objecttype]:
            group_errors["codeSoortObjectId"] = [
                serializers.ErrorDetail(
                    f"Soort object-id {soort} hoort niet bij objecttype {objecttype}.",
                    code="invalid",
                )
            ]
        if soort and object_id is not None:
            try:
                validate_object_id(soort, object_id)
            except DjangoValidationError as exc:
                group_errors["objectId"] = django_to_drf(exc)
        if group_errors:
            raise serializers.ValidationError({"partijIdentificator": group_errors})

        parent = current("sub_identificator_van")
        # Required for a new or changed vestigingsnummer (one stored without its KvK-nummer
        # by an earlier version may be sent back as it is). In a partij's nested list the
        # service checks it, knowing which stored identificator an item updates.
        if (
            parent is None
            and soort == CodeSoortObjectId.VESTIGINGSNUMMER
            and not services.stored_orphan(instance, object_id)
            and not self.parent
        ):
            raise serializers.ValidationError(
                {
                    "subIdentificatorVan": [
                        serializers.ErrorDetail(services.VESTIGING_ZONDER_KVK, code="required")
                    ]
                }
            )
        if parent is not None:
            if soort != CodeSoortObjectId.VESTIGINGSNUMMER or (
                parent.code_soort_object_id != CodeSoortObjectId.KVK_NUMMER
            ):
                raise serializers.ValidationError(
                    {
                        "subIdentificatorVan": [
                            serializers.ErrorDetail(services.SUB_ALLEEN_ONDER_KVK, code="invalid")
                        ]
                    }
                )
        if not self.parent and soort and object_id:
            services.check_identificator_unique(
                code_soort_object_id=soort,
                object_id=object_id,
                sub_identificator_van=parent,
                exclude=instance,
            )
        return attrs

    def create(self, validated_data):
        return services.partij_identificator_save(data=validated_data)

    def update(self, instance, validated_data):
        return services.partij_identificator_save(instance=instance, data=validated_data)


class WholeItemsListSerializer(serializers.ListSerializer):
    """A nested list that replaces the related rows: each item is a whole object, so it is
    validated in full also in a PATCH of the parent (DRF would make its fields optional)."""

    def run_child_validation(self, data):
        root = self.root
        partial = root.partial
        root.partial = False
        try:
            return super().run_child_validation(data)
        finally:
            root.partial = partial
