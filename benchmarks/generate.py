#!/usr/bin/env python
"""Bulk, deterministic benchmark data straight into PostgreSQL (COPY), not through the API.

Same shape as the harness's seed.py: medewerker actoren; partijen (80% personen with a
bsn/brp/natuurlijk_persoon identificator, 20% organisaties with a kvk_nummer/hr one), each
with two digitale adressen (e-mail, telefoon); klantcontacten with one betrokkene (wasPartij,
rol klant) and one `zaak` onderwerpobject, half of them on the first 10% of the partijen;
30% of the contacts with an interne taak assigned to one actor (skewed); plaatsgevondenOp
spread over three years; nine in ten with an `afdeling` in their metadata (for
cijfers.py).  Writes the ids file load.py and floor.py read.

    KLANTINTERACTIES_DEV=1 EMBEDDED_PGDATA=/tmp/bench/pgdata \
        .venv/bin/python benchmarks/generate.py --klantcontacten 20000 --out ids.json

The register must be empty (freshly migrated).  Same arguments, same data (uuids included).
For big data sets only a uniform sample of the partijen goes into the ids file
(--ids-partijen), which is all load.py needs to draw its parameters.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klantinteracties.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import NOT_PROVIDED  # noqa: E402

from klantcontacten.models import Betrokkene, Klantcontact, Onderwerpobject  # noqa: E402
from klantcontacten.tellingen import herbereken  # noqa: E402
from klantinteracties.nummers import sequence_name  # noqa: E402
from partijen.models import DigitaalAdres, Partij, PartijIdentificator  # noqa: E402
from taken.models import Actor, InterneTaak, InterneTaakToewijzing  # noqa: E402

VOORNAMEN = ["Jan", "Anna", "Pieter", "Sanne", "Mohammed", "Fatima", "Daan", "Emma", "Lucas"]
ACHTERNAMEN = [("", "Jansen"), ("de", "Vries"), ("van", "Dijk"), ("", "Bakker"), ("", "Visser")]
ORG_WORDS = ["Bakkerij", "Installatiebedrijf", "Advies", "Transport", "Zorg", "Bouw"]
KANALEN = ["telefoon", "e-mail", "balie", "contactformulier", "chat", "brief"]
ONDERWERPEN = [
    "Aanvraag parkeervergunning",
    "Vraag over WOZ-waarde",
    "Melding openbare ruimte",
    "Afvalinzameling",
    "Verhuizing doorgeven",
    "Paspoort aanvragen",
]
HANDELINGEN = ["Terugbellen", "Informatie opzoeken en mailen", "Afspraak inplannen"]
# A klantcontact's metadata: its afdeling, for nine in ten (the management figures group by
# it, benchmarks/cijfers.py); not drawn from the seeded generator, so the rest is unchanged.
AFDELINGEN = ["burgerzaken", "belastingen", "afval", "parkeren", "wmo", "vergunningen"]
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def valid_bsns(start: int, count: int) -> list[str]:
    """The harness's BSN sequence (common.valid_bsns): 9 digits passing the 11-proef."""
    out: list[str] = []
    n = 0
    prefix = 10_000_000
    while len(out) < count:
        digits = [int(c) for c in f"{prefix:08d}"]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check <= 9:
            if n >= start:
                out.append(f"{prefix:08d}{check}")
            n += 1
        prefix += 7
    return out


class Copier:
    """COPY rows of one model; columns not given get the model field's default."""

    def __init__(self, model, columns: list[str]):
        self.model = model
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = columns
        self.extra = []
        for f in fields:
            if f.column in columns:
                continue
            if f.default is not NOT_PROVIDED:
                value = f.get_default()
            elif f.null:
                value = None
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = NOW
            else:
                value = ""
            if isinstance(value, dict):
                value = json.dumps(value)
            self.extra.append((f.column, value))

    def copy(self, rows) -> int:
        cols = self.columns + [c for c, _ in self.extra]
        tail = tuple(v for _, v in self.extra)
        n = 0
        sql = f"COPY {self.model._meta.db_table} ({', '.join(cols)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(tuple(row) + tail)
                n += 1
        return n


