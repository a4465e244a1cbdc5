"""Regulation (điều tiết): each gate's daily capacity and time slots by direction, set by the Board
and the gate centres; queue numbers in order of approval; the daily limit on calls forward."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import l10n
from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.service import service
from cuakhau.gates.models import Gate

from ..models import Capacity, Declaration, Direction, QueueCounter, Status, TimeSlot
from ..permissions import may_regulate_gate

SLOT_SEARCH_DAYS = 8
MAX_DAILY = 20000


def _counter(gate: Gate, direction: str) -> QueueCounter:
    """The gate's counter row for one direction, locked for update (created on first use)."""
    QueueCounter.objects.get_or_create(gate=gate, direction=direction)
    return QueueCounter.objects.select_for_update().get(gate=gate, direction=direction)


def _next_queue_number(*, gate: Gate, direction: str) -> int:
    """Called inside the approving transaction: numbers follow the order in which approvals commit,
    without duplicates, because every approval at the gate in that direction waits for the row."""
    counter = _counter(gate, direction)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _free_slot(declaration: Declaration) -> tuple[TimeSlot | None, datetime.date | None]:
    """The first slot, from the planned arrival on, with room left (and the day under the gate's daily
    capacity). Runs under the counter lock taken by _next_queue_number, so two approvals cannot both
    take the last place. None when the gate has no slots or none is free in the next days."""
    slots = list(TimeSlot.objects.filter(gate_id=declaration.gate_id, direction=declaration.direction))
    if not slots:
        return None, None
    capacity = Capacity.objects.filter(gate_id=declaration.gate_id, direction=declaration.direction).first()
    arrival = timezone.localtime(declaration.planned_arrival)
    start = max(arrival.date(), timezone.localdate())
    booked = Declaration.objects.filter(
        gate_id=declaration.gate_id,
        direction=declaration.direction,
        slot_date__gte=start,
        slot_date__lt=start + datetime.timedelta(days=SLOT_SEARCH_DAYS),
    ).exclude(status=Status.CANCELLED)
    by_slot: dict[tuple[int, datetime.date], int] = {}
    by_day: dict[datetime.date, int] = {}
    for slot_id, day in booked.values_list("slot_id", "slot_date"):
        by_slot[(slot_id, day)] = by_slot.get((slot_id, day), 0) + 1
        by_day[day] = by_day.get(day, 0) + 1
    for offset in range(SLOT_SEARCH_DAYS):
        day = start + datetime.timedelta(days=offset)
        if capacity is not None and by_day.get(day, 0) >= capacity.daily_limit:
            continue
        for slot in slots:
            if day == arrival.date() and slot.ends <= arrival.time():
                continue
            if by_slot.get((slot.pk, day), 0) < slot.capacity:
                return slot, day
    return None, None


def _check_daily_capacity(*, gate: Gate, direction: str) -> None:
    capacity = Capacity.objects.filter(gate=gate, direction=direction).first()
    if capacity is None:
        return
    _counter(gate, direction)  # serialise concurrent calls at this gate
    called_today = (
        Declaration.objects.filter(
            gate=gate, direction=direction, called_at__gte=_day_start(timezone.localdate())
        )
        .exclude(status=Status.CANCELLED)
        .count()
    )
    if called_today >= capacity.daily_limit:
        raise ServiceError(
            _("%(gate)s đã gọi đủ %(n)s xe hôm nay theo hướng %(dir)s (năng lực thông quan trong ngày).")
            % {
                "gate": gate.name,
                "n": l10n.format_number(capacity.daily_limit),
                "dir": Direction(direction).label,
            },
            field="capacity",
            code="capacity_reached",
            status=409,
        )


def _require(actor, gate: Gate) -> None:
    """The gate's regulators (permissions.may_regulate_gate); None is the demo loader."""
    if actor is not None and not may_regulate_gate(actor, gate):
        raise ServiceError(
            _("Bạn không được đặt năng lực thông quan cho %(gate)s.") % {"gate": gate.name},
            field="gate",
            status=403,
        )


@service
def capacity_set(*, actor, gate: Gate, direction: str, daily_limit: int) -> Capacity:
    """Set how many vehicles a gate lets through a day in one direction (the Board's regulation plan)."""
    _require(actor, gate)
    if direction not in Direction.values:
        raise ServiceError(_("Hướng phải là xuất cảnh hoặc nhập cảnh."), field="direction")
    try:
        daily_limit = int(daily_limit)
    except (TypeError, ValueError) as exc:
        raise ServiceError(_("Năng lực thông quan là số xe nguyên mỗi ngày."), field="daily_limit") from exc
    if not 1 <= daily_limit <= MAX_DAILY:
        raise ServiceError(
            _("Năng lực thông quan từ 1 đến %(m)s xe mỗi ngày.") % {"m": MAX_DAILY}, field="daily_limit"
        )
    capacity = Capacity.objects.select_for_update().filter(gate=gate, direction=direction).first()
    before = snapshot(capacity, ["daily_limit"]) if capacity else None
    if capacity is None:
        capacity = Capacity(gate=gate, direction=direction, daily_limit=daily_limit)
    capacity.daily_limit = daily_limit
    capacity.save()
    audit_record(
        actor=actor,
        action="traffic.capacity.set",
        obj=capacity,
        before=before,
        after=snapshot(capacity, ["gate", "direction", "daily_limit"]),
    )
    return capacity


@service
def slot_add(
    *, actor, gate: Gate, direction: str, starts: datetime.time, ends: datetime.time, capacity: int
) -> TimeSlot:
    """Add a daily time slot; slots of one gate and direction do not overlap."""
    _require(actor, gate)
    if direction not in Direction.values:
        raise ServiceError(_("Hướng phải là xuất cảnh hoặc nhập cảnh."), field="direction")
    if not isinstance(starts, datetime.time) or not isinstance(ends, datetime.time):
        raise ServiceError(_("Giờ bắt đầu và kết thúc dạng hh:mm."), field="starts")
    if ends <= starts:
        raise ServiceError(_("Giờ kết thúc phải sau giờ bắt đầu."), field="ends")
    try:
        capacity = int(capacity)
    except (TypeError, ValueError) as exc:
        raise ServiceError(_("Số xe của khung giờ là số nguyên."), field="capacity") from exc
    if not 1 <= capacity <= MAX_DAILY:
        raise ServiceError(_("Số xe của khung giờ từ 1 đến %(m)s.") % {"m": MAX_DAILY}, field="capacity")
    overlapping = TimeSlot.objects.filter(
        gate=gate, direction=direction, starts__lt=ends, ends__gt=starts
    ).first()
    if overlapping is not None:
        raise ServiceError(_("Khung giờ trùng với khung %(s)s đã có.") % {"s": overlapping}, field="starts")
    slot = TimeSlot.objects.create(
        gate=gate, direction=direction, starts=starts, ends=ends, capacity=capacity
    )
    audit_record(
        actor=actor,
        action="traffic.slot.add",
        obj=slot,
        after=snapshot(slot, ["gate", "direction", "starts", "ends", "capacity"]),
    )
    return slot


@service
def slot_remove(*, actor, slot: TimeSlot) -> None:
    _require(actor, slot.gate)
    before = snapshot(slot, ["gate", "direction", "starts", "ends", "capacity"])
    audit_record(actor=actor, action="traffic.slot.remove", obj=slot, before=before)
    Declaration.objects.filter(slot=slot).update(slot=None)
    slot.delete()
