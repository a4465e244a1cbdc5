"""Reads of traffic records, each starting from the user's scope (or, for the public board and the
driver's pass, from data that carries no personal information)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone

from cuakhau.core.permissions import VIEW, get_for_user_or_404
from cuakhau.gates.models import Gate
from cuakhau.parties.plates import search_key

from . import permissions
from .models import (
    Capacity,
    Declaration,
    Direction,
    ExceptionStatus,
    GateEvent,
    GateException,
    Status,
    TimeSlot,
    Yard,
    YardStay,
)
from .permissions import RECORD

RECENT = datetime.timedelta(hours=12)


def declaration_list(*, user, q: str = "", status: str = "", gate: str = "", direction: str = ""):
    declarations = Declaration.objects.for_user(user).select_related(
        "enterprise", "vehicle", "trailer", "driver", "gate"
    )
    if q:
        condition = Q(enterprise__name__icontains=q) | Q(driver__full_name__icontains=q)
        key = search_key(q)
        if key:
            condition |= Q(vehicle__plate_key__contains=key) | Q(trailer__plate_key__contains=key)
        digits = q.upper().removeprefix("TK")
        if digits.isdigit():
            condition |= Q(pk=int(digits))
        declarations = declarations.filter(condition)
    if status:
        declarations = declarations.filter(status=status)
    if gate:
        declarations = declarations.filter(gate__code=gate)
    if direction:
        declarations = declarations.filter(direction=direction)
    return declarations


def declaration_detail(*, user, pk, action: str = VIEW) -> Declaration:
    return get_for_user_or_404(
        Declaration.objects.select_related(
            "enterprise", "agent", "vehicle", "trailer", "driver", "gate", "slot", "fee_assessment"
        ),
        user,
        action,
        pk=pk,
    )


# --- waits --------------------------------------------------------------------------------------


def hourly_rate(gate: Gate, direction: str) -> float | None:
    """Vehicles per hour the gate lets through in one direction: the Board's daily capacity spread over
    the hours of its time slots (or the whole day without slots). Unknown without a capacity."""
    capacity = Capacity.objects.filter(gate=gate, direction=direction).first()
    if capacity is None:
        return None
    hours = sum(slot.hours for slot in TimeSlot.objects.filter(gate=gate, direction=direction)) or 24
    return capacity.daily_limit / hours


def wait_minutes(ahead: int, rate: float | None) -> int | None:
    if rate is None or rate <= 0:
        return None
    return round(ahead / rate * 60)


@dataclass
class QueueRow:
    declaration: Declaration
    place: int  # 1 = next to be called
    wait_minutes: int | None


@dataclass
class DirectionBoard:
    direction: str
    label: str
    waiting: list[QueueRow] = field(default_factory=list)
    called: list[Declaration] = field(default_factory=list)
    in_yard: list[Declaration] = field(default_factory=list)
    crossed: list[Declaration] = field(default_factory=list)
    rate: float | None = None
    daily_limit: int | None = None
    called_today: int = 0

    @property
    def next_wait(self) -> int | None:
        return wait_minutes(len(self.waiting), self.rate)


def queue(*, gate: Gate, direction: str, base=None) -> list[QueueRow]:
    """The vehicles waiting to be called at a gate in one direction, in queue order, with their place in
    the whole queue and the wait; only those in `base` (the caller's scope) are listed."""
    order = list(
        Declaration.objects.filter(gate=gate, direction=direction, status=Status.APPROVED)
        .order_by("queue_number")
        .values_list("pk", flat=True)
    )
    places = {pk: i for i, pk in enumerate(order)}
    base = base if base is not None else Declaration.objects.all()
    visible = (
        base.filter(pk__in=order)
        .select_related("vehicle", "trailer", "driver", "enterprise")
        .prefetch_related("checks")
        .order_by("queue_number")
    )
    rate = hourly_rate(gate, direction)
    return [QueueRow(d, places[d.pk] + 1, wait_minutes(places[d.pk], rate)) for d in visible]


def _day_start() -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))


def board(*, gate: Gate, base=None) -> list[DirectionBoard]:
    """The live board of a gate: per direction, the queue with its waits, the vehicles called, those in
    the yard, and those that crossed in the last hours."""
    base = base if base is not None else Declaration.objects.all()
    related = ("vehicle", "trailer", "driver", "enterprise")
    boards = []
    for direction, label in Direction.choices:
        here = base.filter(gate=gate, direction=direction)
        capacity = Capacity.objects.filter(gate=gate, direction=direction).first()
        boards.append(
            DirectionBoard(
                direction=direction,
                label=str(label),
                waiting=queue(gate=gate, direction=direction, base=base),
                called=list(here.filter(status=Status.CALLED).select_related(*related).order_by("called_at")),
                in_yard=list(
                    here.filter(status=Status.IN_YARD)
                    .select_related(*related)
                    .prefetch_related("checks")
                    .order_by("yard_in_at")
                ),
                crossed=list(
                    here.filter(
                        status__in=(Status.CROSSED, Status.COMPLETED), crossed_at__gte=timezone.now() - RECENT
                    )
                    .select_related(*related)
                    .order_by("-crossed_at")[:20]
                ),
                rate=hourly_rate(gate, direction),
                daily_limit=capacity.daily_limit if capacity else None,
                called_today=here.filter(called_at__gte=_day_start())
                .exclude(status=Status.CANCELLED)
                .count(),
            )
        )
    return boards


