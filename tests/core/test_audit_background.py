"""Sealing in the background (settings.AUDIT_SEAL = "background"): the committing thread only wakes
the process's sealer thread, which seals in batches; nothing is left behind and the chain verifies."""

import time

import pytest
from django.db import connection
from django.test import override_settings

from cuakhau.core.audit import audit_record
from cuakhau.core.audit_chain import background_sealer, seal_mode, verify_chain
from cuakhau.core.context import acting_as
from cuakhau.core.models import AuditEvent
from tests.core.test_audit import write_concurrently

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads with their own connections: PostgreSQL only"
)


def _until_sealed(expected: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if AuditEvent.objects.filter(chain_seq__isnull=False).count() >= expected and not (
            AuditEvent.objects.filter(chain_seq__isnull=True).exists()
        ):
            return
        time.sleep(0.02)
    raise AssertionError("events left unsealed by the background sealer")


def test_the_mode_is_commit_unless_set_and_a_typo_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    assert seal_mode() == "commit"
    with override_settings(AUDIT_SEAL="background"):
        assert seal_mode() == "background"
    with override_settings(AUDIT_SEAL="later"), pytest.raises(ImproperlyConfigured):
        seal_mode()


@override_settings(AUDIT_SEAL="background")
def test_the_committing_thread_only_wakes_the_sealer(django_capture_on_commit_callbacks, monkeypatch):
    woken = []
    monkeypatch.setattr(background_sealer, "wake", lambda: woken.append(1))
    with django_capture_on_commit_callbacks(execute=True), acting_as(None, channel="task"):
        audit_record(action="test.background", object_type="t", object_id="1")
    assert woken == [1]
    assert AuditEvent.objects.get(action="test.background").chain_seq is None


@on_postgresql
@override_settings(AUDIT_SEAL="background")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_are_sealed_in_the_background_into_one_valid_chain():
    workers, each = 6, 15
    write_concurrently(workers, each)
    _until_sealed(workers * each)
    result = verify_chain()
    assert result.ok, str(result)
    assert result.events == workers * each
    assert sorted(AuditEvent.objects.values_list("chain_seq", flat=True)) == list(
        range(1, workers * each + 1)
    )
    # The sealer thread, not the committers, did it; it stays up for the next commits.
    assert background_sealer._thread is not None and background_sealer._thread.is_alive()
    background_sealer.stop()  # and closes its connection, so that the test database can be dropped
    assert not background_sealer._thread.is_alive()


def test_the_production_server_config_seals_in_the_background_and_seals_on_worker_exit(monkeypatch):
    """deploy/gunicorn.conf.py: background sealing unless AUDIT_SEAL says otherwise, a worker per core
    with 4 threads, and a stopping worker seals what its sealer thread holds."""
    import os
    import runpy
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
    monkeypatch.delenv("AUDIT_SEAL", raising=False)
    config = runpy.run_path(str(path))
    assert os.environ["AUDIT_SEAL"] == "background"
    assert config["worker_class"] == "gthread" and config["threads"] == 4
    assert config["workers"] == (os.cpu_count() or 2)
    monkeypatch.setenv("AUDIT_SEAL", "commit")
    runpy.run_path(str(path))
    assert os.environ["AUDIT_SEAL"] == "commit"  # an explicit choice is kept
    stopped = []
    monkeypatch.setattr(background_sealer, "stop", lambda: stopped.append(1))
    config["worker_exit"](None, None)
    assert stopped == [1]
