"""Shared pieces of the Partijen serializers: gegevensgroepen and the partij reference."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from klantinteracties.api.fields import ReferenceField
from klantinteracties.common.serializers import AdresSerializer, ContactnaamSerializer

from ..models import (
    Partij,
)


def django_to_drf(exc: DjangoValidationError) -> list:
    return [serializers.ErrorDetail(m, code=exc.code or "invalid") for m in exc.messages]


# Gegevensgroepen, one class per contract component name.
class PartijBezoekadresSerializer(AdresSerializer):
    pass


class PartijCorrespondentieadresSerializer(AdresSerializer):
    pass


class PersoonContactSerializer(ContactnaamSerializer):
    pass


class ContactpersoonPersoonSerializer(ContactnaamSerializer):
    pass


def partij_reference(**kwargs):
    return ReferenceField(resource="partijen", queryset=Partij.objects.all(), **kwargs)
