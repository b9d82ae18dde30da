"""Serializers of actoren (polymorphic on soortActor) and actorklantcontacten."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from klantcontacten.models import Klantcontact
from klantinteracties.api.fields import ReferenceField, ResourceUrlField
from klantinteracties.api.schema import discriminator_pin
from klantinteracties.api.serializers import ApiModelSerializer, reused_serializer
from klantinteracties.common.serializers import IdentificatorSerializer
from klantinteracties.common.validators import geen_servicenummer, telefoonnummer_validator

from ..models import Actor, ActorKlantcontact, SoortActor


class ActoridentificatorSerializer(IdentificatorSerializer):
    pass


class ActorIdentificatieSerializer(serializers.Serializer):
    """Base of the per-soort identificaties: stored as columns of the actor itself.

    Keys that belong to another soort (a faxnummer for a medewerker) are a 400, so a client
    that sends the wrong shape hears about it instead of losing data.
    """

    def validate_telefoonnummer(self, value):
        # 0800 and 0900 numbers are refused, as for digitale adressen; one stored by an
        # earlier version may be sent back as it is.
        if value and value != getattr(self.instance, "telefoonnummer", None):
            try:
                geen_servicenummer(value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages[0], code="invalid") from exc
        return value

    def to_internal_value(self, data):
        errors = {}
        if isinstance(data, dict):
            for key in sorted(set(data) - set(self.fields)):
                errors[key] = [
                    serializers.ErrorDetail(
                        "Dit veld hoort niet bij de actorIdentificatie van deze soortActor.",
                        code="invalid",
                    )
                ]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            errors.update(exc.detail)
        if errors:
            raise serializers.ValidationError(errors)
        return value


def _functie(**kwargs):
    return serializers.CharField(
        max_length=40,
        help_text="Functie van de geautomatiseerde actor of beschrijving van de werkzaamheden "
        "die deze uitvoert.",
        **kwargs,
    )


def _emailadres():
    return serializers.EmailField(max_length=254, required=False, allow_blank=True)


def _telefoonnummer(required=False):
    return serializers.CharField(
        max_length=20,
        validators=[telefoonnummer_validator],
        required=required,
        allow_blank=not required,
    )


def _omschrijving():
    return serializers.CharField(max_length=200, required=False, allow_blank=True)


class MedewerkerSerializer(ActorIdentificatieSerializer):
    functie = _functie()
    emailadres = _emailadres()
    telefoonnummer = _telefoonnummer(required=True)


class GeautomatiseerdeActorSerializer(ActorIdentificatieSerializer):
    functie = _functie()
    omschrijving = _omschrijving()


class OrganisatorischeEenheidSerializer(ActorIdentificatieSerializer):
    omschrijving = _omschrijving()
    emailadres = _emailadres()
    faxnummer = serializers.CharField(max_length=20, required=False, allow_blank=True)
    telefoonnummer = _telefoonnummer()


# soortActor -> the shape of its actorIdentificatie.
IDENTIFICATIE_SERIALIZERS = {
    SoortActor.MEDEWERKER: MedewerkerSerializer,
    SoortActor.GEAUTOMATISEERDE_ACTOR: GeautomatiseerdeActorSerializer,
    SoortActor.ORGANISATORISCHE_EENHEID: OrganisatorischeEenheidSerializer,
}
# An actorIdentificatie that was not sent (not the same as `null`).
NOT_GIVEN = object()
IDENTIFICATIE_COLUMNS = ("functie", "omschrijving", "emailadres", "telefoonnummer", "faxnummer")


class ActorIdentificatieField(serializers.Field):
    """`actorIdentificatie`, whose shape depends on `soortActor` (validated in the parent)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(source="*", **kwargs)

    def to_representation(self, instance):
        soort = instance.soort_actor
        serializer_class = IDENTIFICATIE_SERIALIZERS[soort]
        # An actor without any identificatie value has none: null, as the reference says.
        if not any(getattr(instance, name) for name in serializer_class._declared_fields):
            return None
        serializer = reused_serializer(self, soort, lambda: serializer_class(context=self.context))
        return serializer.to_representation(instance)

    def to_internal_value(self, data):
        return {"_actor_identificatie": data}

    def validate_empty_values(self, data):
        # `null` is "no identificatie".
        if data is None:
            return True, {"_actor_identificatie": None}
        return super().validate_empty_values(data)


