"""Serializers of the klantcontacten register.

Serializers of other registers are referenced by dotted path only (`expandable`, the actor
list), so this module never imports `partijen.serializers` or `taken`.
"""

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.module_loading import import_string
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.validators import ProhibitSurrogateCharactersValidator, UniqueValidator

from klantinteracties.api.expand import Expandable, related_uuids
from klantinteracties.api.fields import ReferenceField, ResourceUrlField
from klantinteracties.api.serializers import ApiModelSerializer, reused_serializer
from klantinteracties.common.serializers import (
    AdresSerializer,
    ContactnaamSerializer,
    IdentificatorSerializer,
    ReferentienummerField,
)
from klantinteracties.common.validators import taal_validator
from klantinteracties.nummers import client_nummer
from partijen.models import Partij

from .models import Betrokkene, Bijlage, Klantcontact, Onderwerpobject
from .services import klantcontact_create, klantcontact_register

ACTOR_SERIALIZER = "taken.serializers.ActorSerializer"


class StrictCharField(serializers.CharField):
    """A string that must be sent as a JSON string (no silent `5` -> `"5"`)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class MetadataField(serializers.DictField):
    """Generic key/value metadata: string keys, string values of at most 255 characters."""

    child = StrictCharField(max_length=255, allow_blank=True)
    # PostgreSQL's jsonb takes neither NUL nor a lone surrogate, in keys as in values.
    key_validators = (ProhibitNullCharactersValidator(), ProhibitSurrogateCharactersValidator())

    def to_internal_value(self, data):
        if isinstance(data, dict):
            for key in data:
                for validator in self.key_validators:
                    validator(str(key))
        return super().to_internal_value(data)

    def validate_empty_values(self, data):
        # Real clients send `null` for "no metadata".
        if data is None:
            return True, {}
        return super().validate_empty_values(data)


class BezoekadresSerializer(AdresSerializer):
    pass


class BetrokkeneCorrespondentieadresSerializer(AdresSerializer):
    pass


class OnderwerpobjectidentificatorSerializer(IdentificatorSerializer):
    pass


class BijlageIdentificatorSerializer(IdentificatorSerializer):
    pass


@extend_schema_serializer(deprecate_fields=["nummer"])
class KlantcontactSerializer(ApiModelSerializer):
    url = ResourceUrlField("klantcontacten")
    # Deprecated in the contract, but the VNG model makes it mandatory: generated when absent.
    nummer = serializers.CharField(
        max_length=10,
        required=False,
        allow_null=True,
        allow_blank=True,
        validators=[UniqueValidator(queryset=Klantcontact.objects.all())],
        help_text="**DEPRECATED** Uniek identificerend nummer dat tijdens communicatie tussen "
        "mensen kan worden gebruikt om het specifieke klantcontact aan te duiden.",
    )
    referentienummer = ReferentienummerField(
        model=Klantcontact,
        message="Er bestaat al een klantcontact met dit referentienummer.",
    )
    taal = serializers.CharField(max_length=3)
    hoofdOnderwerpType = serializers.URLField(
        source="hoofd_onderwerp_type", max_length=200, required=False, allow_blank=True
    )
    metadata = MetadataField(required=False)
    hadBetrokkenen = ReferenceField(
        "betrokkenen",
        source="betrokkenen",
        uuid_array="betrokkenen_uuids",
        many=True,
        read_only=True,
    )
    hadBetrokkenActoren = serializers.SerializerMethodField(method_name="get_had_betrokken_actoren")
    omvatteBijlagen = ReferenceField(
        "bijlagen", source="bijlagen", uuid_array="bijlagen_uuids", many=True, read_only=True
    )
    gingOverOnderwerpobjecten = ReferenceField(
        "onderwerpobjecten",
        source="onderwerpobjecten",
        uuid_array="onderwerpobjecten_uuids",
        many=True,
        read_only=True,
    )
    leiddeTotInterneTaken = ReferenceField(
        "internetaken",
        source="internetaken",
        uuid_array="internetaken_uuids",
        many=True,
        read_only=True,
    )

    expandable = {
        "hadBetrokkenen": Expandable(
            "klantcontacten.serializers.BetrokkeneSerializer", lookup="betrokkenen"
        ),
        "gingOverOnderwerpobjecten": Expandable(
            "klantcontacten.serializers.OnderwerpobjectSerializer", lookup="onderwerpobjecten"
        ),
        "omvatteBijlagen": Expandable(
            "klantcontacten.serializers.BijlageSerializer", lookup="bijlagen"
        ),
        "leiddeTotInterneTaken": Expandable(
            "taken.serializers.InterneTaakSerializer", lookup="internetaken"
        ),
        # A conversation: the klantcontacten that went over this one (an onderwerpobject of
        # theirs has it as wasKlantcontact), in the order of those onderwerpobjecten.
        "vervolgKlantcontacten": Expandable(
            "klantcontacten.serializers.KlantcontactSerializer",
            lookup="was_onderwerpobjecten",
            attribute="klantcontact",
            relation="vervolg_klantcontacten",
        ),
    }
    # Reference lists read as uuid arrays by the klantcontacten views (one query, not four).
    uuid_arrays = {
        "betrokkenen_uuids": related_uuids(Klantcontact, "betrokkenen"),
        "onderwerpobjecten_uuids": related_uuids(Klantcontact, "onderwerpobjecten"),
        "bijlagen_uuids": related_uuids(Klantcontact, "bijlagen"),
        "internetaken_uuids": related_uuids(Klantcontact, "internetaken"),
    }
    # The actors are objects of the taken register: not for an application that may not
    # read it (as an expand into it).
    afgeschermd = {
        "inhoud": "contactinhoud",
        "reactie": "contactinhoud",
        "hadBetrokkenActoren": "register:taken",
    }
    # The reference lists and the full actors are rendered from prefetched relations.
    prefetch = (
        "betrokkenen",
        "onderwerpobjecten",
        "bijlagen",
        "internetaken",
        "actorklantcontacten__actor",
    )

    class Meta:
        model = Klantcontact
        fields = (
            "uuid",
            "url",
            "gingOverOnderwerpobjecten",
            "hadBetrokkenActoren",
            "omvatteBijlagen",
            "hadBetrokkenen",
            "leiddeTotInterneTaken",
            "nummer",
            "kanaal",
            "onderwerp",
            "hoofdOnderwerpType",
            "inhoud",
            "reactie",
            "indicatie_contact_gelukt",
            "taal",
            "vertrouwelijk",
            "verdere_actie_ondernomen",
            "plaatsgevonden_op",
            "referentienummer",
            "metadata",
        )
        # The contract's default; a PUT without it sets it back to false.
        extra_kwargs = {"uuid": {"read_only": True}, "verdere_actie_ondernomen": {"default": False}}

    @extend_schema_field(
        {"type": "array", "items": {"$ref": "#/components/schemas/Actor"}, "readOnly": True}
    )
    def get_had_betrokken_actoren(self, instance) -> list:
        try:
            actor_serializer = import_string(ACTOR_SERIALIZER)
        except ImportError:
            # The taken register is not installed (yet): no actors to show.
            return []
        actoren = [link.actor for link in instance.actorklantcontacten.all()]
        serializer = reused_serializer(
            self, "actoren", lambda: actor_serializer(context=self.context)
        )
        return [serializer.to_representation(actor) for actor in actoren]

    def validate_nummer(self, value):
        return client_nummer(value, getattr(self.instance, "nummer", None))

    def validate_taal(self, value):
        taal_validator(value)
        return value

    def validate(self, attrs):
        if "nummer" in attrs and attrs["nummer"] is None:
            del attrs["nummer"]
        self._check_verdere_actie(attrs)
        return attrs

    def _check_verdere_actie(self, attrs):
        # A contact that succeeded needs no further action, as the reference enforces. Judged
        # with the stored value of the other field; a stored pair is not judged again.
        if not {"indicatie_contact_gelukt", "verdere_actie_ondernomen"} & set(attrs):
            return
        instance = self.instance

        def value(name):
            return attrs[name] if name in attrs else getattr(instance, name, None)

        if value("indicatie_contact_gelukt") is True and value("verdere_actie_ondernomen"):
            raise serializers.ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        serializers.ErrorDetail(
                            "Als het contact gelukt is kan er geen verdere actie zijn "
                            "ondernomen (indicatieContactGelukt en verdereActieOndernomen).",
                            code="no-further-action-when-contact-succesful",
                        )
                    ]
                }
            )

    def create(self, validated_data):
        return self.created(klantcontact_create(**validated_data))


class BetrokkeneSerializer(ApiModelSerializer):
    url = ResourceUrlField("betrokkenen")
    wasPartij = ReferenceField(
        "partijen",
        source="partij",
        queryset=Partij.objects.all(),
        required=False,
        allow_null=True,
    )
    hadKlantcontact = ReferenceField(
        "klantcontacten", source="klantcontact", queryset=Klantcontact.objects.all()
    )
    bezoekadres = BezoekadresSerializer(prefix="bezoekadres_", allow_null=True)
    correspondentieadres = BetrokkeneCorrespondentieadresSerializer(
        prefix="correspondentieadres_", allow_null=True
    )
    contactnaam = ContactnaamSerializer(prefix="contactnaam_", allow_null=True)
    volledigeNaam = serializers.CharField(source="volledige_naam", read_only=True)
    digitaleAdressen = ReferenceField(
        "digitaleadressen", source="digitaleadressen", many=True, read_only=True
    )

    expandable = {
        "digitaleAdressen": Expandable(
            "partijen.serializers.DigitaalAdresSerializer", lookup="digitaleadressen"
        ),
        "wasPartij": Expandable(
            "partijen.serializers.PartijSerializer", lookup="partij", many=False
        ),
        "hadKlantcontact": Expandable(
            "klantcontacten.serializers.KlantcontactSerializer",
            lookup="klantcontact",
            many=False,
        ),
    }
    # Reference fields read the related objects' uuids: prefetched, one query per relation.
    prefetch = ("digitaleadressen", "partij", "klantcontact")
    afgeschermd = {"bezoekadres": "adressen", "correspondentieadres": "adressen"}

    class Meta:
        model = Betrokkene
        fields = (
            "uuid",
            "url",
            "wasPartij",
            "hadKlantcontact",
            "digitaleAdressen",
            "bezoekadres",
            "correspondentieadres",
            "contactnaam",
            "volledigeNaam",
            "rol",
            "organisatienaam",
            "initiator",
        )
        extra_kwargs = {"uuid": {"read_only": True}}

    def create(self, validated_data):
        return self.created(super().create(validated_data))


class BetrokkeneKlantcontactReadOnlySerializer(BetrokkeneSerializer):
    """A betrokkene inside `maak-klantcontact`: the klantcontact is the one being made."""

    hadKlantcontact = ReferenceField("klantcontacten", source="klantcontact", read_only=True)


class OnderwerpobjectSerializer(ApiModelSerializer):
    url = ResourceUrlField("onderwerpobjecten")
    klantcontact = ReferenceField(
        "klantcontacten",
        queryset=Klantcontact.objects.all(),
        required=False,
        allow_null=True,
    )
    wasKlantcontact = ReferenceField(
        "klantcontacten",
        source="was_klantcontact",
        queryset=Klantcontact.objects.all(),
        required=False,
        allow_null=True,
    )
    onderwerpobjectidentificator = OnderwerpobjectidentificatorSerializer(
        prefix="onderwerpobjectidentificator_", allow_null=True
    )

    prefetch = ("klantcontact", "was_klantcontact")

    class Meta:
        model = Onderwerpobject
        fields = ("uuid", "url", "klantcontact", "wasKlantcontact", "onderwerpobjectidentificator")
        extra_kwargs = {"uuid": {"read_only": True}}


class OnderwerpobjectKlantcontactReadOnlySerializer(OnderwerpobjectSerializer):
    """An onderwerpobject inside `maak-klantcontact`: it is about the klantcontact being made."""

    klantcontact = ReferenceField("klantcontacten", read_only=True, allow_null=True)


class BijlageSerializer(ApiModelSerializer):
    url = ResourceUrlField("bijlagen")
    wasBijlageVanKlantcontact = ReferenceField(
        "klantcontacten",
        source="klantcontact",
        queryset=Klantcontact.objects.all(),
        required=False,
        allow_null=True,
    )
    bijlageidentificator = BijlageIdentificatorSerializer(
        prefix="bijlageidentificator_", allow_null=True
    )

    prefetch = ("klantcontact",)
    afgeschermd = {"bijlageidentificator": "contactinhoud"}

    class Meta:
        model = Bijlage
        fields = ("uuid", "url", "wasBijlageVanKlantcontact", "bijlageidentificator")
        extra_kwargs = {"uuid": {"read_only": True}}


class MaakKlantcontactSerializer(serializers.Serializer):
    """One klantcontact with, optionally, its betrokkene and onderwerpobject: all or nothing."""

    klantcontact = KlantcontactSerializer()
    # Real clients send `null` for a part they leave out, and read `null` back for it: the
    # response always has all three keys.
    betrokkene = BetrokkeneKlantcontactReadOnlySerializer(required=False, allow_null=True)
    onderwerpobject = OnderwerpobjectKlantcontactReadOnlySerializer(required=False, allow_null=True)

    def to_internal_value(self, data):
        # `{}` for a part is none of it, as in the reference (an empty onderwerpobject would
        # otherwise be made).
        if isinstance(data, dict):
            data = {
                key: None if key in ("betrokkene", "onderwerpobject") and value == {} else value
                for key, value in data.items()
            }
        return super().to_internal_value(data)

    def create(self, validated_data):
        registratie = klantcontact_register(
            klantcontact=validated_data["klantcontact"],
            betrokkene=validated_data.get("betrokkene"),
            onderwerpobject=validated_data.get("onderwerpobject"),
            # The view's transaction covers the request: all or nothing without a savepoint.
            savepoint=False,
        )
        # What the new objects refer to is known: the response needs no queries.
        betrokkene, onderwerpobject = registratie.betrokkene, registratie.onderwerpobject
        KlantcontactSerializer.created(
            registratie.klantcontact,
            betrokkenen=[betrokkene] if betrokkene is not None else [],
            onderwerpobjecten=[onderwerpobject] if onderwerpobject is not None else [],
        )
        if betrokkene is not None:
            BetrokkeneKlantcontactReadOnlySerializer.created(betrokkene)
        return registratie

    def to_representation(self, instance):
        # `instance` is the registration result: klantcontact, betrokkene, onderwerpobject.
        # The nested serializers of the request body render the parts (no new field sets).
        fields = self.fields
        return {
            name: None if part is None else fields[name].to_representation(part)
            for name, part in (
                ("klantcontact", instance.klantcontact),
                ("betrokkene", instance.betrokkene),
                ("onderwerpobject", instance.onderwerpobject),
            )
        }


class OnderwerpobjectDeleteResponseSerializer(serializers.Serializer):
    behouden = serializers.ListField(
        child=serializers.URLField(help_text="URL van een overgebleven Klantcontact resource"),
        help_text="Lijst van Klantcontact URLs die behouden blijven",
    )
