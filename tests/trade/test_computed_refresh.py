"""The turnover computed from declarations keeps itself current: a trip's crossing enqueues a refresh
of its month once its transaction commits (one for many crossings), the nightly command catches up,
the demo shows figures at once, and the dashboard card names its series and shows its latest year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cuakhau.core import hooks
from cuakhau.trade import services, tasks
from cuakhau.trade.models import ComputedTurnover
from cuakhau.traffic import services as traffic
from cuakhau.traffic.models import Status
from tests.factories import UserFactory
from tests.traffic.conftest import Trip, approved, trip  # noqa: F401  (the traffic app's fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_process():
    """Each test starts as a process that has scheduled no refresh."""
    tasks.forget_scheduled()
    yield
    tasks.forget_scheduled()


def _refreshes():
    return list(
        DBTaskResult.objects.filter(task_path=tasks.refresh_computed_turnover.module_path).order_by(
            "enqueued_at"
        )
    )


def _post(t: Trip, key: str, kind: str, plate: str):
    return traffic.gate_event_post(
        actor=t.token.user, token=t.token, key=key, body={"yard": "bai-g", "kind": kind, "plate": plate}
    )[1]


def _in_yard(t: Trip, declaration):
    declaration = traffic.declaration_call_forward(actor=t.users["gate_operator"], declaration=declaration)
    assert _post(t, f"in-{declaration.pk}", "in", declaration.vehicle.plate)["result"] == "in_yard"
    officers = {"customs": "customs", "border_guard": "border_guard"}
    officers |= {"medical_quarantine": "medical", "plant_quarantine": "plant"}
    for check in declaration.checks.all():
        traffic.check_record(actor=t.users[officers[check.agency_kind]], check=check, status="passed")
    return declaration


def _second_trip(t: Trip):
    d = t.draft(actor=t.users["user_b"], enterprise=t.b, vehicle=t.vehicle_b, driver=t.driver_b)
    traffic.declaration_submit(actor=t.users["user_b"], declaration=d)
    return _in_yard(t, traffic.declaration_approve(actor=t.users["gate_operator"], declaration=d))


def test_the_hook_registry_refuses_unknown_hooks_and_wrong_facts():
    assert tasks.on_trips_crossed in hooks.listeners(hooks.TRIPS_CROSSED)  # trade's ready() registered it
    with pytest.raises(KeyError):
        hooks.listen("traffic.trip_crossed", print)
    with pytest.raises(TypeError):
        hooks.announce_on_commit(hooks.TRIPS_CROSSED, gate_id=1)


def test_a_crossing_enqueues_one_refresh_of_its_month_after_commit(
    trip,  # noqa: F811
    approved,  # noqa: F811
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    services.rate_set(actor=None, day=dt.date(2000, 1, 1), currency="USD", vnd_per_unit="25000")
    first = _in_yard(trip, approved)
    second = _second_trip(trip)
    # Gate-in, checks and the rest enqueue nothing; a blocked gate-out neither.
    assert _refreshes() == []

    # A crossing rolled back (the device's transaction failed afterwards) announces nothing.
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        assert _post(trip, "out-rolled-back", "out", first.vehicle.plate)["result"] == "crossed"
        raise RuntimeError
    assert not [c for c in callbacks if getattr(c, "func", None) is tasks.on_trips_crossed]
    assert _refreshes() == []
    first.refresh_from_db()
    assert first.status == Status.IN_YARD

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert _post(trip, "out-1", "out", first.vehicle.plate)["result"] == "crossed"
    [announced] = [c for c in callbacks if getattr(c, "func", None) is tasks.on_trips_crossed]
    assert announced.keywords == {"gate_id": trip.gate.pk, "day": timezone.localdate()}
    assert _refreshes() == []  # queued for the commit, not run before it
    announced()
    [queued] = _refreshes()
    today = timezone.localdate()
    month_start, month_end = tasks.month_bounds(today)
    assert queued.args_kwargs["args"] == [month_start.isoformat(), month_end.isoformat()]
    assert queued.status == "READY"
    assert before + tasks.REFRESH_DELAY <= queued.run_after <= timezone.now() + tasks.REFRESH_DELAY

    # The second truck crossing before the refresh runs is covered by it: nothing more is enqueued,
    # and the process does not even read the queue (the gate-event path's cost is a dict lookup).
    reads = []
    monkeypatch.setattr(tasks, "_waiting_refresh", lambda *args: reads.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(trip, "out-2", "out", second.vehicle.plate)["result"] == "crossed"
    assert _refreshes() == [queued] and reads == []
    monkeypatch.undo()
    # Another process (nothing scheduled in memory) finds the refresh waiting in the queue.
    tasks.forget_scheduled()
    assert tasks.schedule_computed_refresh(today) == queued.run_after
    assert _refreshes() == [queued]
    # A crossing after that refresh has started needs a new one.
    later = queued.run_after + dt.timedelta(seconds=1)
    assert tasks.schedule_computed_refresh(today, now=later) == later + tasks.REFRESH_DELAY
    assert len(_refreshes()) == 2

    # The worker runs the refresh: both trips are counted (300,000,000 đồng each at 25,000 đồng/USD).
    assert not ComputedTurnover.objects.exists()
    summary = queued.task.call(*queued.args_kwargs["args"])
    assert summary["lines"] == 2 and summary["unconverted"] == 0
    board = ComputedTurnover.objects.filter(by_enterprise=False, month=month_start)
    assert sum(r.usd for r in board) == Decimal(24000)
    assert {r.gate_code for r in board} == {"GATE_G"}


def test_a_failed_enqueue_is_retried_by_the_next_crossing(monkeypatch):
    day = dt.date(2026, 3, 5)

    def broken(*args, **kwargs):
        raise RuntimeError("queue unavailable")

    monkeypatch.setattr(tasks, "_waiting_refresh", broken)
    with pytest.raises(RuntimeError):
        tasks.schedule_computed_refresh(day)
    monkeypatch.undo()
    assert tasks.schedule_computed_refresh(day) is not None
    [queued] = _refreshes()
    assert queued.args_kwargs["args"] == ["2026-03-01", "2026-03-31"]


# --- the nightly catch-up -------------------------------------------------------------------------


@pytest.fixture
def crossed_demo(demo_data):
    """The traffic demo's trips (some crossed today), parties first; a rate for every line."""
    from cuakhau.core.context import acting_as
    from cuakhau.parties.demo import load_demo as parties_demo
    from cuakhau.traffic.demo import load_demo as traffic_demo

    with acting_as(None, channel="cli"):
        parties_demo()
        traffic_demo()
    for currency, rate in (("USD", "25000"), ("CNY", "3500")):
        services.rate_set(actor=None, day=dt.date(2000, 1, 1), currency=currency, vnd_per_unit=rate)


