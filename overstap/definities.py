"""What the import copies: per resource of the source, how its representation maps onto our
columns, in the order the resources are written (a resource only refers back to earlier ones,
apart from the references marked `LATER` and `ZELF`).

A representation's key is read by its path (`bezoekadres.postcode`); a missing key or
gegevensgroep gives the column's empty value. Keys listed in `afgeleid` are derived from other
resources (a partij's `digitaleAdressen` are the digitale adressen that name it) and are
neither written nor part of the hash that tells a changed object from an unchanged one.
"""

import hashlib
import json
import re
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

from contactgegevens.models import Organisatie, Persoon
from klantcontacten.models import Betrokkene, Bijlage, Klantcontact, Onderwerpobject
from partijen.models import (
    Categorie,
    CategorieRelatie,
    DigitaalAdres,
    Partij,
    PartijIdentificator,
    Rekeningnummer,
    Vertegenwoordigden,
)
from partijen.validators import validate_digitaal_adres, validate_iban, validate_object_id
from taken.models import Actor, ActorKlantcontact, InterneTaak, InterneTaakToewijzing

# How a reference is resolved. VOORAF: to a resource written before this one; the object is
# refused when the source did not return the target. ZELF: to the same resource, resolved
# within the batch when the target comes earlier in it, else after the resource is done.
# LATER: to a resource written after this one, set when every resource is written.
VOORAF, ZELF, LATER = "vooraf", "zelf", "later"


@dataclass(frozen=True)
class Relatie:
    pad: str
    kolom: str  # the foreign key's attname
    doel: str  # the resource it refers to
    soort: str = VOORAF


@dataclass(frozen=True)
class Lijst:
    """An ordered list of references stored as rows of a through model (an interne taak's
    toegewezenAanActoren): replaced as a whole when the object changed."""

    pad: str
    model: type
    eigen_kolom: str
    doel_kolom: str
    doel: str


@dataclass(frozen=True)
class Resource:
    naam: str
    api: str
    model: type[models.Model]
    velden: dict[str, str]
    relaties: tuple[Relatie, ...] = ()
    lijsten: tuple[Lijst, ...] = ()
    afgeleid: frozenset[str] = frozenset()
    # The source lists newest first: the pages are read last to first and each is reversed,
    # so objects get our keys in the source's order of creation, and the reference lists
    # (ordered by key, e.g. a klantcontact's hadBetrokkenen) come out in the same order.
    nieuwste_eerst: bool = True
    # Our API's rules for a row that the import stores anyway: (kolom, check) pairs whose
    # ValidationError becomes a warning in the report.
    controles: tuple[tuple[str, Callable], ...] = ()

    @property
    def uitgesteld(self) -> bool:
        return any(r.soort in (LATER, ZELF) for r in self.relaties)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


ADRES = (
    "nummeraanduidingId",
    "straatnaam",
    "huisnummer",
    "huisnummertoevoeging",
    "postcode",
    "stad",
    "adresregel1",
    "adresregel2",
    "adresregel3",
    "land",
)
CONTACTNAAM = ("voorletters", "voornaam", "voorvoegselAchternaam", "achternaam")
IDENTIFICATOR = ("objectId", "codeObjecttype", "codeRegister", "codeSoortObjectId")


def groep(pad: str, prefix: str, sleutels: tuple[str, ...]) -> dict[str, str]:
    """A gegevensgroep stored as prefixed columns."""
    return {
        f"{pad}.{sleutel}": f"{prefix}_{_snake(sleutel)}" if prefix else _snake(sleutel)
        for sleutel in sleutels
    }


def velden(*namen: str) -> dict[str, str]:
    return {naam: _snake(naam) for naam in namen}


def _adres_van_soort(rij: dict) -> None:
    validate_digitaal_adres(rij["soort_digitaal_adres"], rij["adres"])