@dataclass
class PublicGate:
    gate: Gate
    rows: list[dict]


def public_board() -> list[PublicGate]:
    """Counts and waits per gate and direction, for everyone: no plate, no name, no enterprise."""
    counts: dict[tuple[int, str, str], int] = {}
    open_statuses = (Status.APPROVED, Status.CALLED, Status.IN_YARD)
    for gate_id, direction, status, n in (
        Declaration.objects.filter(status__in=open_statuses)
        .values_list("gate_id", "direction", "status")
        .annotate(n=Count("id"))
        .values_list("gate_id", "direction", "status", "n")
    ):
        counts[(gate_id, direction, status)] = n
    crossed_today = dict(
        Declaration.objects.filter(crossed_at__gte=_day_start())
        .values_list("gate_id")
        .annotate(n=Count("id"))
        .values_list("gate_id", "n")
    )
    result = []
    for gate in Gate.objects.filter(is_active=True, mode="road").order_by("sort_order", "name"):
        rows = []
        for direction, label in Direction.choices:
            waiting = counts.get((gate.pk, direction, Status.APPROVED), 0)
            rows.append(
                {
                    "direction": direction,
                    "label": label,
                    "waiting": waiting,
                    "called": counts.get((gate.pk, direction, Status.CALLED), 0),
                    "in_yard": counts.get((gate.pk, direction, Status.IN_YARD), 0),
                    "wait_minutes": wait_minutes(waiting, hourly_rate(gate, direction)),
                }
            )
        if (
            any(r["waiting"] or r["called"] or r["in_yard"] for r in rows)
            or crossed_today.get(gate.pk)
            or Capacity.objects.filter(gate=gate).exists()
        ):
            result.append(PublicGate(gate=gate, rows=rows))
            gate.crossed_today = crossed_today.get(gate.pk, 0)
    return result


def place_in_queue(declaration: Declaration) -> tuple[int | None, int | None]:
    """(place, wait in minutes) of an approved declaration in its gate's queue; (None, None) otherwise."""
    if declaration.status != Status.APPROVED or declaration.queue_number is None:
        return None, None
    ahead = Declaration.objects.filter(
        gate_id=declaration.gate_id,
        direction=declaration.direction,
        status=Status.APPROVED,
        queue_number__lt=declaration.queue_number,
    ).count()
    return ahead + 1, wait_minutes(ahead, hourly_rate(declaration.gate, declaration.direction))


def timeline(declaration: Declaration) -> list[tuple[datetime.datetime, str]]:
    steps = [
        (declaration.created_at, Status.DRAFT.label),
        (declaration.submitted_at, Status.SUBMITTED.label),
        (declaration.approved_at, Status.APPROVED.label),
        (declaration.called_at, Status.CALLED.label),
        (declaration.yard_in_at, Status.IN_YARD.label),
        (declaration.crossed_at, Status.CROSSED.label),
        (declaration.completed_at, Status.COMPLETED.label),
        (declaration.cancelled_at, Status.CANCELLED.label),
    ]
    return sorted([(at, str(label)) for at, label in steps if at], key=lambda s: s[0])


# --- agencies, yards, exceptions ----------------------------------------------------------------


def checks_for(*, user, status: str = "pending"):
    """An agency officer's list at their gates: the checks of their agency on open trips."""
    from .models import AgencyCheck

    checks = (
        AgencyCheck.objects.for_user(user, RECORD)
        .filter(declaration__status__in=(Status.APPROVED, Status.CALLED, Status.IN_YARD))
        .select_related(
            "declaration",
            "declaration__vehicle",
            "declaration__driver",
            "declaration__gate",
            "declaration__enterprise",
        )
    )
    if status:
        checks = checks.filter(status=status)
    return checks.order_by("declaration__gate__sort_order", "declaration__queue_number", "id")


@dataclass
class YardView:
    yard: Yard
    stays: list[YardStay]
    occupancy: int
    overstays: int


