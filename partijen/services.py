"""Writes of the Partijen register that span several rows or have side effects.

Each runs inside the request's transaction (the base viewset opens it) and validates
everything that spans objects before it writes.
"""

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Now
from rest_framework import serializers

from klantinteracties.nummers import generated, next_nummer

from .models import (
    CodeSoortObjectId,
    DigitaalAdres,
    Partij,
    PartijIdentificator,
    Rekeningnummer,
    SoortPartij,
)

IDENTIFICATOR_ERROR = "Deze partij-identificator bestaat al."
SOORT_AL_BIJ_PARTIJ = (
    "Deze partij heeft al een partij-identificator met deze codeSoortObjectId; een partij "
    "heeft er hoogstens één van elke soort."
)
SUB_ALLEEN_ONDER_KVK = (
    "Alleen een vestigingsnummer kan een sub-identificator zijn, van een KvK-nummer."
)
VESTIGING_ZONDER_KVK = (
    "Een vestigingsnummer is uniek onder een KvK-nummer: geef de partij-identificator van dat "
    "KvK-nummer als subIdentificatorVan."
)


def _error(field: str, message: str, code: str = "invalid") -> serializers.ValidationError:
    return serializers.ValidationError({field: [serializers.ErrorDetail(message, code=code)]})


def check_identificator_unique(
    *, code_soort_object_id, object_id, sub_identificator_van=None, exclude=None, field_prefix=""
) -> None:
    """The same identificator never identifies two partijen; a vestigingsnummer is unique
    under its KvK-nummer."""
    clash = PartijIdentificator.objects.filter(
        code_soort_object_id=code_soort_object_id,
        object_id=object_id,
        sub_identificator_van=sub_identificator_van,
    )
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise serializers.ValidationError(
            {
                f"{field_prefix}partijIdentificator": {
                    "objectId": [serializers.ErrorDetail(IDENTIFICATOR_ERROR, code="unique")]
                }
            }
        )


def _kvk_blijft(field_prefix: str = "") -> serializers.ValidationError:
    return serializers.ValidationError(
        {
            f"{field_prefix}partijIdentificator": {
                "codeSoortObjectId": [
                    serializers.ErrorDetail(
                        "Onder dit KvK-nummer staan vestigingsnummers (subIdentificatorVan); "
                        "het blijft een KvK-nummer.",
                        code="invalid",
                    )
                ]
            }
        }
    )


def partij_identificator_save(*, data: dict, instance: PartijIdentificator | None = None):
    """Save one identificator. Its own row and its parent's are locked for the checks across
    rows, as a partij's list write locks them (`_check_parents`)."""
    instance = instance or PartijIdentificator()
    vorige = (instance.partij_id, instance.code_soort_object_id) if instance.pk else None
    for field, value in data.items():
        setattr(instance, field, value)
    if instance.partij_id is not None and (instance.partij_id, instance.code_soort_object_id) != (
        vorige
    ):
        # The partij's row is locked first, as a write of its list does (partij_save), so
        # two identificatoren of one soort cannot both be added.
        Partij.objects.select_for_update().filter(pk=instance.partij_id).first()
        clash = PartijIdentificator.objects.filter(
            partij_id=instance.partij_id, code_soort_object_id=instance.code_soort_object_id
        )
        if instance.pk is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {
                    "partijIdentificator": {
                        "codeSoortObjectId": [
                            serializers.ErrorDetail(SOORT_AL_BIJ_PARTIJ, code="unique")
                        ]
                    }
                }
            )
    parent = instance.sub_identificator_van_id
    soorten = dict(
        PartijIdentificator.objects.select_for_update()
        .filter(pk__in=sorted({instance.pk, parent} - {None}))
        .values_list("pk", "code_soort_object_id")
    )
    if parent is not None and soorten.get(parent) != CodeSoortObjectId.KVK_NUMMER:
        raise _error("subIdentificatorVan", SUB_ALLEEN_ONDER_KVK)
    if (
        soorten.get(instance.pk) == CodeSoortObjectId.KVK_NUMMER
        and instance.code_soort_object_id != CodeSoortObjectId.KVK_NUMMER
        and instance.sub_identificatoren.exists()
    ):
        raise _kvk_blijft()
    instance.save()
    return instance


