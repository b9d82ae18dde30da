"""Serializers of the taken register; other registers use these names by dotted path."""

from .actoren import ActorKlantcontactSerializer, ActorSerializer
from .internetaken import InterneTaakSerializer

__all__ = ["ActorKlantcontactSerializer", "ActorSerializer", "InterneTaakSerializer"]
