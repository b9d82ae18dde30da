"""ORM factories for the klantcontacten tests: plain functions with sensible defaults."""

from klantcontacten.models import Betrokkene, Bijlage, Klantcontact, Onderwerpobject
from klantinteracties.nummers import next_nummer
from partijen.models import DigitaalAdres, Partij, PartijIdentificator
from taken.models import Actor, ActorKlantcontact, InterneTaak

BSN = "111222333"
ANDER_BSN = "123456782"


def make_partij(**fields) -> Partij:
    fields.setdefault("nummer", next_nummer(Partij))
    fields.setdefault("soort_partij", "persoon")
    return Partij.objects.create(**fields)


def make_partij_identificator(partij: Partij, object_id: str = BSN, **fields):
    fields.setdefault("code_objecttype", "natuurlijk_persoon")
    fields.setdefault("code_soort_object_id", "bsn")
    fields.setdefault("code_register", "brp")
    return PartijIdentificator.objects.create(partij=partij, object_id=object_id, **fields)


def make_klantcontact(**fields) -> Klantcontact:
    fields.setdefault("nummer", next_nummer(Klantcontact))
    fields.setdefault("kanaal", "telefoon")
    fields.setdefault("onderwerp", "Vraag over afval")
    fields.setdefault("taal", "nld")
    fields.setdefault("vertrouwelijk", False)
    return Klantcontact.objects.create(**fields)


def make_betrokkene(klantcontact: Klantcontact | None = None, **fields) -> Betrokkene:
    fields.setdefault("rol", "klant")
    fields.setdefault("initiator", True)
    return Betrokkene.objects.create(klantcontact=klantcontact or make_klantcontact(), **fields)


def make_onderwerpobject(**fields) -> Onderwerpobject:
    fields.setdefault("onderwerpobjectidentificator_object_id", "zaak-1")
    fields.setdefault("onderwerpobjectidentificator_code_objecttype", "zaak")
    fields.setdefault("onderwerpobjectidentificator_code_register", "openzaak")
    fields.setdefault("onderwerpobjectidentificator_code_soort_object_id", "uuid")
    return Onderwerpobject.objects.create(**fields)


def make_bijlage(**fields) -> Bijlage:
    fields.setdefault("bijlageidentificator_object_id", "doc-1")
    fields.setdefault("bijlageidentificator_code_objecttype", "DOCUMENT")
    fields.setdefault("bijlageidentificator_code_register", "drc")
    fields.setdefault("bijlageidentificator_code_soort_object_id", "uuid")
    return Bijlage.objects.create(**fields)


def make_digitaal_adres(**fields) -> DigitaalAdres:
    fields.setdefault("adres", "jan@example.com")
    fields.setdefault("soort_digitaal_adres", "email")
    return DigitaalAdres.objects.create(**fields)


def make_actor(**fields) -> Actor:
    fields.setdefault("naam", "Medewerker KCC")
    fields.setdefault("soort_actor", "medewerker")
    return Actor.objects.create(**fields)


def make_actor_klantcontact(actor: Actor, klantcontact: Klantcontact) -> ActorKlantcontact:
    return ActorKlantcontact.objects.create(actor=actor, klantcontact=klantcontact)


def make_interne_taak(klantcontact: Klantcontact, **fields) -> InterneTaak:
    fields.setdefault("nummer", next_nummer(InterneTaak))
    fields.setdefault("gevraagde_handeling", "Terugbellen")
    fields.setdefault("status", "te_verwerken")
    return InterneTaak.objects.create(klantcontact=klantcontact, **fields)
