"""The audit log: recording, sealing into the hash chain, verifying, and refusing changes."""

import contextlib
import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.utils import DatabaseError

from cuakhau.core.audit import audit_record
from cuakhau.core.audit_chain import (
    GENESIS_HASH,
    event_hash,
    seal_pending,
    verify_chain,
    verify_event,
)
from cuakhau.core.context import acting_as
from cuakhau.core.models import AuditEvent, AuditSeal
from cuakhau.core.models.audit import AppendOnlyError, sealer_writes
from cuakhau.core.roles import Role
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table
on_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL only")


def record(n=1, **kwargs):
    events = []
    with transaction.atomic():
        for i in range(n):
            events.append(
                audit_record(
                    action=kwargs.pop("action", "test.change"),
                    object_type="core.unit",
                    object_id=str(i),
                    object_repr=f"Đơn vị {i}",
                    before={"name": f"cũ {i}"},
                    after={"name": f"mới {i}"},
                    **kwargs,
                )
            )
    return events


@contextlib.contextmanager
def bypassing_guards():
    """What someone with direct database access could do: raw SQL, and on PostgreSQL with the
    append-only trigger switched off (superuser session_replication_role)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def verify_cli():
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", "--no-rows", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue().strip(), err.getvalue().strip()


# --- recording ------------------------------------------------------------------------------------


def test_record_takes_actor_unit_request_and_address_from_the_context():
    user = UserFactory(role=Role.DEPARTMENT_STAFF, username="ntlan")
    with acting_as(user, channel="cli", request_id="req-42", client_ip="10.1.2.3"):
        (event,) = record()
    event.refresh_from_db()
    assert (event.actor, event.actor_label, event.actor_role, event.unit) == (
        user,
        "ntlan",
        Role.DEPARTMENT_STAFF,
        user.unit,
    )
    assert (event.request_id, event.client_ip, event.channel) == ("req-42", "10.1.2.3", "cli")
    assert event.before == {"name": "cũ 0"} and event.after == {"name": "mới 0"}
    assert event.chain_seq is None  # sealed only after commit


def test_record_normalises_addresses_and_drops_garbage():
    with acting_as(None, client_ip="2001:DB8:0:0::1"):
        (v6,) = record()
    with acting_as(None, client_ip="unknown"):
        (bad,) = record()
    v6.refresh_from_db()
    bad.refresh_from_db()
    assert v6.client_ip == "2001:db8::1"
    assert bad.client_ip is None


def test_record_truncates_an_overlong_object_id():
    with transaction.atomic():
        event = audit_record(action="core.auth.login_failed", object_id="x" * 150, object_repr="x" * 150)
    event.refresh_from_db()
    assert event.object_id == "x" * 64


# --- sealing --------------------------------------------------------------------------------------


def test_sealing_assigns_consecutive_seqs_linked_by_hash():
    events = record(3)
    assert seal_pending() == 3
    sealed = list(AuditEvent.objects.order_by("chain_seq"))
    assert [e.chain_seq for e in sealed] == [1, 2, 3]
    assert [e.pk for e in sealed] == [e.pk for e in events]
    assert sealed[0].prev_hash == GENESIS_HASH
    assert sealed[1].prev_hash == sealed[0].hash and sealed[2].prev_hash == sealed[1].hash
    assert all(e.hash == event_hash(e) for e in sealed)
    head = AuditSeal.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (3, sealed[2].hash)

    record(2)
    assert seal_pending() == 2
    assert list(AuditEvent.objects.order_by("chain_seq").values_list("chain_seq", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert seal_pending() == 0


def test_sealing_in_small_batches_makes_the_same_chain():
    record(7)
    assert seal_pending(limit=3) == 7
    assert verify_chain().ok and verify_chain().events == 7


def test_hash_input_is_canonical_across_databases():
    """The stored hash equals the hash of the same event built by hand, so it survives the database's
    round trip (jsonb key order, microseconds, inet spelling); the golden value pins the format."""
    when = datetime.datetime(2026, 3, 5, 8, 30, 15, 123456, tzinfo=datetime.UTC)
    with transaction.atomic():
        event = AuditEvent.objects.create(
            occurred_at=when,
            actor_label="ntlan",
            action="fees.receipt_issue",
            object_type="fees.receipt",
            object_id="HĐ-0001",
            object_repr="Biên lai 0001",
            before={"z": 1, "a": [1, "hai", None, True], "vnd": 12345678901234567},
            after={"đơn vị": "Đồng Đăng", "at": "2026-03-05T15:30:15.123456+07:00"},
            request_id="abc",
            client_ip="2001:DB8:0:0::1",
            channel="web",
        )
    seal_pending()
    stored = AuditEvent.objects.get(pk=event.pk)
    by_hand = AuditEvent(
        pk=event.pk,
        occurred_at=when.astimezone(datetime.timezone(datetime.timedelta(hours=7))),
        actor_label="ntlan",
        action="fees.receipt_issue",
        object_type="fees.receipt",
        object_id="HĐ-0001",
        object_repr="Biên lai 0001",
        before={"a": [1, "hai", None, True], "vnd": 12345678901234567, "z": 1},
        after={"at": "2026-03-05T15:30:15.123456+07:00", "đơn vị": "Đồng Đăng"},
        request_id="abc",
        client_ip="2001:db8::1",
        channel="web",
        chain_seq=1,
        prev_hash=GENESIS_HASH,
    )
    assert stored.hash == event_hash(by_hand)
    by_hand.pk = 1  # a fixed id for the golden value: changing the canonical form must be deliberate
    assert event_hash(by_hand) == "7885e760cf4e27702f7c1fa02a2a99df113f088a5d49572d64b3d5d4a3eaf4c7"


@pytest.mark.django_db(transaction=True)
def test_events_are_sealed_after_commit_and_once_per_transaction():
    user = UserFactory()
    with acting_as(user), transaction.atomic():
        audit_record(action="test.a", obj=user)
        audit_record(action="test.b", obj=user)
        assert AuditEvent.objects.filter(chain_seq__isnull=False).count() == 0
    assert sorted(AuditEvent.objects.values_list("chain_seq", flat=True)) == [1, 2]
    assert verify_chain().ok


def test_one_seal_callback_per_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        record(3)
    assert len(callbacks) == 1


def test_rolled_back_events_leave_nothing():
    with contextlib.suppress(ValueError), transaction.atomic():
        audit_record(action="test.rolled_back")
        raise ValueError
    assert not AuditEvent.objects.filter(action="test.rolled_back").exists()


def test_the_background_task_seals_pending_events():
    from cuakhau.core.tasks import seal_audit_events

    record(2)
    assert seal_audit_events.call() == 2
    assert verify_chain().ok


def write_concurrently(workers: int, each: int) -> None:
    """`workers` threads, started together, each writing `each` audit events in its own transactions."""
    barrier = threading.Barrier(workers)
    errors = []

    def work(n):
        try:
            barrier.wait()
            for i in range(each):
                with acting_as(None, channel="task"), transaction.atomic():
                    audit_record(action="test.concurrent", object_type="w", object_id=f"{n}-{i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_all_end_up_in_one_valid_chain():
    workers, each = 6, 15
    UnitFactory(code="bench")
    write_concurrently(workers, each)
    # No event is left behind by the after-commit sealers, though most of them skipped the locked head.
    assert not AuditEvent.objects.filter(chain_seq__isnull=True).exists()
    result = verify_chain()
    assert result.ok, str(result)
    assert result.events == workers * each
    assert sorted(AuditEvent.objects.values_list("chain_seq", flat=True)) == list(
        range(1, workers * each + 1)
    )


# --- verifying ------------------------------------------------------------------------------------


def test_verify_reports_ok_with_the_head():
    record(3)
    seal_pending()
    result = verify_chain()
    assert result.ok and result.events == 3 and result.head_seq == 3
    code, out, _ = verify_cli()
    assert code == 0
    assert out == f"OK: 3 events, chain head {AuditSeal.objects.get().last_hash[:16]}"


def test_verify_on_an_empty_log_is_ok():
    code, out, _ = verify_cli()
    assert (code, out) == (0, f"OK: 0 events, chain head {GENESIS_HASH[:16]}")


def test_an_altered_event_is_caught_and_named():
    record(4)
    seal_pending()
    target = AuditEvent.objects.get(chain_seq=3)
    with bypassing_guards() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["Đơn vị khác", target.pk])
    result = verify_chain()
    assert not result.ok
    assert (result.broken_id, result.broken_seq) == (target.pk, 3)
    assert "altered" in result.reason
    code, out, _ = verify_cli()
    assert code == 1
    assert out.startswith(f"BROKEN at event #{target.pk} (seq 3): ")


def test_altered_json_is_caught():
    record(2)
    seal_pending()
    target = AuditEvent.objects.get(chain_seq=1)
    altered = '{"name": "giả mạo"}'
    with bypassing_guards() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET after = %s WHERE id = %s", [altered, target.pk])
    result = verify_chain()
    assert (result.ok, result.broken_id) == (False, target.pk)


def test_a_rehashed_event_breaks_the_link_to_the_next():
    record(3)
    seal_pending()
    target = AuditEvent.objects.get(chain_seq=2)
    target.actor_label = "someone_else"
    forged = event_hash(target)
    with bypassing_guards() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET actor_label = %s, hash = %s WHERE id = %s",
            ["someone_else", forged, target.pk],
        )
    result = verify_chain()
    following = AuditEvent.objects.get(chain_seq=3)
    assert (result.ok, result.broken_id, result.broken_seq) == (False, following.pk, 3)
    assert "prev_hash" in result.reason


def test_a_deleted_event_is_caught():
    record(4)
    seal_pending()
    victim = AuditEvent.objects.get(chain_seq=2)
    following = AuditEvent.objects.get(chain_seq=3)
    with bypassing_guards() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [victim.pk])
    result = verify_chain()
    assert (result.ok, result.broken_id, result.broken_seq) == (False, following.pk, 3)
    assert "missing" in result.reason
    code, out, _ = verify_cli()
    assert code == 1 and out.startswith(f"BROKEN at event #{following.pk} (seq 3)")


def test_deleting_the_newest_events_is_caught_by_the_head():
    record(3)
    seal_pending()
    with bypassing_guards() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE chain_seq = 3")
    result = verify_chain()
    assert not result.ok and "head" in result.reason
    assert result.broken_id == AuditEvent.objects.get(chain_seq=2).pk


def test_unsealing_an_event_is_caught():
    record(3)
    seal_pending()
    with bypassing_guards() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET chain_seq = NULL WHERE chain_seq = 2")
    assert not verify_chain().ok


def test_events_left_unsealed_for_long_are_a_warning_not_a_break():
    record(1)
    seal_pending()
    with transaction.atomic():
        AuditEvent.objects.create(
            action="test.stuck",
            occurred_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5),
        )
    result = verify_chain()
    assert result.ok and result.unsealed == 1
    assert result.warnings and "unsealed" in result.warnings[0]
    code, out, err = verify_cli()
    assert code == 0 and out.startswith("OK: 1 events") and err.startswith("WARNING:")
    call_command("audit", "seal", stdout=__import__("io").StringIO())
    assert verify_chain().warnings == []


def test_verify_event_for_the_detail_page():
    record(3)
    seal_pending()
    middle = AuditEvent.objects.get(chain_seq=2)
    assert verify_event(middle)["ok"] is True
    assert verify_event(AuditEvent.objects.get(chain_seq=3))["ok"] is True
    with bypassing_guards() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = 'test.forged' WHERE id = %s", [middle.pk])
    check = verify_event(AuditEvent.objects.get(pk=middle.pk))
    assert check["ok"] is False and check["hash_ok"] is False and check["next_ok"] is True


# --- append-only ----------------------------------------------------------------------------------


def test_code_refuses_to_change_or_delete_events():
    (event,) = record()
    seal_pending()
    event.refresh_from_db()
    event.action = "test.forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["action"])
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["hash"])  # sealed: not even the sealer's fields
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(hash="0" * 64)
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create(
            [AuditEvent(action="x")], update_conflicts=True, unique_fields=["id"], update_fields=["action"]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent(pk=event.pk, action="test.overwrite").save()  # an insert, never an overwrite
    assert AuditEvent.objects.get(pk=event.pk).action == "test.change"
    assert verify_chain().ok


def test_even_the_sealer_cannot_rewrite_a_sealed_event():
    (event,) = record()
    seal_pending()
    with sealer_writes():
        assert AuditEvent.objects.filter(pk=event.pk).update(hash="f" * 64) == 0
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.filter(pk=event.pk).update(action="x")
    assert verify_chain().ok


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {TABLE} SET action = 'test.forged' WHERE id = %s",
        f"UPDATE {TABLE} SET hash = repeat('0', 64) WHERE id = %s",
        f"DELETE FROM {TABLE} WHERE id = %s",
    ],
)
def test_postgresql_trigger_refuses_changes_to_sealed_events(sql):
    (event,) = record()
    seal_pending()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert verify_chain().ok


@on_postgresql
def test_postgresql_trigger_lets_only_the_seal_fields_of_an_unsealed_event_change():
    (event,) = record()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {TABLE} SET object_repr = 'x' WHERE id = %s", [event.pk])
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
    assert seal_pending() == 1
    assert verify_chain().ok