def _identificator(rij: dict) -> None:
    validate_object_id(rij["code_soort_object_id"], rij["object_id"])


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "categorieen",
        "klantinteracties",
        Categorie,
        velden("naam"),
    ),
    Resource(
        "partijen",
        "klantinteracties",
        Partij,
        {
            **velden(
                "nummer",
                "interneNotitie",
                "soortPartij",
                "indicatieGeheimhouding",
                "voorkeurstaal",
                "indicatieActief",
            ),
            **groep("bezoekadres", "bezoekadres", ADRES),
            **groep("correspondentieadres", "correspondentieadres", ADRES),
            **groep("partijIdentificatie.contactnaam", "contactnaam", CONTACTNAAM),
            "partijIdentificatie.naam": "organisatie_naam",
        },
        relaties=(
            Relatie(
                "voorkeursDigitaalAdres", "voorkeurs_digitaal_adres_id", "digitaleadressen", LATER
            ),
            Relatie(
                "voorkeursRekeningnummer", "voorkeurs_rekeningnummer_id", "rekeningnummers", LATER
            ),
            Relatie(
                "partijIdentificatie.werkteVoorPartij", "werkte_voor_partij_id", "partijen", ZELF
            ),
        ),
        afgeleid=frozenset(
            {
                "betrokkenen",
                "categorieRelaties",
                "digitaleAdressen",
                "vertegenwoordigden",
                "rekeningnummers",
                "partijIdentificatoren",
                "partijIdentificatie.volledigeNaam",
                "partijIdentificatie.uuid",
            }
        ),
    ),
    Resource(
        "partij-identificatoren",
        "klantinteracties",
        PartijIdentificator,
        {
            **velden("anderePartijIdentificator"),
            **groep(
                "partijIdentificator",
                "",
                ("codeObjecttype", "codeSoortObjectId", "objectId", "codeRegister"),
            ),
        },
        relaties=(
            Relatie("identificeerdePartij", "partij_id", "partijen"),
            Relatie(
                "subIdentificatorVan", "sub_identificator_van_id", "partij-identificatoren", ZELF
            ),
        ),
        controles=(("object_id", _identificator),),
    ),
    Resource(
        "rekeningnummers",
        "klantinteracties",
        Rekeningnummer,
        velden("iban", "bic"),
        relaties=(Relatie("partij", "partij_id", "partijen"),),
        controles=(("iban", lambda rij: validate_iban(rij["iban"])),),
    ),
    Resource(
        "vertegenwoordigingen",
        "klantinteracties",
        Vertegenwoordigden,
        {},
        relaties=(
            Relatie("vertegenwoordigendePartij", "vertegenwoordigende_partij_id", "partijen"),
            Relatie("vertegenwoordigdePartij", "vertegenwoordigde_partij_id", "partijen"),
        ),
    ),
    Resource(
        "categorie-relaties",
        "klantinteracties",
        CategorieRelatie,
        velden("beginDatum", "eindDatum"),
        relaties=(
            Relatie("partij", "partij_id", "partijen"),
            Relatie("categorie", "categorie_id", "categorieen"),
        ),
        afgeleid=frozenset({"categorie.naam"}),
    ),
    Resource(
        "klantcontacten",
        "klantinteracties",
        Klantcontact,
        velden(
            "nummer",
            "referentienummer",
            "kanaal",
            "onderwerp",
            "hoofdOnderwerpType",
            "inhoud",
            "reactie",
            "indicatieContactGelukt",
            "taal",
            "vertrouwelijk",
            "verdereActieOndernomen",
            "plaatsgevondenOp",
            "metadata",
        ),
        afgeleid=frozenset(
            {
                "gingOverOnderwerpobjecten",
                "hadBetrokkenActoren",
                "omvatteBijlagen",
                "hadBetrokkenen",
                "leiddeTotInterneTaken",
            }
        ),
    ),
    Resource(
        "betrokkenen",
        "klantinteracties",
        Betrokkene,
        {
            **velden("rol", "organisatienaam", "initiator"),
            **groep("bezoekadres", "bezoekadres", ADRES),
            **groep("correspondentieadres", "correspondentieadres", ADRES),
            **groep("contactnaam", "contactnaam", CONTACTNAAM),
        },
        relaties=(
            Relatie("wasPartij", "partij_id", "partijen"),
            Relatie("hadKlantcontact", "klantcontact_id", "klantcontacten"),
        ),
        afgeleid=frozenset({"digitaleAdressen", "volledigeNaam"}),
    ),
    Resource(
        "digitaleadressen",
        "klantinteracties",
        DigitaalAdres,
        velden(
            "adres",
            "soortDigitaalAdres",
            "isStandaardAdres",
            "omschrijving",
            "referentie",
            "verificatieDatum",
        ),
        relaties=(
            Relatie("verstrektDoorBetrokkene", "betrokkene_id", "betrokkenen"),
            Relatie("verstrektDoorPartij", "partij_id", "partijen"),
        ),
        controles=(("adres", _adres_van_soort),),
    ),
    Resource(
        "onderwerpobjecten",
        "klantinteracties",
        Onderwerpobject,
        groep("onderwerpobjectidentificator", "onderwerpobjectidentificator", IDENTIFICATOR),
        relaties=(
            Relatie("klantcontact", "klantcontact_id", "klantcontacten"),
            Relatie("wasKlantcontact", "was_klantcontact_id", "klantcontacten"),
        ),
    ),
    Resource(
        "bijlagen",
        "klantinteracties",
        Bijlage,
        groep("bijlageidentificator", "bijlageidentificator", IDENTIFICATOR),
        relaties=(Relatie("wasBijlageVanKlantcontact", "klantcontact_id", "klantcontacten"),),
    ),
    Resource(
        "actoren",
        "klantinteracties",
        Actor,
        {
            **velden("naam", "soortActor", "indicatieActief"),
            **groep("actoridentificator", "actoridentificator", IDENTIFICATOR),
            **{
                f"actorIdentificatie.{naam}": naam
                for naam in ("functie", "omschrijving", "emailadres", "telefoonnummer", "faxnummer")
            },
        },
    ),
    Resource(
        "actorklantcontacten",
        "klantinteracties",
        ActorKlantcontact,
        {},
        relaties=(
            Relatie("actor", "actor_id", "actoren"),
            Relatie("klantcontact", "klantcontact_id", "klantcontacten"),
        ),
    ),
    Resource(
        "internetaken",
        "klantinteracties",
        InterneTaak,
        velden(
            "nummer",
            "referentienummer",
            "gevraagdeHandeling",
            "toelichting",
            "status",
            "toegewezenOp",
            "afgehandeldOp",
        ),
        relaties=(Relatie("aanleidinggevendKlantcontact", "klantcontact_id", "klantcontacten"),),
        lijsten=(
            Lijst(
                "toegewezenAanActoren",
                InterneTaakToewijzing,
                "internetaak_id",
                "actor_id",
                "actoren",
            ),
        ),
        afgeleid=frozenset({"toegewezenAanActor"}),
    ),
    Resource(
        "persoon",
        "contactgegevens",
        Persoon,
        {
            **velden(
                "geboortedatum",
                "overlijdensdatum",
                "geslachtsnaam",
                "geslacht",
                "voorvoegsel",
                "voornamen",
            ),
            **groep("adres", "adres", ADRES),
        },
    ),
    Resource(
        "organisatie",
        "contactgegevens",
        Organisatie,
        {
            **velden("handelsnaam", "oprichtingsdatum", "opheffingsdatum"),
            **groep("adres", "adres", ADRES),
        },
    ),
)
PER_NAAM = {resource.naam: resource for resource in RESOURCES}
# Keys every representation has that are not columns: the uuid is the key, the url is derived.
EIGEN = frozenset({"uuid", "url"})