def det_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def pick_actor(rng: random.Random, n: int) -> int:
    if rng.random() < 0.5:
        return min(n - 1, int(rng.paretovariate(1.2)) - 1)
    return rng.randrange(n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--klantcontacten", type=int, default=20000)
    ap.add_argument("--partijen", type=int, help="default: klantcontacten / 2")
    ap.add_argument("--actoren", type=int, default=50)
    ap.add_argument("--taak-fraction", type=float, default=0.3)
    ap.add_argument("--org-fraction", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--start-index", type=int, default=100000)
    ap.add_argument("--ids-partijen", type=int, default=50000, help="partijen in the ids file")
    ap.add_argument("--out", default="ids.json")
    args = ap.parse_args()
    K = args.klantcontacten
    P = args.partijen or max(1, K // 2)
    A = args.actoren
    t0 = time.monotonic()
    if Partij.objects.exists() or Klantcontact.objects.exists() or Actor.objects.exists():
        sys.exit("the register is not empty: generate into a freshly migrated database")

    def log(msg):
        print(f"{time.monotonic() - t0:7.1f}s {msg}", file=sys.stderr)

    rng = random.Random(args.seed)

    # actoren
    actor_uuids = [det_uuid(rng) for _ in range(A)]
    Copier(
        Actor,
        [
            "id",
            "uuid",
            "naam",
            "soort_actor",
            "indicatie_actief",
            "actoridentificator_object_id",
            "actoridentificator_code_objecttype",
            "actoridentificator_code_register",
            "actoridentificator_code_soort_object_id",
            "functie",
            "emailadres",
            "telefoonnummer",
        ],
    ).copy(
        (
            i + 1,
            actor_uuids[i],
            f"{rng.choice(VOORNAMEN)} {rng.choice(ACHTERNAMEN)[1]}",
            "medewerker",
            True,
            f"mdw{i:05d}",
            "mdw",
            "msei",
            "gebruikersnaam",
            "KCC-medewerker",
            f"mdw{i:05d}@gemeente.example.nl",
            "0201234567",
        )
        for i in range(A)
    )
    log(f"actoren {A}")

    # partijen + identificator + 2 digitale adressen
    bsns = iter(valid_bsns(args.start_index, P))
    partij_uuids: list[uuid.UUID] = []
    partij_meta: list[tuple[str, str]] = []

    partij_cols = [
        "id",
        "uuid",
        "nummer",
        "soort_partij",
        "indicatie_geheimhouding",
        "voorkeurstaal",
        "indicatie_actief",
        "bezoekadres_straatnaam",
        "bezoekadres_huisnummer",
        "bezoekadres_postcode",
        "bezoekadres_stad",
        "bezoekadres_land",
        "correspondentieadres_straatnaam",
        "correspondentieadres_huisnummer",
        "correspondentieadres_postcode",
        "correspondentieadres_stad",
        "correspondentieadres_land",
        "contactnaam_voorletters",
        "contactnaam_voornaam",
        "contactnaam_voorvoegsel_achternaam",
        "contactnaam_achternaam",
        "organisatie_naam",
    ]

    def partij_rows():
        for i in range(P):
            idx = args.start_index + i
            u = det_uuid(rng)
            partij_uuids.append(u)
            head = (i + 1, u, f"{i + 1:010d}")
            if rng.random() < args.org_fraction:
                partij_meta.append(("kvk_nummer", f"{60_000_000 + idx * 13:08d}"))
                naam = f"{rng.choice(ORG_WORDS)} {rng.choice(ACHTERNAMEN)[1]} B.V."
                yield head + (
                    "organisatie",
                    False,
                    "nld",
                    True,
                    "Industrieweg",
                    1 + idx % 300,
                    f"{1000 + idx % 9000} AB",
                    "Utrecht",
                    "NL",
                    "",
                    None,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    naam,
                )
            else:
                partij_meta.append(("bsn", next(bsns)))
                voornaam = rng.choice(VOORNAMEN)
                voorvoegsel, achternaam = rng.choice(ACHTERNAMEN)
                yield head + (
                    "persoon",
                    rng.random() < 0.02,
                    "nld",
                    True,
                    "",
                    None,
                    "",
                    "",
                    "",
                    "Kerkstraat",
                    1 + idx % 200,
                    f"{1000 + idx % 9000} CD",
                    "Amsterdam",
                    "NL",
                    voornaam[0],
                    voornaam,
                    voorvoegsel,
                    achternaam,
                    "",
                )

    n = Copier(Partij, partij_cols).copy(partij_rows())
    log(f"partijen {n}")

    n = Copier(
        PartijIdentificator,
        [
            "id",
            "uuid",
            "partij_id",
            "code_objecttype",
            "code_soort_object_id",
            "object_id",
            "code_register",
        ],
    ).copy(
        (
            i + 1,
            det_uuid(rng),
            i + 1,
            "natuurlijk_persoon" if soort == "bsn" else "niet_natuurlijk_persoon",
            soort,
            value,
            "brp" if soort == "bsn" else "hr",
        )
        for i, (soort, value) in enumerate(partij_meta)
    )
    log(f"partij-identificatoren {n}")

    def adres_rows():
        for i in range(P):
            idx = args.start_index + i
            yield (
                2 * i + 1,
                det_uuid(rng),
                i + 1,
                f"klant{idx}@example.nl",
                "email",
                True,
                "privé",
                "portaal",
            )
            yield (
                2 * i + 2,
                det_uuid(rng),
                i + 1,
                f"06{10000000 + idx:08d}",
                "telefoonnummer",
                False,
                "mobiel",
                "kcc",
            )

    n = Copier(
        DigitaalAdres,
        [
            "id",
            "uuid",
            "partij_id",
            "adres",
            "soort_digitaal_adres",
            "is_standaard_adres",
            "omschrijving",
            "referentie",
        ],
    ).copy(adres_rows())
    log(f"digitale adressen {n}")

    # klantcontacten + betrokkene + onderwerpobject (+ interne taak)
    kc_partij = [0] * K
    kc_counts = [0] * P
    taken: list[tuple[int, int]] = []  # (klantcontact id, actor index)
    kc_uuids: list[uuid.UUID] = []

    def kc_rows():
        for i in range(K):
            pi = rng.randrange(max(1, P // 10)) if rng.random() < 0.5 else rng.randrange(P)
            kc_partij[i] = pi
            kc_counts[pi] += 1
            when = EPOCH - dt.timedelta(seconds=rng.randrange(3 * 365 * 24 * 3600))
            onderwerp = rng.choice(ONDERWERPEN)
            u = det_uuid(rng)
            if len(kc_uuids) < 5000:
                kc_uuids.append(u)
            if rng.random() < args.taak_fraction:
                taken.append((i + 1, pick_actor(rng, A)))
            yield (
                i + 1,
                u,
                f"{i + 1:010d}",
                rng.choice(KANALEN),
                onderwerp,
                f"{onderwerp}: burger belt met vraag #{i}. "
                + "Toelichting " * rng.randrange(1, 12),
                "Vraag beantwoord en informatie toegestuurd.",
                rng.random() < 0.9,
                "nld",
                rng.random() < 0.05,
                when,
                when,
                when,
                "{}" if i % 10 == 9 else json.dumps({"afdeling": AFDELINGEN[i % 6]}),
            )

    # The counts per day (KlantcontactTelling) are made once after the COPY, not by the
    # trigger at commit for each of a million rows.
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE klantcontacten_klantcontact DISABLE TRIGGER klantcontact_telling"
        )
    n = Copier(
        Klantcontact,
        [
            "id",
            "uuid",
            "nummer",
            "kanaal",
            "onderwerp",
            "inhoud",
            "reactie",
            "indicatie_contact_gelukt",
            "taal",
            "vertrouwelijk",
            "plaatsgevonden_op",
            "aangemaakt_op",
            "gewijzigd_op",
            "metadata",
        ],
    ).copy(kc_rows())
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE klantcontacten_klantcontact ENABLE TRIGGER klantcontact_telling"
        )
    tellingen = herbereken(dagen=31)
    log(f"klantcontacten {n} ({tellingen.gecorrigeerd} tellingen per dag)")

    n = Copier(Betrokkene, ["id", "uuid", "klantcontact_id", "partij_id", "rol", "initiator"]).copy(
        (i + 1, det_uuid(rng), i + 1, kc_partij[i] + 1, "klant", True) for i in range(K)
    )
    log(f"betrokkenen {n}")

    n = Copier(
        Onderwerpobject,
        [
            "id",
            "uuid",
            "klantcontact_id",
            "onderwerpobjectidentificator_object_id",
            "onderwerpobjectidentificator_code_objecttype",
            "onderwerpobjectidentificator_code_register",
            "onderwerpobjectidentificator_code_soort_object_id",
        ],
    ).copy(
        (
            i + 1,
            det_uuid(rng),
            i + 1,
            f"ZAAK-{2026 - i % 3}-{i:07d}",
            "zaak",
            "openzaak",
            "identificatie",
        )
        for i in range(K)
    )
    log(f"onderwerpobjecten {n}")

    taak_counts = [0] * A
    n = Copier(
        InterneTaak,
        [
            "id",
            "uuid",
            "nummer",
            "gevraagde_handeling",
            "klantcontact_id",
            "toelichting",
            "status",
            "toegewezen_op",
        ],
    ).copy(
        (
            j + 1,
            det_uuid(rng),
            f"{j + 1:010d}",
            rng.choice(HANDELINGEN),
            kc_id,
            "Graag binnen 2 werkdagen oppakken.",
            "te_verwerken" if rng.random() < 0.6 else "verwerkt",
            NOW - dt.timedelta(seconds=j),
        )
        for j, (kc_id, _) in enumerate(taken)
    )
    for _, ai in taken:
        taak_counts[ai] += 1
    # The counts per actor and status are made once afterwards: the trigger would update the
    # same few rows once per toewijzing, each update a new version of a row in one
    # transaction (quadratic at millions).
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE taken_internetaaktoewijzing DISABLE TRIGGER taken_toewijzing_telling"
        )
    Copier(InterneTaakToewijzing, ["id", "internetaak_id", "actor_id"]).copy(
        (j + 1, j + 1, ai + 1) for j, (_, ai) in enumerate(taken)
    )
    with connection.cursor() as cursor:
        # In a transaction (the tests), the copied rows' deferred key checks first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "ALTER TABLE taken_internetaaktoewijzing ENABLE TRIGGER taken_toewijzing_telling"
        )
        cursor.execute(
            "INSERT INTO taken_actortakentelling (actor_id, status, aantal, aantal_vertrouwelijk)"
            " SELECT actor_id, status, count(*), count(*) FILTER (WHERE vertrouwelijk)"
            " FROM taken_internetaaktoewijzing GROUP BY actor_id, status"
        )
    log(f"interne taken {n}")

    # Sequences past the copied ids and nummers, then fresh statistics.
    with connection.cursor() as cursor:
        for model in (
            Actor,
            Partij,
            PartijIdentificator,
            DigitaalAdres,
            Klantcontact,
            Betrokkene,
            Onderwerpobject,
            InterneTaak,
            InterneTaakToewijzing,
        ):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        for model in (Partij, Klantcontact, InterneTaak):
            cursor.execute(
                f"SELECT setval('{sequence_name(model._meta.db_table)}', "
                f"(SELECT coalesce(max(id), 1) FROM {model._meta.db_table}))"
            )
        cursor.execute("ANALYZE")
    log("sequences set, analyzed")

    sample = list(range(P))
    if P > args.ids_partijen:
        sample = sorted(random.Random(args.seed + 1).sample(range(P), args.ids_partijen))
    ids = {
        "seed": args.seed,
        "generator": "benchmarks/generate.py",
        "start_index": args.start_index,
        "partijen": [
            {
                "uuid": str(partij_uuids[i]),
                "soort": "persoon" if partij_meta[i][0] == "bsn" else "organisatie",
                "idType": partij_meta[i][0],
                "idValue": partij_meta[i][1],
                "kc": kc_counts[i],
            }
            for i in sample
        ],
        "actoren": [{"uuid": str(actor_uuids[a]), "taken": taak_counts[a]} for a in range(A)],
        "klantcontacten": [str(u) for u in kc_uuids],
        "klantcontacten_total": K,
        "internetaken": len(taken),
        "phases": [],
        "counts": {
            "partijen": P,
            "actoren": A,
            "klantcontacten_created": K,
            "internetaken": len(taken),
            "partijen_in_ids_file": len(sample),
        },
    }
    Path(args.out).write_text(json.dumps(ids))
    log(f"ids written to {args.out}: {ids['counts']}")


if __name__ == "__main__":
    main()
