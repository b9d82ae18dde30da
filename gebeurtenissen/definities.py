"""What is announced: per resource its kanaal and kenmerken, and the CloudEvent types.

The first three kanalen are the reference's (Open Klant 2.18), with its kenmerken in its
order, taken from the API representation as it sends them (booleans and null as they are).
The others are this register's: their kenmerken hold codes and soorten only, never a value
that identifies a person (a subscriber reads the object with its own authorisation).
docs/events.md lists them; a test keeps it equal to this module.
"""

from dataclasses import dataclass, field

# The reference's two CloudEvents: an onderwerpobject linked a klantcontact to a zaak, or the
# link went.
ZAAK_GEKOPPELD = "nl.overheid.zaken.zaak-gekoppeld"
ZAAK_ONTKOPPELD = "nl.overheid.zaken.zaak-ontkoppeld"
# The CloudEvent type of a change: `nl.overheid.klantinteracties.<kanaal>.<actie>`.
TYPE_PREFIX = "nl.overheid.klantinteracties"
ACTIES = ("create", "update", "partial_update", "destroy")


@dataclass(frozen=True)
class Kanaal:
    naam: str
    # The audit trail's resource names (Wijziging.resource) announced on it.
    resource: str
    # (kenmerk, path in the representation): `("codeObjecttype", ("onderwerpobjectidentificator",
    # "codeObjecttype"))` for a nested value.
    kenmerken: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    # One of the reference's kanalen.
    referentie: bool = False
    omschrijving: str = ""

    def kenmerken_van(self, representation: dict) -> dict:
        """The kenmerken of an object's representation, as the Notificaties API 1.0 takes
        them: strings of at least one character (`true`/`false` for a boolean); a kenmerk
        without a value is left out. (The reference sends booleans, null and "" as they are,
        which a Notificaties API that checks its contract refuses.)"""
        values = {}
        for name, path in self.kenmerken:
            value = representation
            for step in path:
                value = value.get(step) if isinstance(value, dict) else None
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                value = "true" if value else "false"
            values[name] = str(value)[:1000]
        return values

    def type(self, actie: str) -> str:
        return f"{TYPE_PREFIX}.{self.naam}.{actie}"


def _plain(*names: str) -> tuple:
    return tuple((name, (name,)) for name in names)


def _nested(group: str, *names: str) -> tuple:
    return tuple((name, (group, name)) for name in names)


KANALEN = (
    Kanaal(
        "partijen",
        "partij",
        _plain("nummer", "interneNotitie", "soortPartij"),
        referentie=True,
        omschrijving="Partijen: personen, organisaties en contactpersonen.",
    ),
    Kanaal(
        "internetaken",
        "internetaak",
        _plain("nummer", "gevraagdeHandeling", "toelichting", "status"),
        referentie=True,
        omschrijving="Interne taken voor actoren.",
    ),
    Kanaal(
        "klantcontacten",
        "klantcontact",
        _plain("hoofdOnderwerpType", "indicatieContactGelukt", "verdereActieOndernomen"),
        referentie=True,
        omschrijving="Klantcontacten.",
    ),
    Kanaal(
        "betrokkenen",
        "betrokkene",
        _plain("rol", "initiator"),
        omschrijving="Betrokkenen bij klantcontacten.",
    ),
    Kanaal(
        "onderwerpobjecten",
        "onderwerpobject",
        _nested(
            "onderwerpobjectidentificator", "codeObjecttype", "codeRegister", "codeSoortObjectId"
        ),
        omschrijving="Onderwerpobjecten van klantcontacten (een zaak, een vorig klantcontact).",
    ),
    Kanaal(
        "bijlagen",
        "bijlage",
        _nested("bijlageidentificator", "codeObjecttype", "codeRegister", "codeSoortObjectId"),
        omschrijving="Bijlagen van klantcontacten.",
    ),
    Kanaal(
        "digitaleadressen",
        "digitaaladres",
        _plain("soortDigitaalAdres", "isStandaardAdres"),
        omschrijving="Digitale adressen (het adres zelf is geen kenmerk).",
    ),
    Kanaal(
        "partij-identificatoren",
        "partijidentificator",
        _nested("partijIdentificator", "codeObjecttype", "codeSoortObjectId", "codeRegister"),
        omschrijving="Identificatoren van partijen (het nummer zelf is geen kenmerk).",
    ),
    Kanaal("rekeningnummers", "rekeningnummer", omschrijving="Rekeningnummers van partijen."),
    Kanaal(
        "vertegenwoordigingen",
        "vertegenwoordigden",
        omschrijving="Vertegenwoordigingen tussen partijen.",
    ),
    Kanaal("categorieen", "categorie", _plain("naam"), omschrijving="Categorieën."),
    Kanaal(
        "categorie-relaties",
        "categorierelatie",
        (("categorieNaam", ("categorie", "naam")),),
        omschrijving="Categorieën van partijen.",
    ),
    Kanaal(
        "actoren",
        "actor",
        _plain("soortActor", "indicatieActief"),
        omschrijving="Actoren: medewerkers, teams en systemen.",
    ),
    Kanaal(
        "actorklantcontacten",
        "actorklantcontact",
        omschrijving="Actoren bij klantcontacten.",
    ),
    Kanaal("personen", "persoon", omschrijving="Personen (Contactgegevens API)."),
    Kanaal("organisaties", "organisatie", omschrijving="Organisaties (Contactgegevens API)."),
)

PER_RESOURCE = {kanaal.resource: kanaal for kanaal in KANALEN}
PER_NAAM = {kanaal.naam: kanaal for kanaal in KANALEN}


def typen() -> list[str]:
    """Every CloudEvent type a webhook may subscribe to."""
    return [ZAAK_GEKOPPELD, ZAAK_ONTKOPPELD] + [
        kanaal.type(actie) for kanaal in KANALEN for actie in ACTIES
    ]
