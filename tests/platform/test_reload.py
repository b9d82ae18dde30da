"""A gunicorn reload (SIGHUP: new workers with the new code, the old ones finish what they
are doing) under load loses no request."""

import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from .servers import (
    API,
    Cluster,
    Gunicorn,
    copy_test_database,
    create_token,
    project_env,
    request,
    under_load,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(django_db_setup, django_db_blocker):
    root = Path(tempfile.mkdtemp(prefix="herladen-"))
    root.chmod(0o755)
    cluster = Cluster(root)
    copy_test_database(cluster, root, django_db_blocker)
    env = project_env(cluster.url())
    token = create_token(env, "herladen")
    gunicorn = Gunicorn(env, root, workers=2, threads=2)
    try:
        yield gunicorn, token
    finally:
        gunicorn.stop()
        cluster.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def _workers(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def test_a_reload_under_load_loses_no_request(server):
    gunicorn, token = server
    results: list[int | str] = []

    def read():
        try:
            status, _, _ = request(f"{gunicorn.origin}{API}/partijen?pageSize=5", token)
        except OSError as exc:  # a refused or reset connection
            status = f"{type(exc).__name__}: {exc}"
        results.append(status)

    with under_load(read, threads=6):
        time.sleep(1)
        voor = _workers(gunicorn.process.pid)
        for _ in range(2):
            os.kill(gunicorn.process.pid, signal.SIGHUP)
            time.sleep(2.5)
        na = _workers(gunicorn.process.pid)
        time.sleep(0.5)
    assert voor and na and not (voor & na), "the workers were not replaced"
    assert len(results) > 100
    assert [r for r in results if r != 200] == []
    # The metrics of all workers, the replaced ones included, count every request once.
    _, _, body = request(f"{gunicorn.origin}/metrics")
    geteld = sum(
        sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
        if sample.name == "klantinteracties_http_requests_total"
        and "partijen" in sample.labels["route"]
        and sample.labels["status"] == "200"
    )
    assert geteld == len(results)