def yards(*, user, gate: Gate | None = None) -> list[YardView]:
    now = timezone.now()
    result = []
    queryset = Yard.objects.for_user(user).filter(is_active=True).select_related("gate")
    if gate is not None:
        queryset = queryset.filter(gate=gate)
    for yard in queryset:
        stays = list(
            yard.stays.filter(left_at__isnull=True).select_related("declaration").order_by("entered_at")
        )
        for stay in stays:
            stay.dwell_hours = (now - stay.entered_at).total_seconds() / 3600
            stay.overstay = stay.dwell_hours > stay.limit_hours
        result.append(YardView(yard, stays, len(stays), sum(1 for s in stays if s.overstay)))
    return result


def open_exceptions(*, user, gate: Gate | None = None):
    exceptions = (
        GateException.objects.for_user(user)
        .filter(status=ExceptionStatus.OPEN)
        .select_related("event", "gate", "event__yard", "declaration")
    )
    if gate is not None:
        exceptions = exceptions.filter(gate=gate)
    return exceptions


def recent_events(*, user, gate: Gate | None = None, limit: int = 30):
    events = GateEvent.objects.for_user(user).select_related("yard", "declaration", "gate")
    if gate is not None:
        events = events.filter(gate=gate)
    return events[:limit]


def board_gates(user):
    """The gates whose board a user may open: gate-bound roles their own, the Board every road gate."""
    gates = Gate.objects.filter(is_active=True, mode="road")
    if not permissions.may_see_all_road_gates(user):
        gates = gates.filter(pk__in=user.gate_ids())
    return gates.order_by("sort_order", "name")


# --- declared values, for turnover computed from declarations (trade) ---------------------------------


def declared_value_sums(*, start: datetime.date, end: datetime.date):
    """The declared values of the goods lines of trips that crossed from `start` to `end` (inclusive,
    days in Việt Nam's time), summed per crossing day, direction, currency, gate, goods flow, HS
    chapter and enterprise: dicts with day, direction (exit|entry), currency, gate_code, flow,
    hs_chapter, enterprise_id, enterprise_name, value (Decimal), lines. Not scoped: the trade app
    keeps the statistics and scopes them itself. One grouped query, streamed."""
    from django.db.models import Sum
    from django.db.models.functions import Substr, TruncDate

    from .models import GoodsLine

    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tz)
    rows = (
        GoodsLine.objects.filter(
            declaration__status__in=(Status.CROSSED, Status.COMPLETED),
            declaration__crossed_at__gte=since,
            declaration__crossed_at__lt=until,
        )
        .annotate(
            day=TruncDate("declaration__crossed_at", tzinfo=tz),
            hs_chapter=Substr("hs_code", 1, 2),
        )
        .values(
            "day",
            "currency",
            "hs_chapter",
            direction=F("declaration__direction"),
            gate_code=F("declaration__gate__code"),
            flow=F("declaration__flow"),
            enterprise_id=F("declaration__enterprise_id"),
            enterprise_name=F("declaration__enterprise__name"),
        )
        .annotate(value=Sum("value"), lines=Count("id"))
        .order_by()
    )
    return rows.iterator(chunk_size=20_000)


def crossing_span() -> tuple[datetime.date, datetime.date] | None:
    """The first and last days (Việt Nam's time) on which a trip crossed, or None when none has: the
    range over which the turnover computed from declarations can be rebuilt. Not scoped, as above."""
    from django.db.models import Max, Min

    span = Declaration.objects.filter(
        status__in=(Status.CROSSED, Status.COMPLETED), crossed_at__isnull=False
    ).aggregate(first=Min("crossed_at"), last=Max("crossed_at"))
    if span["first"] is None:
        return None
    return timezone.localdate(span["first"]), timezone.localdate(span["last"])


# --- exit rules and releases ------------------------------------------------------------------------


def exit_rules_by_gate(*, user) -> list[dict]:
    """Every active gate with its exit rule periods (newest first) and the rule in force today."""
    from .models import DEFAULT_EXIT_MODE, ExitMode, GateExitRule

    today = timezone.localdate()
    rules: dict[int, list] = {}
    for rule in GateExitRule.objects.for_user(user, VIEW).select_related("created_by"):
        rules.setdefault(rule.gate_id, []).append(rule)
    rows = []
    for gate in Gate.objects.filter(is_active=True).order_by("sort_order", "name"):
        periods = sorted(rules.get(gate.pk, []), key=lambda r: r.effective_from, reverse=True)
        current = next((r for r in periods if r.applies_on(today)), None)
        rows.append(
            {
                "gate": gate,
                "periods": periods,
                "current": current,
                "mode_label": current.get_mode_display() if current else ExitMode(DEFAULT_EXIT_MODE).label,
            }
        )
    return rows


def released_exits(*, user, limit: int = 50):
    """Trucks let out with their fee unpaid, newest first: listed with the gates' exceptions."""
    return (
        GateException.objects.for_user(user)
        .filter(status=ExceptionStatus.RELEASED)
        .select_related("event", "gate", "declaration", "resolved_by")
        .order_by("-resolved_at")[:limit]
    )