class ActorSerializer(ApiModelSerializer):
    uuid = serializers.UUIDField(
        read_only=True, help_text="Unieke (technische) identificatiecode van de actor."
    )
    url = ResourceUrlField(
        resource="actoren", help_text="De unieke URL van deze actor binnen deze API."
    )
    actoridentificator = ActoridentificatorSerializer(
        prefix="actoridentificator_",
        allow_null=True,
        help_text="Gegevens die een actorwerpobject in een extern register uniek identificeren.",
    )
    actorIdentificatie = ActorIdentificatieField()

    class Meta:
        model = Actor
        fields = (
            "uuid",
            "url",
            "naam",
            "soort_actor",
            "indicatie_actief",
            "actoridentificator",
            "actorIdentificatie",
        )
        extra_kwargs = {
            "naam": {"help_text": "Naam van de actor."},
            "soort_actor": {"help_text": "Geeft aan van welke specifieke soort actor sprake is."},
            "indicatie_actief": {
                "help_text": "Geeft aan of aan de actor nog betrokken mag worden bij nieuwe "
                "klantcontacten. Voor niet-actieve is dit niet toegestaan."
            },
        }

    def validate(self, attrs):
        instance = self.instance
        soort = attrs.get("soort_actor", getattr(instance, "soort_actor", None))
        raw = attrs.pop("_actor_identificatie", NOT_GIVEN)
        serializer_class = IDENTIFICATIE_SERIALIZERS[soort]
        own = serializer_class._declared_fields
        if raw is NOT_GIVEN or raw is None or raw == {}:
            # No identificatie (KISS registers its medewerkers so): nothing is required. A
            # create, `null` or a new soort has none; an update of the same soort without
            # one keeps what is stored.
            keep = raw is NOT_GIVEN and instance is not None and soort == instance.soort_actor
            attrs.update(
                {
                    column: getattr(instance, column) if keep and column in own else ""
                    for column in IDENTIFICATIE_COLUMNS
                }
            )
            return attrs
        soort_changed = instance is not None and soort != instance.soort_actor
        partial = bool(self.partial and instance is not None and not soort_changed)
        identificatie = serializer_class(instance, data=raw, partial=partial, context=self.context)
        if not identificatie.is_valid():
            raise serializers.ValidationError({"actorIdentificatie": identificatie.errors})
        values = identificatie.validated_data
        if partial:
            attrs.update(values)
        else:
            # Columns of other soorten are cleared: they do not belong to this actor.
            attrs.update({column: values.get(column, "") for column in IDENTIFICATIE_COLUMNS})
        return attrs


class ActorSerializerExtension(OpenApiSerializerExtension):
    """Documents `Actor` as the contract does: a oneOf on `soortActor`.

    Components: `Base_ActorSerializer` (the common fields), per soort the identificatie
    (`Medewerker`), its wrapper `actor_identificatie_Medewerker` and
    `medewerker_ActorSerializer` = allOf(base, wrapper).
    """

    target_class = ActorSerializer

    def _register(self, auto_schema, name: str, schema: dict) -> dict:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref

    def map_serializer(self, auto_schema, direction):
        base = ActorSerializer(context=getattr(self.target, "context", {}))
        del base.fields["actorIdentificatie"]
        base_schema = auto_schema._map_basic_serializer(base, direction)
        base_ref = self._register(auto_schema, "Base_ActorSerializer", base_schema)

        one_of, mapping = [], {}
        for soort, serializer_class in IDENTIFICATIE_SERIALIZERS.items():
            identificatie = auto_schema.resolve_serializer(serializer_class(), direction)
            wrapper_name = f"actor_identificatie_{identificatie.name}"
            wrapper_ref = self._register(
                auto_schema,
                wrapper_name,
                {
                    "type": "object",
                    "properties": {
                        # null for an actor without identificatie values, as the reference.
                        "actorIdentificatie": {"allOf": [identificatie.ref], "nullable": True}
                    },
                },
            )
            ref = self._register(
                auto_schema,
                f"{soort.value}_ActorSerializer",
                {"allOf": [base_ref, wrapper_ref, discriminator_pin("soortActor", soort.value)]},
            )
            one_of.append(ref)
            mapping[soort.value] = ref["$ref"]
        return {
            "oneOf": one_of,
            "discriminator": {"propertyName": "soortActor", "mapping": mapping},
        }


class LenientReferenceField(ReferenceField):
    """Accepts `null` as "not given" (real clients send it) without documenting it as nullable."""

    def validate_empty_values(self, data):
        if data is None:
            return True, None
        return super().validate_empty_values(data)


def actor_reference(field_class=ReferenceField, **kwargs) -> ReferenceField:
    return field_class(resource="actoren", queryset=Actor.objects.all(), **kwargs)


def klantcontact_reference(**kwargs) -> ReferenceField:
    return ReferenceField(resource="klantcontacten", queryset=Klantcontact.objects.all(), **kwargs)


class ActorKlantcontactSerializer(ApiModelSerializer):
    uuid = serializers.UUIDField(
        read_only=True, help_text="Unieke (technische) identificatiecode van de actor klantcontact."
    )
    url = ResourceUrlField(
        resource="actorklantcontacten",
        help_text="De unieke URL van deze actor klantcontact binnen deze API.",
    )
    actor = actor_reference(help_text="De gekoppelde 'Actor'.")
    klantcontact = klantcontact_reference(help_text="De gekoppelde 'Klantcontact'.")

    # FK references rendered on every item.
    prefetch = ("actor", "klantcontact")

    class Meta:
        model = ActorKlantcontact
        fields = ("uuid", "url", "actor", "klantcontact")