def lees(item: dict, pad: str, ontbreekt=None):
    waarde = item
    for deel in pad.split("."):
        if not isinstance(waarde, dict) or deel not in waarde:
            return ontbreekt
        waarde = waarde[deel]
    return waarde


def uuid_tekst(waarde) -> str | None:
    """A uuid in its canonical form, or None when `waarde` is not one."""
    try:
        return str(uuidlib.UUID(str(waarde)))
    except ValueError:
        return None


def referentie_uuid(waarde) -> str | None:
    """The uuid of a `{uuid, url}` reference (whatever host its url names), or None.

    A reference that names no valid uuid is returned as it is: it resolves to nothing, so
    the object is refused or reported, not silently stored without the reference."""
    if waarde is None:
        return None
    if isinstance(waarde, dict):
        if waarde.get("uuid"):
            return uuid_tekst(waarde["uuid"]) or str(waarde["uuid"])
        waarde = waarde.get("url")
    if isinstance(waarde, str) and waarde:
        deel = waarde.rstrip("/").rsplit("/", 1)[-1]
        return uuid_tekst(deel) or deel
    return None


_URL_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://[^/]+", re.IGNORECASE)


def zonder_host(waarde):
    """A representation with every `url` value reduced to its path: a different host of the
    same source must not make every object look changed."""
    if isinstance(waarde, dict):
        return {
            sleutel: (
                _URL_HOST.sub("", v) if sleutel == "url" and isinstance(v, str) else zonder_host(v)
            )
            for sleutel, v in waarde.items()
        }
    if isinstance(waarde, list):
        return [zonder_host(v) for v in waarde]
    return waarde


