"""The import: every resource of the source into our tables, straight, in dependency order.

Each page of the source is one batch in one transaction, with the hashes of what it wrote
(`Bronobject`): an interrupted run leaves whole objects, and the next run skips what is
already there. The API's validation is not run (the source's data is what it is): what our
API would refuse is stored and reported as a warning; what our tables cannot hold (a broken
constraint, a reference to an object the source does not return) is refused with its reason.
No audit records, processing-log records or events are written per object (docs/overstappen.md).
"""

import uuid as uuidlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from klantinteracties.nummers import next_nummer, sequence_name

from .bron import Bron
from .definities import (
    PER_NAAM,
    RESOURCES,
    VOORAF,
    ZELF,
    Resource,
    controleer,
    lees,
    onbekende_sleutels,
    referentie_uuid,
    uuid_tekst,
    vingerafdruk,
)
from .models import Bronobject, Importrun
from .rapport import Rapport

# Only one import at a time writes to the register.
SLOT = 7_406_117


ONTBREEKT = object()


class ImportBezig(Exception):
    pass


@dataclass
class Uitgesteld:
    """An object written without some of its references, set when their targets are in."""

    resource: Resource
    uuid: str
    hash: str
    koppelingen: list[tuple[str, str, str]] = field(default_factory=list)  # kolom, doel, uuid


def _waarde(veld, waarde):
    """The column value of a source value; ValueError for a date, number or truth value the
    column cannot hold."""
    if waarde is None:
        if veld.null:
            return None
        if veld.empty_strings_allowed:
            return ""
        return veld.get_default() if veld.has_default() else None
    soort = veld.get_internal_type()
    if soort in ("DateTimeField", "DateField") and waarde == "" and veld.null:
        return None
    if soort in ("DateTimeField", "DateField") and isinstance(waarde, str):
        # parse_* answer None for text that is no date at all, and raise for 2024-13-45.
        lezen = parse_datetime if soort == "DateTimeField" else parse_date
        try:
            datum = lezen(waarde)
        except ValueError:
            datum = None
        if datum is None:
            raise ValueError(f"{waarde!r} is geen geldige datum")
        return datum
    if soort in _GETYPEERD:
        # A number or a truth value the column cannot hold ("12a", "misschien") is the
        # source's error, refused with its reason, as our API would refuse it.
        try:
            return veld.to_python(waarde)
        except ValidationError as exc:
            raise ValueError(f"{waarde!r} is geen {_GETYPEERD[soort]}") from exc
    return waarde


# Columns whose source values are converted as the API reads them (it accepts `"12"` and
# `"true"` as well).
_GETYPEERD = {
    "BooleanField": "waar of onwaar",
    "IntegerField": "geheel getal",
    "PositiveIntegerField": "geheel getal",
    "PositiveSmallIntegerField": "geheel getal",
    "SmallIntegerField": "geheel getal",
    "BigIntegerField": "geheel getal",
}


def _ids(model, uuids) -> dict[str, int]:
    uuids = [u for u in uuids if uuid_tekst(u)]
    if not uuids:
        return {}
    rijen = model._default_manager.filter(uuid__in=uuids).values_list("uuid", "id")
    return {str(u): pk for u, pk in rijen}