def test_the_nightly_command_rebuilds_the_months_of_the_last_days(crossed_demo, capsys):
    today = timezone.localdate()
    month = today.replace(day=1)
    call_command("trade", "refresh", "--date", today.isoformat(), "--days", "1")
    out = capsys.readouterr().out
    assert f"computed turnover {month.isoformat()} .. " in out and "0 lines without a rate" in out
    assert ComputedTurnover.objects.filter(month=month, by_enterprise=False).exists()
    # A day that saw no crossing: its month is rebuilt empty, the rows of other months are kept.
    call_command("trade", "refresh", "--date", "2031-05-02", "--days", "1")
    assert "0 goods lines" in capsys.readouterr().out
    assert ComputedTurnover.objects.filter(month=month).exists()
    # --days 7 from the 2nd of a month reaches back into the month before.
    call_command("trade", "refresh", "--date", "2031-05-02", "--enqueue")
    assert capsys.readouterr().out.startswith("enqueued ")
    [queued] = _refreshes()
    assert queued.args_kwargs["args"] == ["2031-04-26", "2031-05-02"]
    assert queued.status == "READY"


def test_the_command_refuses_bad_ranges():
    for args, message in (
        (["--from", "2026-01-01"], "--from and --to go together"),
        (["--from", "2026-02-01", "--to", "2026-01-01"], "--from is after --to"),
        (["--from", "2026-01-01", "--to", "2026-01-31", "--date", "2026-01-01"], "--date goes with"),
        (["--days", "0"], "--days: at least 1"),
        (["--date", "05/06/2026"], "--date"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("trade", "refresh", *args)
    assert not ComputedTurnover.objects.exists() and _refreshes() == []


def test_the_demo_shows_computed_turnover_at_once(crossed_demo):
    from cuakhau.core.context import acting_as
    from cuakhau.trade.demo import load_demo

    assert not ComputedTurnover.objects.exists()
    with acting_as(None, channel="cli"):
        assert "computed turnover from " in load_demo()
        month = timezone.localdate().replace(day=1)
        assert ComputedTurnover.objects.filter(by_enterprise=False, month=month).exists()
        assert "computed turnover kept" in load_demo()


# --- the dashboard card ---------------------------------------------------------------------------


def test_the_turnover_card_names_its_series_and_shows_its_latest_year(trade_data):
    from cuakhau.core.context import acting_as
    from cuakhau.trade.dashboard import dashboard_cards
    from cuakhau.trade.models import Series
    from cuakhau.trade.parsing import ParsedRow, ParseResult

    leader = UserFactory(role="board_leader")
    [card] = dashboard_cards(leader)
    # 2024 has a January–October figure only (after 2023's year figure): the latest year with data.
    assert card.title == "Kim ngạch XNK qua các cửa khẩu trên địa bàn tỉnh"
    assert card.value == "52.900"
    assert card.hint == "Tháng 1–10 năm 2024, triệu USD · tăng 20%"
    assert card.rows == []  # no trip has crossed

    # 2025's year figure arrives: the card moves to it.
    series = Series.objects.get(code="all_through_gates")
    row = ParsedRow(
        line=2,
        metric="turnover_total",
        granularity="year",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        gate_code="",
        flow="",
        hs_chapter="",
        value=Decimal("48000.5"),
        unit="million_usd",
        amount=Decimal("48000500000"),
        yoy_percent=Decimal("-9.3"),
        derived=False,
        source="test",
    )
    with acting_as(None, channel="cli"):
        services.commit_parsed(actor=None, series=series, result=ParseResult(rows=[row]), name="2025.csv")
    [card] = dashboard_cards(leader)
    assert (card.value, card.hint) == ("48.000,5", "Năm 2025, triệu USD · giảm 9,3%")

    # The turnover computed from declarations is a row of its own, named, for its latest year.
    ComputedTurnover.objects.create(
        month=dt.date(2026, 2, 1),
        gate_code="HUUNGHI",
        direction="export",
        flow="export",
        hs_chapter="08",
        usd=Decimal("1234567.8"),
        line_count=3,
    )
    [card] = dashboard_cards(leader)
    assert card.rows == [("Tính từ tờ khai qua cửa khẩu, năm 2026 (triệu USD)", "1,235")]
    assert dashboard_cards(UserFactory(role="driver")) == []
