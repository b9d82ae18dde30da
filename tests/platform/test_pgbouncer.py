"""Behind a real PgBouncer in transaction mode (PgBouncer 1.18: no prepared statements across
transactions), with `DB_PREPARED_STATEMENTS=0` as the only setting: writes, reads with
`expand` and filters, and concurrent clients sharing fewer server connections than they
have."""

import json
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from .servers import (
    API,
    Cluster,
    Gunicorn,
    PgBouncer,
    copy_test_database,
    create_token,
    pgbouncer_binary,
    project_env,
    request,
)

pytestmark = pytest.mark.django_db

BSN = "999993653"


@pytest.fixture
def achter_pgbouncer(django_db_setup, django_db_blocker):
    if pgbouncer_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("pgbouncer is not installed (.ci/run installs it)")
        pytest.skip("pgbouncer is not installed (apt-get install pgbouncer)")
    root = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    root.chmod(0o777)  # the servers may run as a user of their own (as root)
    cluster = Cluster(root)
    copy_test_database(cluster, root, django_db_blocker)
    bouncer = PgBouncer(cluster, root, pool_size=2)
    env = project_env(bouncer.url(), DB_PREPARED_STATEMENTS="0")
    token = create_token(env, "pgbouncer")
    # Two workers of four threads: up to eight client connections on two server connections.
    server = Gunicorn(env, root, workers=2, threads=4)
    try:
        yield server.origin, token, bouncer
    finally:
        server.stop()
        bouncer.stop()
        cluster.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def _post(origin, token, path, body) -> dict:
    status, _, raw = request(
        f"{origin}{API}/{path}", token, method="POST", body=json.dumps(body).encode()
    )
    assert status == 201, raw
    return json.loads(raw)


def _get(origin, token, path) -> dict:
    status, _, raw = request(f"{origin}{API}/{path}", token)
    assert status == 200, raw
    return json.loads(raw)


def test_the_register_works_behind_pgbouncer_in_transaction_mode(achter_pgbouncer):
    origin, token, bouncer = achter_pgbouncer
    assert {
        pool["pool_mode"] for pool in bouncer.show("POOLS") if pool["database"] == "register"
    } == {"transaction"}
    partij = _post(
        origin,
        token,
        "partijen",
        {
            "soortPartij": "persoon",
            "indicatieActief": True,
            "indicatieGeheimhouding": False,
            "voorkeurstaal": "nld",
            "partijIdentificatie": {
                "contactnaam": {"voornaam": "Pool", "achternaam": "Bouncer", "voorletters": "P"}
            },
        },
    )
    _post(
        origin,
        token,
        "partij-identificatoren",
        {
            "identificeerdePartij": {"uuid": partij["uuid"]},
            "partijIdentificator": {
                "codeObjecttype": "natuurlijk_persoon",
                "codeSoortObjectId": "bsn",
                "objectId": BSN,
                "codeRegister": "brp",
            },
        },
    )
    _post(
        origin,
        token,
        "digitaleadressen",
        {
            "verstrektDoorPartij": {"uuid": partij["uuid"]},
            "soortDigitaalAdres": "email",
            "adres": "pool@example.nl",
            "omschrijving": "privé",
        },
    )
    errors: list = []

    def client(n: int):
        try:
            for i in range(6):
                contact = _post(
                    origin,
                    token,
                    "maak-klantcontact",
                    {
                        "klantcontact": {
                            "kanaal": "telefoon",
                            "onderwerp": f"Vraag {n}.{i}",
                            "taal": "nld",
                            "vertrouwelijk": False,
                        },
                        "betrokkene": {
                            "wasPartij": {"uuid": partij["uuid"]},
                            "rol": "klant",
                            "initiator": True,
                        },
                    },
                )
                assert contact["klantcontact"]["uuid"]
                _get(origin, token, f"partijen/{partij['uuid']}?expand=digitaleAdressen")
                _get(
                    origin,
                    token,
                    "klantcontacten?hadBetrokkene__wasPartij__partijIdentificator__objectId="
                    f"{BSN}&expand=hadBetrokkenen&pageSize=5",
                )
        except AssertionError as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]

    historie = _get(
        origin,
        token,
        f"klantcontacten?hadBetrokkene__wasPartij__partijIdentificator__objectId={BSN}",
    )
    assert historie["count"] == 48
    detail = _get(origin, token, f"partijen/{partij['uuid']}?expand=digitaleAdressen")
    assert detail["_expand"]["digitaleAdressen"][0]["adres"] == "pool@example.nl"
    # Shared: never more server connections than the pool has, for more clients than that.
    pools = [pool for pool in bouncer.show("POOLS") if pool["database"] == "register"]
    assert sum(pool["sv_active"] + pool["sv_idle"] + pool["sv_used"] for pool in pools) <= 2
    clients = [c for c in bouncer.show("CLIENTS") if c["database"] == "register"]
    assert len(clients) > 2