def _save_nested_identificatoren(partij: Partij, items: list[dict]) -> None:
    """Replace the partij's identificatoren by `items`; an item with the uuid of an existing
    identificator of this partij updates it."""
    existing = {str(i.uuid): i for i in partij.partijidentificatoren.all()}
    existing_soorten = {i.pk: i.code_soort_object_id for i in existing.values()}
    keep = []
    seen = set()
    for index, item in enumerate(items):
        item = dict(item)
        item.pop("partij", None)
        uuid = str(item.pop("uuid", "") or "")
        instance = existing.get(uuid)
        key = (
            item.get("code_soort_object_id"),
            item.get("object_id"),
            item.get("sub_identificator_van"),
        )
        if key in seen:
            raise serializers.ValidationError(
                {
                    f"partijIdentificatoren.{index}.partijIdentificator": {
                        "objectId": [
                            serializers.ErrorDetail(
                                "Dubbele identificator in de lijst.", code="unique"
                            )
                        ]
                    }
                }
            )
        seen.add(key)
        check_identificator_unique(
            code_soort_object_id=key[0],
            object_id=key[1],
            sub_identificator_van=key[2],
            exclude=instance,
            field_prefix=f"partijIdentificatoren.{index}.",
        )
        if (
            key[0] == CodeSoortObjectId.VESTIGINGSNUMMER
            and key[2] is None
            and not stored_orphan(instance, key[1])
        ):
            raise _error(
                f"partijIdentificatoren.{index}.subIdentificatorVan",
                VESTIGING_ZONDER_KVK,
                code="required",
            )
        instance = instance or PartijIdentificator(partij=partij)
        instance.partij = partij
        for field, value in item.items():
            setattr(instance, field, value)
        keep.append((index, instance))

    _check_one_per_soort(keep, existing_soorten)
    kept_pks = {instance.pk for _, instance in keep if instance.pk}
    dropped = [old.pk for old in existing.values() if old.pk not in kept_pks]
    _check_parents(keep, dropped)
    # Children dropped before, parents dropped after the kept ones are saved: a
    # vestigingsnummer may go with its KvK-nummer, or move to another one in the same list.
    PartijIdentificator.objects.filter(pk__in=dropped, sub_identificator_van__isnull=False).delete()
    for _, instance in keep:
        instance.save()
    PartijIdentificator.objects.filter(pk__in=dropped).delete()


def _check_one_per_soort(keep: list, stored_soorten: dict) -> None:
    """A partij has at most one identificator of each codeSoortObjectId. Two stored by an
    earlier version may be sent back as they are; a new or changed one may not join them."""
    by_soort: dict = {}
    for index, instance in keep:
        by_soort.setdefault(instance.code_soort_object_id, []).append((index, instance))
    for soort, items in by_soort.items():
        if len(items) < 2:
            continue
        # The last new or changed one is the one too many.
        for index, instance in reversed(items):
            if stored_soorten.get(instance.pk) != soort:
                raise serializers.ValidationError(
                    {
                        f"partijIdentificatoren.{index}.partijIdentificator": {
                            "codeSoortObjectId": [
                                serializers.ErrorDetail(SOORT_AL_BIJ_PARTIJ, code="unique")
                            ]
                        }
                    }
                )


def stored_orphan(instance: PartijIdentificator | None, object_id) -> bool:
    """A vestigingsnummer an earlier version stored without its KvK-nummer, sent back as it
    is (a changed one must name its KvK-nummer)."""
    return (
        instance is not None
        and instance.code_soort_object_id == CodeSoortObjectId.VESTIGINGSNUMMER
        and instance.sub_identificator_van_id is None
        and instance.object_id == object_id
    )


