"""Data sets shared by the tests that walk every list, detail and `expand` path."""

import datetime

from klantcontacten.models import Bijlage
from partijen.models import (
    Categorie,
    CategorieRelatie,
    Partij,
    Rekeningnummer,
    Vertegenwoordigden,
)
from taken.models import InterneTaakToewijzing
from tests.contactgegevens.factories import make_organisatie, make_persoon
from tests.klantcontacten.factories import (
    make_actor,
    make_actor_klantcontact,
    make_betrokkene,
    make_digitaal_adres,
    make_interne_taak,
    make_klantcontact,
    make_onderwerpobject,
    make_partij,
    make_partij_identificator,
)

UTC = datetime.UTC


def rich_dataset(*, stored_by_earlier_versions: bool = True) -> dict:
    """Every resource of both APIs with each field's edge cases: nulls, empty strings, quotes
    and non-ASCII text, datetimes in winter and summer time with and without microseconds,
    every soortPartij and soortActor, reference lists of several items.

    With `stored_by_earlier_versions`, also a value that today's rules refuse and that is
    returned as stored (a huisnummer 0).
    """
    tz_winter = datetime.datetime(2025, 1, 15, 9, 30, 0, tzinfo=UTC)
    tz_summer = datetime.datetime(2025, 7, 1, 22, 45, 5, 123456, tzinfo=UTC)

    organisatie = make_partij(
        soort_partij="organisatie",
        organisatie_naam='Bakkerij "De Korenschoof" & Zn.',
        voorkeurstaal="",
        indicatie_geheimhouding=None,
        bezoekadres_postcode="1234 AB",
        bezoekadres_land="NL",
        bezoekadres_nummeraanduiding_id="0363200000123456",
        bezoekadres_huisnummer=0 if stored_by_earlier_versions else 1,
    )
    persoon = make_partij(
        interne_notitie="Let op: \\ backslash, 'quote', tab\tend, ümlaut, 日本",
        contactnaam_voornaam="",
        contactnaam_voorletters="J.",
        contactnaam_voorvoegsel_achternaam="van der",
        contactnaam_achternaam="Berg",
        indicatie_geheimhouding=True,
        voorkeurstaal="nld",
        correspondentieadres_straatnaam="Kerkstraat",
        correspondentieadres_huisnummer=12,
        correspondentieadres_stad="Utrecht",
    )
    contactpersoon = make_partij(
        soort_partij="contactpersoon",
        contactnaam_voornaam="Piet",
        werkte_voor_partij=organisatie,
        indicatie_actief=False,
    )
    make_partij(soort_partij="persoon")  # nothing filled in
    hoofd = make_partij_identificator(persoon, code_register="brp")
    make_partij_identificator(
        persoon,
        object_id="A-1",
        code_objecttype="vestiging",
        code_soort_object_id="vestigingsnummer",
        code_register="hr",
        andere_partij_identificator="extern",
        sub_identificator_van=hoofd,
    )
    make_partij_identificator(
        organisatie,
        object_id="12345678",
        code_objecttype="niet_natuurlijk_persoon",
        code_soort_object_id="kvk_nummer",
        code_register="hr",
    )
    email = make_digitaal_adres(partij=persoon, referentie="portaal", is_standaard_adres=True)
    make_digitaal_adres(
        partij=persoon,
        adres="0612345678",
        soort_digitaal_adres="telefoonnummer",
        verificatie_datum=datetime.date(2024, 2, 29),
        omschrijving="mobiel",
    )
    rekening = Rekeningnummer.objects.create(partij=persoon, iban="NL91ABNA0417164300")
    Rekeningnummer.objects.create(partij=organisatie, iban="NL20INGB0001234567", bic="INGBNL2A")
    Partij.objects.filter(pk=persoon.pk).update(
        voorkeurs_digitaal_adres=email, voorkeurs_rekeningnummer=rekening
    )
    Vertegenwoordigden.objects.create(
        vertegenwoordigende_partij=contactpersoon, vertegenwoordigde_partij=organisatie
    )
    Vertegenwoordigden.objects.create(
        vertegenwoordigende_partij=contactpersoon, vertegenwoordigde_partij=persoon
    )
    categorie = Categorie.objects.create(naam="Ondernemer")
    CategorieRelatie.objects.create(partij=organisatie, categorie=categorie)

    contact = make_klantcontact(
        plaatsgevonden_op=tz_summer,
        metadata={"kanaal": "KISS", "é": "ü"},
        indicatie_contact_gelukt=None,
        referentienummer="REF-1",
        hoofd_onderwerp_type="https://example.org/onderwerp/1",
    )
    ouder = make_klantcontact(plaatsgevonden_op=tz_winter, indicatie_contact_gelukt=True)
    betrokkene = make_betrokkene(
        contact,
        partij=persoon,
        contactnaam_voornaam="Jan",
        contactnaam_achternaam="Berg",
        bezoekadres_postcode="",
        correspondentieadres_land="BE",
        organisatienaam="",
    )
    make_betrokkene(contact, partij=None, rol="vertegenwoordiger", initiator=False)
    make_betrokkene(ouder, partij=organisatie, organisatienaam="Bakkerij")
    make_digitaal_adres(betrokkene=betrokkene, adres="jan@example.org", referentie="")
    make_onderwerpobject(klantcontact=contact, was_klantcontact=ouder)
    make_onderwerpobject(klantcontact=contact)
    make_onderwerpobject(klantcontact=None, was_klantcontact=contact)
    Bijlage.objects.create(
        klantcontact=contact,
        bijlageidentificator_object_id="doc-1",
        bijlageidentificator_code_objecttype="DOCUMENT",
        bijlageidentificator_code_register="drc",
        bijlageidentificator_code_soort_object_id="uuid",
    )
    medewerker = make_actor(
        naam="Sanne",
        functie="KCC",
        emailadres="",
        telefoonnummer="0201234567",
        actoridentificator_object_id="sanne",
        actoridentificator_code_register="",
    )
    team = make_actor(
        naam="Team Burgerzaken",
        soort_actor="organisatorische_eenheid",
        emailadres="team@example.nl",
        faxnummer="0201111111",
    )
    robot = make_actor(
        naam="Robot",
        soort_actor="geautomatiseerde_actor",
        omschrijving="Bot",
        indicatie_actief=False,
    )
    make_actor_klantcontact(medewerker, contact)
    make_actor_klantcontact(robot, contact)
    taak = make_interne_taak(contact, toelichting="Bel terug ✓")
    InterneTaakToewijzing.objects.create(internetaak=taak, actor=team)
    InterneTaakToewijzing.objects.create(internetaak=taak, actor=medewerker)
    afgehandeld = make_interne_taak(ouder, status="verwerkt", afgehandeld_op=tz_winter)
    InterneTaakToewijzing.objects.create(internetaak=afgehandeld, actor=robot)
    make_persoon()
    make_organisatie()
    return {"persoon": persoon}