def _zonder(item: dict, paden: frozenset[str]) -> dict:
    if not paden:
        return item
    kopie = dict(item)
    for pad in paden:
        deel, _, rest = pad.partition(".")
        if deel not in kopie:
            continue
        if rest:
            if isinstance(kopie[deel], dict):
                kopie[deel] = _zonder(kopie[deel], frozenset({rest}))
        else:
            del kopie[deel]
    return kopie


def eigen_representatie(resource: Resource, item: dict) -> dict:
    """The part of a representation the import copies: without derived keys and hosts."""
    return zonder_host(_zonder(item, resource.afgeleid))


def vingerafdruk(resource: Resource, item: dict) -> str:
    tekst = json.dumps(
        eigen_representatie(resource, item), sort_keys=True, ensure_ascii=False, default=str
    )
    return hashlib.sha256(tekst.encode()).hexdigest()


def bekende_paden(resource: Resource) -> set[str]:
    return (
        set(EIGEN)
        | set(resource.velden)
        | {r.pad for r in resource.relaties}
        | {lijst.pad for lijst in resource.lijsten}
        | set(resource.afgeleid)
    )


def onbekende_sleutels(resource: Resource, item: dict) -> set[str]:
    """Keys of the source's representation the import does not copy (a newer source)."""
    bekend = bekende_paden(resource)
    gevonden = set()

    def walk(waarde: dict, prefix: str):
        for sleutel, v in waarde.items():
            pad = prefix + sleutel
            if pad in bekend:
                continue
            if isinstance(v, dict) and any(b.startswith(pad + ".") for b in bekend):
                walk(v, pad + ".")
                continue
            gevonden.add(pad)

    walk(item, "")
    return gevonden


def controleer(resource: Resource, rij: dict) -> list[str]:
    """Our API's rules that this row breaks (stored anyway, reported as warnings)."""
    meldingen = []
    for kolom, waarde in rij.items():
        veld = resource.model._meta.get_field(kolom)
        if waarde in (None, "") or veld.is_relation:
            continue
        if veld.choices and waarde not in {keuze for keuze, _ in veld.flatchoices}:
            meldingen.append(f"{kolom}: {waarde!r} is geen toegestane waarde")
            continue
        try:
            veld.run_validators(waarde)
        except ValidationError as exc:
            meldingen.append(f"{kolom}: {'; '.join(exc.messages)}")
    for kolom, check in resource.controles:
        if rij.get(kolom) in (None, ""):
            continue
        try:
            check(rij)
        except ValidationError as exc:
            meldingen.append(f"{kolom}: {'; '.join(exc.messages)}")
    return meldingen