def _check_parents(keep: list, dropped: list) -> None:
    """After the write, every vestigingsnummer's parent is a KvK-nummer that exists.

    `keep`: (index, identificator with its new values) of a partij's list; `dropped`: the
    keys of the identificatoren it drops. The parents and the KvK-nummers that change are
    locked, so a concurrent write under or of them waits (partij_identificator_save locks
    the same rows).
    """
    kept = {instance.pk: (index, instance) for index, instance in keep if instance.pk}
    parents = {instance.sub_identificator_van_id for _, instance in keep} - {None}
    lock_pks = sorted(parents | set(kept) | set(dropped))
    soorten = dict(
        PartijIdentificator.objects.select_for_update()
        .filter(pk__in=lock_pks)
        .values_list("pk", "code_soort_object_id")
    )
    no_kvk = set(dropped) | {
        pk
        for pk, (_, instance) in kept.items()
        if instance.code_soort_object_id != CodeSoortObjectId.KVK_NUMMER
    }
    for index, instance in keep:
        parent = instance.sub_identificator_van_id
        if parent in no_kvk or (
            parent is not None
            and parent not in kept
            and soorten.get(parent) != CodeSoortObjectId.KVK_NUMMER
        ):
            raise _error(
                f"partijIdentificatoren.{index}.subIdentificatorVan",
                "Dit KvK-nummer wordt in dezelfde lijst verwijderd of een andere soort.",
            )
    # A KvK-nummer that becomes another soort keeps no vestigingsnummer, here or elsewhere.
    changed = [
        pk
        for pk, (_, instance) in kept.items()
        if soorten.get(pk) == CodeSoortObjectId.KVK_NUMMER
        and instance.code_soort_object_id != CodeSoortObjectId.KVK_NUMMER
    ]
    if changed:
        elsewhere = (
            PartijIdentificator.objects.filter(sub_identificator_van__in=changed)
            .exclude(pk__in=[*dropped, *kept])
            .values_list("sub_identificator_van_id", flat=True)
            .first()
        )
        if elsewhere is not None:
            raise _kvk_blijft(f"partijIdentificatoren.{kept[elsewhere][0]}.")


