"""ORM factories for the taken register (tests only)."""

import itertools
from functools import cache

import yaml
from django.conf import settings
from openapi_schema_validator import OAS30ReadValidator

from klantcontacten.models import Klantcontact
from klantinteracties.nummers import next_nummer
from taken.models import Actor, ActorKlantcontact, InterneTaak, InterneTaakToewijzing

API = "/klantinteracties/api/v1"
_counter = itertools.count(1)


def make_klantcontact(**fields) -> Klantcontact:
    fields.setdefault("nummer", next_nummer(Klantcontact))
    fields.setdefault("kanaal", "telefoon")
    fields.setdefault("onderwerp", "Vraag over parkeervergunning")
    fields.setdefault("taal", "nld")
    fields.setdefault("vertrouwelijk", False)
    return Klantcontact.objects.create(**fields)


def make_medewerker(**fields) -> Actor:
    fields.setdefault("naam", f"Medewerker {next(_counter)}")
    fields.setdefault("soort_actor", "medewerker")
    fields.setdefault("functie", "KCC-medewerker")
    fields.setdefault("telefoonnummer", "0612345678")
    return Actor.objects.create(**fields)


def make_team(**fields) -> Actor:
    fields.setdefault("naam", f"Team {next(_counter)}")
    fields.setdefault("soort_actor", "organisatorische_eenheid")
    fields.setdefault("omschrijving", "Team vergunningen")
    return Actor.objects.create(**fields)


def make_internetaak(*actoren, klantcontact=None, **fields) -> InterneTaak:
    fields.setdefault("nummer", next_nummer(InterneTaak))
    fields.setdefault("gevraagde_handeling", "Bel de burger terug")
    fields.setdefault("status", "te_verwerken")
    taak = InterneTaak.objects.create(klantcontact=klantcontact or make_klantcontact(), **fields)
    for actor in actoren or (make_medewerker(),):
        InterneTaakToewijzing.objects.create(internetaak=taak, actor=actor)
    return taak


def make_actorklantcontact(actor=None, klantcontact=None) -> ActorKlantcontact:
    return ActorKlantcontact.objects.create(
        actor=actor or make_medewerker(), klantcontact=klantcontact or make_klantcontact()
    )


def ref(resource: str, obj) -> dict:
    return {"uuid": str(obj.uuid)}


@cache
def _components() -> dict:
    # The reference contract, vendored with the contract tests.
    path = settings.BASE_DIR / "tests" / "contract" / "reference" / "klantinteracties-openapi.yaml"
    with open(path) as fh:
        return yaml.safe_load(fh)["components"]


def spec_errors(component: str, data) -> list[str]:
    """Messages of everything in `data` the contract's component schema does not allow."""
    schema = {"$ref": f"#/components/schemas/{component}", "components": _components()}
    return [error.message for error in OAS30ReadValidator(schema).iter_errors(data)]


@cache
def _ours() -> dict:
    path = settings.BASE_DIR / "openapi" / "klantinteracties.yaml"
    with open(path) as fh:
        return yaml.safe_load(fh)


def our_spec_errors(component: str, data) -> list[str]:
    """As spec_errors, against our generated contract: the reference's, but for its
    deliberate differences (an empty value as "" beside a constrained string, a null
    actorIdentificatie), which tests/taken/test_schema.py pins down."""
    from tests.contract.test_documented_responses import validator

    messages = []
    for error in validator(_ours(), component).iter_errors(data):
        # A value no variant of a oneOf admits: what each variant found wrong.
        causes = sorted({f"{list(c.absolute_path)}: {c.message}" for c in error.context or ()})
        messages.append(f"{list(error.absolute_path)}: {error.message[:80]} {causes}")
    return messages
