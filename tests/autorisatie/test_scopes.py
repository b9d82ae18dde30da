"""Every operation of both APIs: no credential is a 401, a credential without the register's
scope a 403 naming it, a read scope on a write a 403, and with the scope the normal answer.

The operations are read from our generated OpenAPI documents, so one added later is covered.
"""

import uuid
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from autorisatie.scopes import scope_for
from tests.autorisatie.conftest import SEES_EVERYTHING

PREFIXES = {
    "klantinteracties": "/klantinteracties/api/v1",
    "contactgegevens": "/contactgegevens/api/v1",
}
METHODS = ("get", "post", "put", "patch", "delete")


def register_of(path: str, api: str) -> str:
    if api == "contactgegevens":
        return "contactgegevens"
    first = path.strip("/").split("/")[0]
    if first in ("verwerkingen", "inzage", "abonnementen"):
        # The processing log and the inzage document, a privacy officer's; webhook
        # subscriptions (one scope for every method).
        return first
    for register, resources in {
        "partijen": (
            "partijen",
            "partij-identificatoren",
            "digitaleadressen",
            "rekeningnummers",
            "vertegenwoordigingen",
            "categorieen",
            "categorie-relaties",
        ),
        "klantcontacten": (
            "klantcontacten",
            "betrokkenen",
            "onderwerpobjecten",
            "bijlagen",
            "maak-klantcontact",
            "klantcontactcijfers",
        ),
        "taken": ("actoren", "actorklantcontacten", "internetaken"),
    }.items():
        if first in resources:
            return register
    raise AssertionError(f"no register for {path}")


def operations():
    for api, prefix in PREFIXES.items():
        document = yaml.safe_load((Path(settings.BASE_DIR) / "openapi" / f"{api}.yaml").read_text())
        for path, item in document["paths"].items():
            for method in METHODS:
                if method in item:
                    url = prefix + path.replace("{uuid}", str(uuid.uuid4()))
                    url = url.replace("{audit_uuid}", str(uuid.uuid4()))
                    yield api, path, method, url


OPERATIONS = sorted(operations())


def send(client, method, url):
    return getattr(client, method)(url, {}, format="json") if method != "get" else client.get(url)


def test_every_register_has_operations():
    registers = {register_of(path, api) for api, path, _, _ in OPERATIONS}
    assert registers == {
        "partijen",
        "klantcontacten",
        "taken",
        "contactgegevens",
        "verwerkingen",
        "inzage",
        "abonnementen",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("api", "path", "method", "url"), OPERATIONS)
def test_scopes_of_every_operation(anon_client, client_with, api, path, method, url):
    register = register_of(path, api)
    abonnementen = register == "abonnementen"
    scope = "abonnementen.beheren" if abonnementen else scope_for(register, method.upper())
    samenvoegen = path == "/partijen/{uuid}/samenvoegen"
    if samenvoegen:
        # A merge has a scope of its own (docs/regie.md), not partijen.schrijven.
        scope = "partijen.samenvoegen"
    vergeten = path == "/partijen/{uuid}/vergeten"
    if vergeten:
        # So has an erasure; its answer is a summary, not the partij.
        scope = "partijen.vergeten"

    assert send(anon_client, method, url).status_code == 401

    others = [s for s in ("partijen.lezen", "partijen.schrijven", "taken.lezen") if s != scope]
    without = send(client_with(*others), method, url)
    assert without.status_code == 403, without.content
    assert without.json()["code"] == "missing-scope"
    assert scope in without.json()["detail"]

    if method != "get" and not abonnementen and not samenvoegen and not vergeten:
        read_only = send(client_with(f"{register}.lezen"), method, url)
        assert read_only.status_code == 403
        assert f"{register}.schrijven" in read_only.json()["detail"]

    needed = [scope]
    if path.endswith(("/audittrail", "/audittrail/{audit_uuid}")):
        # An object's audit trail needs its own scope beside the register's, and a view of
        # everything it records (confidential klantcontacten too).
        trail = send(client_with(scope), method, url)
        assert trail.status_code == 403
        assert "audittrails.lezen" in trail.json()["detail"]
        partial = send(client_with(scope, "audittrails.lezen"), method, url)
        assert partial.status_code == 403
        assert partial.json()["code"] == "niet-alles-zichtbaar"
        needed += ["audittrails.lezen", *SEES_EVERYTHING]
    if path in ("/inzage", "/verwerkingen"):
        # Everything about a partij: only for an application that sees everything.
        partial = send(client_with(scope), method, url)
        assert partial.status_code == 403
        assert partial.json()["code"] == "niet-alles-zichtbaar"
        needed += SEES_EVERYTHING
    if samenvoegen:
        # Writing the register is not enough; and its answer is the partij: reading too.
        writer = send(client_with("partijen.lezen", "partijen.schrijven"), method, url)
        assert writer.status_code == 403
        assert "partijen.samenvoegen" in writer.json()["detail"]
        merge_only = send(client_with(scope), method, url)
        assert merge_only.status_code == 403
        assert "partijen.lezen" in merge_only.json()["detail"]
        needed.append("partijen.lezen")
    if vergeten:
        writer = send(client_with("partijen.lezen", "partijen.schrijven"), method, url)
        assert writer.status_code == 403
        assert "partijen.vergeten" in writer.json()["detail"]
    if method in ("put", "patch") and not abonnementen:
        # Their response is the stored object: they need reading too.
        write_only = send(client_with(scope), method, url)
        assert write_only.status_code == 403
        assert f"{register}.lezen" in write_only.json()["detail"]
        needed.append(f"{register}.lezen")
    allowed = send(client_with(*needed), method, url)
    assert allowed.status_code not in (401, 403), allowed.content