def _fout(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


class Importeur:
    def __init__(
        self,
        bron: Bron,
        rapport: Rapport,
        *,
        resources: tuple[Resource, ...] = RESOURCES,
        verwijderen: bool = False,
    ):
        self.bron = bron
        self.rapport = rapport
        self.resources = resources
        self.verwijderen = verwijderen
        self.uitgesteld: list[Uitgesteld] = []
        self.te_verwijderen: list[tuple[Resource, list[str]]] = []
        self._onbekend: set[tuple[str, str]] = set()

    # The run ---------------------------------------------------------------------------

    def uitvoeren(self) -> Rapport:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [SLOT])
            if not cursor.fetchone()[0]:
                raise ImportBezig("Er loopt al een import naar dit register.")
        # A run is recorded once it holds the lock: a refused second import leaves none.
        run = Importrun.objects.create(bron=", ".join(self.bron.urls.values()))
        try:
            for resource in self.resources:
                self.resource(resource)
            self.koppelen()
            self.opruimen()
            self.nummers_bijwerken()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [SLOT])
            verslag = self.rapport.als_dict()
            Importrun.objects.filter(pk=run.pk).update(
                geeindigd_op=timezone.now(),
                tellingen=verslag["tellingen"],
                geweigerd=verslag["geweigerd"],
                waarschuwingen=verslag["waarschuwingen"],
            )
        return self.rapport

    def resource(self, resource: Resource) -> None:
        telling = self.rapport.telling(resource.naam)
        aantal, paginas = self.bron.paginas(resource)
        telling.totaal = aantal
        gezien: set[str] = set()
        for pagina in paginas:
            items = []
            for item in pagina:
                sleutel = uuid_tekst(item.get("uuid")) if isinstance(item, dict) else None
                if sleutel is None:
                    telling.gelezen += 1
                    self.rapport.weiger(
                        resource.naam, "-", f"geen object met een geldige uuid: {item!r:.200}"
                    )
                elif sleutel not in gezien:
                    gezien.add(sleutel)
                    items.append({**item, "uuid": sleutel})
            telling.gelezen += len(items)
            if items:
                self.batch(resource, items)
            self.rapport.toon(resource.naam)
        eerder = {
            str(u)
            for u in Bronobject.objects.filter(resource=resource.naam).values_list(
                "uuid", flat=True
            )
        }
        if telling.gelezen < aantal:
            # Objects created at the source while its list was read shift the pages: some
            # were not seen. Not silent: a next run copies them.
            self.rapport.waarschuw(
                resource.naam,
                "-",
                f"de bron telde {aantal} objecten, gelezen zijn er {telling.gelezen}: de lijst "
                "veranderde tijdens het lezen; een volgende run kopieert wat nu ontbreekt",
            )
        verdwenen = sorted(eerder - gezien)
        telling.verdwenen = len(verdwenen)
        # Only a read that saw as many objects as the source said it has is complete:
        # a list that changed while it was read may have hidden some.
        if verdwenen and self.verwijderen and len(gezien) >= aantal:
            self.te_verwijderen.append((resource, verdwenen))
        self.rapport.klaar(resource.naam)

    # One batch ---------------------------------------------------------------------------

    def batch(self, resource: Resource, items: list[dict]) -> None:
        with transaction.atomic():
            self._batch(resource, items)

    def _batch(self, resource: Resource, items: list[dict]) -> None:
        naam = resource.naam
        telling = self.rapport.telling(naam)
        hashes = {str(item["uuid"]): vingerafdruk(resource, item) for item in items}
        bekend = {
            str(u): h
            for u, h in Bronobject.objects.filter(resource=naam, uuid__in=list(hashes)).values_list(
                "uuid", "hash"
            )
        }
        bestaand = _ids(resource.model, hashes)
        gewijzigd = []
        for item in items:
            sleutel = str(item["uuid"])
            if bekend.get(sleutel) == hashes[sleutel] and sleutel in bestaand:
                telling.ongewijzigd += 1
            else:
                gewijzigd.append(item)
        if not gewijzigd:
            return
        for item in gewijzigd:
            for pad in onbekende_sleutels(resource, item):
                if (naam, pad) not in self._onbekend:
                    self._onbekend.add((naam, pad))
                    self.rapport.waarschuw(naam, "-", f"veld {pad} kent dit register niet")

        # References: the targets that are already here, by uuid.
        doelen: dict[str, set[str]] = defaultdict(set)
        for item in gewijzigd:
            for relatie in resource.relaties:
                if doel := referentie_uuid(lees(item, relatie.pad)):
                    doelen[relatie.doel].add(doel)
            for lijst in resource.lijsten:
                for ref in lees(item, lijst.pad) or ():
                    if doel := referentie_uuid(ref):
                        doelen[lijst.doel].add(doel)
        ids = {doel: _ids(PER_NAAM[doel].model, uuids) for doel, uuids in doelen.items()}
        ids.setdefault(naam, {}).update(bestaand)

        velden = {
            kolom: resource.model._meta.get_field(kolom) for kolom in resource.velden.values()
        }
        rijen: dict[str, dict] = {}
        wacht: dict[str, set[str]] = {}  # uuid -> uuids in this batch it refers to (ZELF)
        open_: dict[str, list] = {}
        lijsten: dict[str, dict] = {}
        in_batch = {str(item["uuid"]) for item in gewijzigd}
        # The nummer an object without one at the source got here: kept on a re-sync.
        nummers = {}
        if "nummer" in velden:
            nummers = {
                str(u): n
                for u, n in resource.model._default_manager.filter(
                    uuid__in=[s for s in in_batch if s in bestaand]
                ).values_list("uuid", "nummer")
            }
        for item in gewijzigd:
            sleutel = str(item["uuid"])
            rij = {}
            try:
                for pad, kolom in resource.velden.items():
                    waarde = lees(item, pad, ONTBREEKT)
                    rij[kolom] = _waarde(velden[kolom], None if waarde is ONTBREEKT else waarde)
                    # An explicit null our column cannot hold (a categorie-relatie's
                    # beginDatum): stored as the column's default, not silently.
                    if waarde is None and rij[kolom] not in (None, "") and kolom != "nummer":
                        self.rapport.waarschuw(
                            naam, sleutel, f"{pad}: null in de bron, hier {rij[kolom]!s}"
                        )
            except (TypeError, ValueError) as exc:
                self.rapport.weiger(naam, sleutel, f"{pad}: {exc}")
                continue
            weigering = None
            wacht[sleutel] = set()
            open_[sleutel] = []
            for relatie in resource.relaties:
                doel = referentie_uuid(lees(item, relatie.pad))
                rij[relatie.kolom] = None
                if doel is None:
                    continue
                gevonden = ids.get(relatie.doel, {}).get(doel)
                if gevonden is not None:
                    rij[relatie.kolom] = gevonden
                elif relatie.soort == VOORAF:
                    weigering = (
                        f"{relatie.pad} verwijst naar {relatie.doel} {doel}, dat niet is "
                        "gekopieerd (de bron gaf het niet, of het werd geweigerd)"
                    )
                    break
                elif relatie.soort == ZELF and doel in in_batch and doel != sleutel:
                    wacht[sleutel].add(doel)
                    open_[sleutel].append((relatie.kolom, relatie.doel, doel))
                else:
                    open_[sleutel].append((relatie.kolom, relatie.doel, doel))
            lijsten[sleutel] = {}
            for lijst in resource.lijsten:
                lijsten[sleutel][lijst] = []
                for ref in lees(item, lijst.pad) or ():
                    doel = referentie_uuid(ref)
                    gevonden = ids.get(lijst.doel, {}).get(doel)
                    if gevonden is None:
                        weigering = (
                            f"{lijst.pad} verwijst naar {lijst.doel} {doel}, dat niet is "
                            "gekopieerd (de bron gaf het niet, of het werd geweigerd)"
                        )
                        break
                    if gevonden in lijsten[sleutel][lijst]:
                        # Our table holds an actor once per taak.
                        self.rapport.waarschuw(naam, sleutel, f"{lijst.pad}: {doel} dubbel")
                        continue
                    lijsten[sleutel][lijst].append(gevonden)
            if weigering:
                self.rapport.weiger(naam, sleutel, weigering)
                continue
            if "nummer" in rij and not rij["nummer"]:
                rij["nummer"] = nummers.get(sleutel) or next_nummer(resource.model)
            for melding in controleer(resource, {k: rij[k] for k in resource.velden.values()}):
                self.rapport.waarschuw(naam, sleutel, melding)
            rijen[sleutel] = rij

        # Write in generations: an object after the objects of this batch it refers to.
        geschreven: dict[str, int] = {}
        rest = dict(rijen)
        while rest:
            klaar = {s: r for s, r in rest.items() if not wacht[s] & rest.keys()}
            if not klaar:  # a cycle: written without those references, set afterwards
                klaar = rest
            for sleutel, rij in klaar.items():
                for kolom, doel_resource, doel in list(open_[sleutel]):
                    if doel_resource == naam and doel in geschreven:
                        rij[kolom] = geschreven[doel]
                        open_[sleutel].remove((kolom, doel_resource, doel))
            geschreven.update(self._schrijf(resource, klaar))
            rest = {s: r for s, r in rest.items() if s not in klaar}

        for lijst in resource.lijsten:
            eigen_ids = list(geschreven.values())
            lijst.model._default_manager.filter(**{f"{lijst.eigen_kolom}__in": eigen_ids}).delete()
            lijst.model._default_manager.bulk_create(
                [
                    lijst.model(**{lijst.eigen_kolom: geschreven[s], lijst.doel_kolom: doel})
                    for s in geschreven
                    for doel in lijsten[s][lijst]
                ]
            )

        klaar_hashes = []
        for sleutel in geschreven:
            if sleutel in bestaand:
                telling.gewijzigd += 1
            else:
                telling.nieuw += 1
            if open_[sleutel]:
                self.uitgesteld.append(
                    Uitgesteld(resource, sleutel, hashes[sleutel], open_[sleutel])
                )
            else:
                klaar_hashes.append((sleutel, hashes[sleutel]))
        self._onthoud(naam, klaar_hashes)

    def _schrijf(self, resource: Resource, rijen: dict[str, dict]) -> dict[str, int]:
        """Insert or update by uuid; a batch the database refuses is retried row by row, to
        refuse only the rows it cannot hold. {uuid: id} of what was written."""
        if not rijen:
            return {}
        model = resource.model
        kolommen = list(next(iter(rijen.values())))
        if any(f.name == "gewijzigd_op" for f in model._meta.concrete_fields):
            kolommen.append("gewijzigd_op")

        def upsert(deel: dict[str, dict]) -> dict[str, int]:
            objecten = [model(uuid=uuidlib.UUID(s), **rij) for s, rij in deel.items()]
            model._default_manager.bulk_create(
                objecten, update_conflicts=True, unique_fields=["uuid"], update_fields=kolommen
            )
            return {str(o.uuid): o.pk for o in objecten}

        try:
            with transaction.atomic():
                return upsert(rijen)
        except DatabaseError:
            pass
        geschreven = {}
        for sleutel, rij in rijen.items():
            try:
                with transaction.atomic():
                    geschreven.update(upsert({sleutel: rij}))
            except DatabaseError as exc:
                self.rapport.weiger(resource.naam, sleutel, _fout(exc))
        return geschreven

    def _onthoud(self, resource: str, hashes: list[tuple[str, str]]) -> None:
        if hashes:
            Bronobject.objects.bulk_create(
                [Bronobject(resource=resource, uuid=u, hash=h) for u, h in hashes],
                update_conflicts=True,
                unique_fields=["resource", "uuid"],
                update_fields=["hash", "gekopieerd_op"],
            )

    # After every resource ----------------------------------------------------------------

    def koppelen(self, per_keer: int = 1000) -> None:
        """Set the references written later (a partij's voorkeursDigitaalAdres), then record
        those objects as copied."""
        for begin in range(0, len(self.uitgesteld), per_keer):
            deel = self.uitgesteld[begin : begin + per_keer]
            doelen: dict[str, set[str]] = defaultdict(set)
            for u in deel:
                for _, doel, doel_uuid in u.koppelingen:
                    doelen[doel].add(doel_uuid)
            ids = {doel: _ids(PER_NAAM[doel].model, uuids) for doel, uuids in doelen.items()}
            with transaction.atomic():
                updates: dict[tuple, list] = defaultdict(list)
                klaar: dict[str, list] = defaultdict(list)
                for u in deel:
                    ontbrekend = [
                        (kolom, doel, d) for kolom, doel, d in u.koppelingen if d not in ids[doel]
                    ]
                    if ontbrekend:
                        kolom, doel, d = ontbrekend[0]
                        self.rapport.weiger(
                            u.resource.naam,
                            u.uuid,
                            f"{kolom.removesuffix('_id')} verwijst naar {doel} {d}, dat niet is "
                            "gekopieerd; opgeslagen zonder die verwijzing",
                        )
                        continue
                    for kolom, doel, d in u.koppelingen:
                        updates[(u.resource.model._meta.db_table, kolom)].append(
                            (ids[doel][d], u.uuid)
                        )
                    klaar[u.resource.naam].append((u.uuid, u.hash))
                with connection.cursor() as cursor:
                    for (tabel, kolom), waarden in updates.items():
                        cursor.executemany(
                            f'UPDATE "{tabel}" SET "{kolom}" = %s WHERE uuid = %s', waarden
                        )
                for naam, hashes in klaar.items():
                    self._onthoud(naam, hashes)
        self.uitgesteld = []

    def opruimen(self) -> None:
        """With --verwijderen: remove what the source no longer has, dependents first."""
        for resource, uuids in reversed(self.te_verwijderen):
            try:
                with transaction.atomic():
                    resource.model._default_manager.filter(uuid__in=uuids).delete()
                    Bronobject.objects.filter(resource=resource.naam, uuid__in=uuids).delete()
            except (ProtectedError, RestrictedError, DatabaseError) as exc:
                # Something here still refers to them (the source deleted them while keeping
                # what refers to them, or this register holds more): kept, and reported.
                for sleutel in uuids:
                    self.rapport.weiger(resource.naam, sleutel, f"niet verwijderd: {_fout(exc)}")
                continue
            self.rapport.telling(resource.naam).verwijderd = len(uuids)

    def nummers_bijwerken(self) -> None:
        """Our generator of `nummer`s continues after the highest one imported, so a new
        partij, klantcontact or interne taak never gets a number the source gave out (the
        generator also skips numbers in use, but would walk through every imported one)."""
        with connection.cursor() as cursor:
            for resource in self.resources:
                if "nummer" not in resource.velden.values():
                    continue
                tabel = resource.model._meta.db_table
                reeks = sequence_name(tabel)
                cursor.execute(
                    f"SELECT max(nummer::bigint) FROM {tabel} WHERE nummer ~ '^[0-9]{{1,10}}$'"
                )
                hoogste = cursor.fetchone()[0]
                if hoogste:
                    cursor.execute(
                        f"SELECT setval('{reeks}', GREATEST(%s, (SELECT last_value FROM {reeks})))",
                        [hoogste],
                    )


def importeren(
    *,
    urls: dict[str, str],
    token: str,
    rapport: Rapport,
    gelijktijdig: int = 4,
    page_size: int = 500,
    resources: tuple[Resource, ...] = RESOURCES,
    verwijderen: bool = False,
) -> Rapport:
    bron = Bron(urls, token, gelijktijdig=gelijktijdig, page_size=page_size)
    try:
        actief = tuple(r for r in resources if r.api in bron.urls)
        return Importeur(bron, rapport, resources=actief, verwijderen=verwijderen).uitvoeren()
    finally:
        bron.sluit()
