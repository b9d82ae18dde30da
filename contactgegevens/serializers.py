"""Persoon and Organisatie, each with its `adres` gegevensgroep stored as `adres_*` columns."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from klantinteracties.api.fields import ResourceUrlField
from klantinteracties.api.serializers import ApiModelSerializer, GroupSerializer

from .models import Organisatie, Persoon
from .validators import nummeraanduiding_validator, postcode_validator, validate_land

API = "contactgegevens"


@extend_schema_field(
    {"type": "string", "format": "uri", "readOnly": True, "minLength": 1, "maxLength": 1000}
)
class UrlField(ResourceUrlField):
    """The resource's own url, documented as the contract does."""


class AdresSerializer(GroupSerializer):
    # `"adres": null` clears the address; a sub-field left out is left as it is.

    nummeraanduidingId = serializers.CharField(
        allow_blank=True,
        source="nummeraanduiding_id",
        max_length=16,
        required=False,
        validators=[nummeraanduiding_validator],
        help_text="Identificatie van het adres bij de Basisregistratie Adressen en Gebouwen.",
    )
    straatnaam = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="Straatnaam van het adres (indien het een Nederlands adres betreft zonder "
        "BAG-id).",
    )
    huisnummer = serializers.IntegerField(
        min_value=1,
        max_value=99999,
        required=False,
        allow_null=True,
        help_text="Huisnummer van het adres (indien het een Nederlands adres betreft zonder "
        "BAG-id).",
    )
    huisnummertoevoeging = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="Huisnummertoevoeging van het adres (indien het een Nederlands adres betreft "
        "zonder BAG-id).",
    )
    postcode = serializers.CharField(
        allow_blank=True,
        max_length=7,
        required=False,
        validators=[postcode_validator],
        help_text="Postcode van het adres (indien het een Nederlands adres betreft zonder BAG-id).",
    )
    stad = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="Stad van het adres (indien het een Nederlands adres betreft zonder BAG-id).",
    )
    adresregel1 = serializers.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        help_text="Eerste deel van het adres dat niet voorkomt in de Basisregistratie Adressen "
        "en Gebouwen.",
    )
    adresregel2 = serializers.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        help_text="Tweede deel van het adres dat niet voorkomt in de Basisregistratie Adressen "
        "en Gebouwen.",
    )
    adresregel3 = serializers.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        help_text="Derde deel van het adres dat niet voorkomt in de Basisregistratie Adressen "
        "en Gebouwen.",
    )
    land = serializers.CharField(
        allow_blank=True,
        min_length=2,
        max_length=2,
        required=False,
        validators=[validate_land],
        help_text="ISO 3166-code die het land (buiten Nederland) aangeeft alwaar de "
        "ingeschrevene verblijft.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "adres_")
        kwargs.setdefault("allow_null", True)
        super().__init__(*args, **kwargs)

    def validate_empty_values(self, data):
        # `"adres": null` removes the whole address.
        if data is None:
            return True, {
                f"{self.prefix}{field.source}": None if field.allow_null else ""
                for field in self.fields.values()
            }
        return super().validate_empty_values(data)


class OrganisatieAdresSerializer(AdresSerializer):
    """Het adres van een organisatie."""


class PersoonAdresSerializer(AdresSerializer):
    """Het adres van een persoon."""


def check_not_before(serializer, attrs: dict, earlier: str, later: str, message: str) -> None:
    """`later` may not precede `earlier`; on PATCH the stored value fills in the missing one."""
    instance = serializer.instance

    def value(name):
        if name in attrs:
            return attrs[name]
        return getattr(instance, name, None) if instance is not None else None

    first, second = value(earlier), value(later)
    if first is not None and second is not None and second < first:
        # Name the field the client sent; if only the earlier one changed, blame that one.
        field = later if later in attrs or earlier not in attrs else earlier
        raise serializers.ValidationError({field: [message]}, code="invalid")


class OrganisatieSerializer(ApiModelSerializer):
    """De contactgegevens van een organisatie."""

    url = UrlField(resource="organisatie", api=API, help_text="De unieke URL van deze organisatie.")
    adres = OrganisatieAdresSerializer(help_text="De adres gegevens van een organisatie.")

    afgeschermd = {"adres": "adressen"}

    class Meta:
        model = Organisatie
        fields = ("uuid", "url", "handelsnaam", "oprichtingsdatum", "opheffingsdatum", "adres")
        extra_kwargs = {
            "uuid": {"help_text": "Unieke (technische) identificatiecode van de organisatie."},
            "oprichtingsdatum": {"required": False},
            "opheffingsdatum": {"required": False},
        }

    def validate(self, attrs):
        check_not_before(
            self,
            attrs,
            "oprichtingsdatum",
            "opheffingsdatum",
            "De opheffingsdatum mag niet vóór de oprichtingsdatum liggen.",
        )
        return attrs


class PersoonSerializer(ApiModelSerializer):
    """De contactgegevens van een persoon."""

    url = UrlField(resource="persoon", api=API, help_text="De unieke URL van deze persoon.")
    adres = PersoonAdresSerializer(help_text="De adres gegevens van een persoon.")

    afgeschermd = {"adres": "adressen"}

    class Meta:
        model = Persoon
        fields = (
            "uuid",
            "url",
            "geboortedatum",
            "overlijdensdatum",
            "geslachtsnaam",
            "geslacht",
            "voorvoegsel",
            "voornamen",
            "adres",
        )
        extra_kwargs = {
            "uuid": {"help_text": "Unieke (technische) identificatiecode van het persoon."},
            "overlijdensdatum": {"required": False},
        }

    def validate(self, attrs):
        check_not_before(
            self,
            attrs,
            "geboortedatum",
            "overlijdensdatum",
            "De overlijdensdatum mag niet vóór de geboortedatum liggen.",
        )
        return attrs