@transaction.atomic
def partij_save(*, data: dict, instance: Partij | None = None) -> Partij:
    identificatoren = data.pop("partijidentificatoren", None)
    digitale_adressen = data.pop("digitaleadressen", None)
    rekeningnummers = data.pop("rekeningnummers", None)

    if not data.get("nummer"):
        # As for klantcontacten and interne taken: no nummer keeps the current one.
        data.pop("nummer", None)
    partij = instance or Partij()
    for field, value in data.items():
        setattr(partij, field, value)

    # Which partij the adressen and rekeningnummers this write names belong to, read with
    # their rows locked (and the partij's own ones, which it may unlink): a concurrent move
    # of one of them waits for this write (and then releases the voorkeur this write may
    # set), or this write sees where it went. Adressen and rekeningnummers are locked before
    # partijen, as everywhere in this module; then the partij's own row, whose soort the
    # checks below read as it is committed.
    _lock_current_partij(
        DigitaalAdres,
        [*(digitale_adressen or ()), *filter(None, [partij.voorkeurs_digitaal_adres])],
        partij,
    )
    _lock_current_partij(
        Rekeningnummer,
        [*(rekeningnummers or ()), *filter(None, [partij.voorkeurs_rekeningnummer])],
        partij,
    )
    vorige_soort = (
        Partij.objects.select_for_update()
        .filter(pk=partij.pk)
        .values_list("soort_partij", flat=True)
        .first()
        if partij.pk is not None
        else None
    )

    # A contactpersoon works for an organisatie, and only a contactpersoon has one: an
    # organisatie with contactpersonen stays one. Its row is locked for the check, by this
    # switch and by a contactpersoon saved for it, so neither can slip past the other.
    if partij.soort_partij != SoortPartij.CONTACTPERSOON:
        partij.werkte_voor_partij = None
    elif partij.werkte_voor_partij_id is not None:
        soort = (
            Partij.objects.select_for_update()
            .filter(pk=partij.werkte_voor_partij_id)
            .values_list("soort_partij", flat=True)
            .first()
        )
        if soort != SoortPartij.ORGANISATIE:
            raise _error(
                "partijIdentificatie.werkteVoorPartij",
                "Een contactpersoon werkt voor een partij van soort organisatie.",
            )
    if vorige_soort == SoortPartij.ORGANISATIE and partij.soort_partij != SoortPartij.ORGANISATIE:
        if Partij.objects.filter(
            werkte_voor_partij=partij, soort_partij=SoortPartij.CONTACTPERSOON
        ).exists():
            raise _error(
                "soortPartij",
                "Deze organisatie heeft contactpersonen die voor haar werken; koppel die eerst "
                "los (werkteVoorPartij) voordat zij een andere soort partij wordt.",
            )

    # The voorkeur must be one of the partij's own adressen/rekeningnummers.
    adres = partij.voorkeurs_digitaal_adres
    if adres is not None:
        own = (
            adres in digitale_adressen
            if digitale_adressen is not None
            else (partij.pk is not None and adres.partij_id == partij.pk)
        )
        if not own:
            raise _error(
                "voorkeursDigitaalAdres",
                "Het voorkeursadres moet een digitaal adres van deze partij zijn.",
            )
    rekening = partij.voorkeurs_rekeningnummer
    if rekening is not None:
        own = (
            rekening in rekeningnummers
            if rekeningnummers is not None
            else (partij.pk is not None and rekening.partij_id == partij.pk)
        )
        if not own:
            raise _error(
                "voorkeursRekeningnummer",
                "Het voorkeursrekeningnummer moet een rekeningnummer van deze partij zijn.",
            )

    if digitale_adressen is not None:
        _check_standaard_adressen(partij, digitale_adressen)
    if rekeningnummers is not None:
        _check_ibans(rekeningnummers)

    if not partij.nummer:
        # A create takes it from its INSERT; an UPDATE would not return the column's value.
        partij.nummer = generated(Partij) if partij.pk is None else next_nummer(Partij)
    partij.save()

    if digitale_adressen is not None:
        partij.digitaleadressen.exclude(pk__in=[a.pk for a in digitale_adressen]).update(
            partij=None, is_standaard_adres=False
        )
        # Adressen taken from another partij stop being its voorkeur and its standaard.
        moved = [a.pk for a in digitale_adressen if a.partij_id not in (None, partij.pk)]
        _release_voorkeuren(digitale_adressen=moved, behalve=partij)
        DigitaalAdres.objects.filter(pk__in=moved).update(is_standaard_adres=False)
        DigitaalAdres.objects.filter(pk__in=[a.pk for a in digitale_adressen]).update(partij=partij)
    if rekeningnummers is not None:
        partij.rekeningnummers.exclude(pk__in=[r.pk for r in rekeningnummers]).update(partij=None)
        moved = [r.pk for r in rekeningnummers if r.partij_id not in (None, partij.pk)]
        _release_voorkeuren(rekeningnummers=moved, behalve=partij)
        Rekeningnummer.objects.filter(pk__in=[r.pk for r in rekeningnummers]).update(partij=partij)
    if identificatoren is not None:
        _save_nested_identificatoren(partij, identificatoren)
    return partij


def _lock_current_partij(model, objects, partij: Partij | None = None) -> None:
    """Lock the rows of `objects` (with `partij`: and the partij's own), in key order, and set
    each object's `partij_id` to its committed value."""
    rows = Q(pk__in=[obj.pk for obj in objects])
    if partij is not None and partij.pk is not None:
        rows |= Q(partij=partij)
    elif not objects:
        return
    current = dict(
        model.objects.select_for_update().filter(rows).order_by("pk").values_list("pk", "partij_id")
    )
    for obj in objects:
        obj.partij_id = current.get(obj.pk, obj.partij_id)


def _check_standaard_adressen(partij: Partij, adressen: list[DigitaalAdres]) -> None:
    """At most one standaard adres per soort in the partij's new list (an adres taken from
    another partij is not standaard here)."""
    soorten = [
        a.soort_digitaal_adres
        for a in adressen
        if a.is_standaard_adres and a.partij_id in (None, partij.pk)
    ]
    if len(soorten) != len(set(soorten)):
        raise _error(
            "digitaleAdressen",
            "Een partij heeft per soort digitaal adres ten hoogste één standaardadres; "
            "de lijst bevat er meer.",
            code="unique",
        )


def _check_ibans(rekeningnummers: list[Rekeningnummer]) -> None:
    ibans = [r.iban for r in rekeningnummers]
    if len(ibans) != len(set(ibans)):
        raise _error(
            "rekeningnummers", "De lijst bevat hetzelfde IBAN meer dan eens.", code="unique"
        )


