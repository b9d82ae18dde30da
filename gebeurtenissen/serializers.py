import uuid

from django.core.validators import URLValidator
from rest_framework import serializers

from klantinteracties.api.fields import ResourceUrlField
from klantinteracties.api.serializers import ApiModelSerializer

from .definities import typen
from .models import Bestemming

SECRET_MIN_LENGTH = 16


class AbonnementSerializer(ApiModelSerializer):
    # A CloudEvents webhook: a Bestemming of soort webhook, by another name on the wire.

    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrlField(resource="abonnementen")
    callbackUrl = serializers.URLField(
        source="url",
        max_length=1000,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="De url die elke CloudEvent ontvangt (POST, `application/cloudevents+json`).",
    )
    typen = serializers.ListField(
        child=serializers.ChoiceField(choices=typen()),
        allow_empty=False,
        help_text="De CloudEvent-types die het abonnement ontvangt (docs/events.md).",
    )
    secret = serializers.CharField(
        write_only=True,
        min_length=SECRET_MIN_LENGTH,
        max_length=255,
        help_text="De sleutel waarmee elke aflevering wordt ondertekend (header "
        "`webhook-signature`, Standard Webhooks). Verplicht bij aanmaken; wordt nooit "
        "teruggegeven. Bij bijwerken zonder `secret` blijft het bestaande.",
    )

    class Meta:
        model = Bestemming
        fields = ("uuid", "url", "callbackUrl", "typen", "actief", "secret", "aangemaakt_op")

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            # Write-only: a client that read the abonnement cannot send it back.
            fields["secret"].required = False
        return fields

    def validate_typen(self, value):
        return list(dict.fromkeys(value))

    def create(self, validated_data):
        identiteit = uuid.uuid4()
        return super().create(
            {
                **validated_data,
                "uuid": identiteit,
                "naam": f"Abonnement {identiteit}",
                "soort": Bestemming.Soort.WEBHOOK,
            }
        )
