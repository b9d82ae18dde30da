"""Digitale adressen compared regardless of notation (open-klant#649, open-forms#6492).

One definition: the SQL function `digitaal_adres_genormaliseerd` (migration 0007), indexed
on the adres. The filter `adres__genormaliseerd` and the reuse of an existing adres on create
apply it to both sides, the stored adres and the value asked for, so the two can never
disagree. Its rules (docs/partijen.md):

- surrounding whitespace is dropped;
- an adres written as a telephone number (digits, an optional leading `+`, and spaces, `-`,
  `.`, `/`, brackets) becomes `+` and its digits: `00` stands for `+`, a single leading `0`
  for `+31`, and `(0)` after a country code is dropped; other numbers (`14020`) keep their
  digits;
- anything else (an e-mail address) is compared in lower case.

A create asks for the reuse with the preference HERGEBRUIK_BESTAAND in its `Prefer` header
(RFC 7240).
"""

from django.db import connection
from django.db.models import CharField, Func, Q, Value
from django.db.models.lookups import Exact

from .models import DigitaalAdres

FUNCTION = "digitaal_adres_genormaliseerd"
INDEX = "digitaaladres_adres_genormaliseerd_idx"
# `Prefer: hergebruik-bestaand` on POST /digitaleadressen: answer with the existing adres of
# the same verstrekker, soort and normalised adres (200) instead of creating another (201).
HERGEBRUIK_BESTAAND = "hergebruik-bestaand"


def hergebruik_gevraagd(request) -> bool:
    """Whether the request's `Prefer` header (several are joined by commas) names the
    preference HERGEBRUIK_BESTAAND. A preference's name is case-insensitive; this one takes
    no value (`hergebruik-bestaand=...` is another, unknown preference and ignored)."""
    for preference in request.headers.get("Prefer", "").split(","):
        if preference.split(";", 1)[0].strip().lower() == HERGEBRUIK_BESTAAND:
            return True
    return False


class BestaandAdres(Exception):
    """An existing adres answers the create: raised inside the create's transaction, before
    anything is written, so that the transaction ends without a write (nor its log). `data`
    is the adres's representation, rendered while its row was locked."""

    def __init__(self, adres: DigitaalAdres, data: dict):
        super().__init__(adres.uuid)
        self.adres, self.data = adres, data


class Genormaliseerd(Func):
    """An adres (a column, or a value) as the SQL function normalises it."""

    function = FUNCTION
    arity = 1
    output_field = CharField()


def zelfde_adres(adres: str) -> Exact:
    """The rows whose adres is `adres` after normalisation (served by the index INDEX). The
    value is passed to the statement as it is (keystatements.py may bind it)."""
    return Exact(Genormaliseerd("adres"), Genormaliseerd(Value(adres, output_field=CharField())))


def bestaand_digitaal_adres(*, partij, betrokkene, soort: str, adres: str) -> DigitaalAdres | None:
    """The oldest adres of the same verstrekker and soort with the same normalised adres.

    The verstrekker is the partij; without one the betrokkene (among adressen without a
    partij); without either there is none and nothing is found. Takes a transaction-level
    advisory lock on that key first, so a concurrent request for the same adres waits until
    this transaction has created it (or not) and then finds it: call it in the transaction
    that creates the adres when nothing is found. The adres found is locked too, so that it
    is not deleted before the answer is rendered.
    """
    if partij is not None:
        verstrekker, condition = f"partij:{partij.pk}", Q(partij=partij)
    elif betrokkene is not None:
        verstrekker = f"betrokkene:{betrokkene.pk}"
        condition = Q(partij__isnull=True, betrokkene=betrokkene)
    else:
        return None
    if not connection.in_atomic_block:
        raise RuntimeError("bestaand_digitaal_adres needs the transaction that creates the adres")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pg_advisory_xact_lock(hashtext(%s || {FUNCTION}(%s)))",
            [f"partijen_digitaaladres.hergebruik:{verstrekker}:{soort}:", adres],
        )
    return (
        DigitaalAdres.objects.filter(condition, zelfde_adres(adres), soort_digitaal_adres=soort)
        .order_by("pk")
        .select_for_update()
        .first()
    )