def _release_voorkeuren(
    *, digitale_adressen=(), rekeningnummers=(), behalve: Partij | None = None
) -> None:
    """A voorkeur is one of the partij's own: an adres or rekeningnummer that moves to another
    partij (or to none) is no longer the voorkeur of the partij it leaves."""
    for field, pks in (
        ("voorkeurs_digitaal_adres", digitale_adressen),
        ("voorkeurs_rekeningnummer", rekeningnummers),
    ):
        if pks:
            partijen = Partij.objects.filter(**{f"{field}__in": pks})
            if behalve is not None and behalve.pk is not None:
                partijen = partijen.exclude(pk=behalve.pk)
            partijen.update(**{field: None, "gewijzigd_op": Now()})


@transaction.atomic
def digitaal_adres_save(*, data: dict, instance: DigitaalAdres | None = None) -> DigitaalAdres:
    adres = instance or DigitaalAdres()
    if adres.pk is not None:
        # Locked before the voorkeur is released (see partij_save).
        _lock_current_partij(DigitaalAdres, [adres])
    vorige_partij = adres.partij_id
    vorige_sleutel = _referentie_sleutel(adres) if adres.pk is not None else None
    for field, value in data.items():
        setattr(adres, field, value)
    standaard = adres.is_standaard_adres and adres.partij_id is not None
    # A referentie stored twice by an earlier version may be sent back as it is.
    sleutel = _referentie_sleutel(adres)
    referentie_check = sleutel is not None and sleutel != vorige_sleutel
    if standaard:
        others = andere_standaardadressen(adres)
        # Adressen before partijen, as in partij_save.
        list(others.select_for_update())
    if standaard or referentie_check:
        # The partij row is locked so two requests marking different adressen as standaard,
        # or giving the same referentie, cannot both win.
        Partij.objects.select_for_update().filter(pk=adres.partij_id).first()
    if referentie_check:
        _check_referentie_unique(adres)
    if vorige_partij is not None and adres.partij_id != vorige_partij:
        _release_voorkeuren(digitale_adressen=[adres.pk])
    if standaard:
        # Clear the flag on the partij's other adressen of this soort.
        others.update(is_standaard_adres=False)
    adres.save()
    return adres


def andere_standaardadressen(adres: DigitaalAdres):
    """The partij's other standaard adressen of the adres's soort: they stop being standaard
    when it is."""
    others = DigitaalAdres.objects.filter(
        partij_id=adres.partij_id,
        soort_digitaal_adres=adres.soort_digitaal_adres,
        is_standaard_adres=True,
    )
    return others.exclude(pk=adres.pk) if adres.pk else others


REFERENTIE_BESTAAT = "Deze partij heeft al een digitaal adres van deze soort met deze referentie."


def _referentie_sleutel(adres: DigitaalAdres) -> tuple | None:
    """What makes a referentie unique: per partij and soort; none without either."""
    if not adres.referentie or adres.partij_id is None:
        return None
    return (adres.partij_id, adres.soort_digitaal_adres, adres.referentie)


def _check_referentie_unique(adres: DigitaalAdres) -> None:
    # Clients find a partij's adres of one purpose by it ("portaalvoorkeur", Open Forms).
    clash = DigitaalAdres.objects.filter(
        partij_id=adres.partij_id,
        soort_digitaal_adres=adres.soort_digitaal_adres,
        referentie=adres.referentie,
    )
    if adres.pk is not None:
        clash = clash.exclude(pk=adres.pk)
    if clash.exists():
        raise _error("referentie", REFERENTIE_BESTAAT, code="unique")


@transaction.atomic
def rekeningnummer_save(*, data: dict, instance: Rekeningnummer | None = None) -> Rekeningnummer:
    rekeningnummer = instance or Rekeningnummer()
    if rekeningnummer.pk is not None:
        # Locked before the voorkeur is released (see partij_save).
        _lock_current_partij(Rekeningnummer, [rekeningnummer])
    vorige_partij = rekeningnummer.partij_id
    for field, value in data.items():
        setattr(rekeningnummer, field, value)
    if vorige_partij is not None and rekeningnummer.partij_id != vorige_partij:
        _release_voorkeuren(rekeningnummers=[rekeningnummer.pk])
    rekeningnummer.save()
    return rekeningnummer
