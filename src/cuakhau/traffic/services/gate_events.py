"""Gate events from devices (plate cameras, QR scanners) and what they do to a trip.

* `gate_event_post` is what the API calls: it keeps the first response under the caller's
  Idempotency-Key in the same transaction as the event, so a replay returns that response and
  keeps nothing of its own attempt; a key reused with another body is refused (422). It is the one
  public function here that is not a `@service`: it wraps the event's transaction (`_post`, durable)
  and answers after a rollback, so it must not run inside one (a savepoint would cost two statements
  on every event).
* `gate_event_record` matches the event to a declaration (the signed QR token first, then the
  normalised plate of the vehicle or trailer), applies the transition it means and writes one audit
  event: gate-in at a yard takes a called vehicle into the yard (and, at the border-gate yard, makes the
  infrastructure fee fall due through fees.services.fee_assess); gate-out passes a vehicle whose every
  check has passed across the gate, and announces the crossing once the transaction commits
  (core.hooks.TRIPS_CROSSED: trade refreshes its computed turnover), unless the gate's exit rule wants
  its fee paid first (services.exits: the refusal answers with the amount due and the VietQR to pay
  it). Anything else is recorded as an exception for the operators.
* Yard stays follow the vehicles physically, matched or not: occupancy, dwell, overstay.

The trip's moves are the declaration workflow's `gate_in` and `cross` (actions.DECLARATION). On this
hot path the step's scope query is replaced by the device's own gate check (`_where`: a token posts
for its unit's gates, an operator for theirs) and the state by `allows_from` (no query); the event
writes the transition's audit action itself, with the event's facts, in the same statements as before."""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import hooks, plainsql
from cuakhau.core.audit import audit_record
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.service import service
from cuakhau.gates.models import Gate
from cuakhau.parties.plates import PlateError, parse_plate

from .. import barrier, gate_sql, passes, permissions, reference
from ..actions import DECLARATION, GATE_EXCEPTION
from ..models import (
    Declaration,
    EventKind,
    ExceptionReason,
    GateEvent,
    GateException,
    IdempotencyRecord,
    MatchedBy,
    Status,
    Yard,
    YardStay,
    goods_kind,
)

MAX_KEY = 128
MAX_AGE = datetime.timedelta(days=7)
MAX_AHEAD = datetime.timedelta(minutes=5)
# Results that leave the trip where it was and open an exception for the operators.
GATE_IN, CROSS = DECLARATION.get("gate_in"), DECLARATION.get("cross")
REFUSED = frozenset({"unmatched", "blocked", "unpaid"})
_EXCEPTION_REASON = {"blocked": ExceptionReason.BLOCKED, "unpaid": ExceptionReason.UNPAID}


# --- who may post where -------------------------------------------------------------------------


def _allowed_gate_ids(actor, token=None) -> set[int] | None:
    """The gates a caller may post events for: a device token's unit's gates; a signed-in operator's
    gates; every gate (None) for the system and where the policy says so (permissions)."""
    if token is not None:
        return set(reference.unit_gate_ids(token.unit_id))
    if actor is None or permissions.may_post_events_anywhere(actor):
        return None
    return set(actor.gate_ids())


def _site(gate: Gate) -> frozenset[int]:
    """A gate and the routes under it (or its parent) count as one site for matching."""
    return reference.site_ids(gate)


# --- matching -----------------------------------------------------------------------------------


def _match(*, qr: str = "", plate_key: str = "", kind: str = EventKind.IN) -> tuple[Declaration | None, str]:
    """The declaration an event belongs to and how it was found (qr, plate), or (None, '').

    Called inside the event's transaction: the row found is locked FOR UPDATE in the same statement,
    with what applying the event reads (its vehicle, its enterprise's unit; see gate_sql). PostgreSQL
    re-checks the conditions on a row that changed while it waited, so the row returned is as it stands."""
    if qr:
        read = passes.read_token(qr)
        if read is not None:
            found = gate_sql.match_qr(*read)
            if found is not None:
                return found, MatchedBy.QR
    if plate_key:
        found = gate_sql.match_active(plate_key)
        if found is None and kind == EventKind.OUT:
            found = gate_sql.match_crossed(plate_key, timezone.now() - datetime.timedelta(hours=24))
        if found is not None:
            return found, MatchedBy.PLATE
    return None, ""


# --- applying an event to its declaration -------------------------------------------------------


def _charge(declaration: Declaration, on: datetime.date):
    """The plain description of the trip the fee engine takes (fees.engine.Charge). Goods lines carry
    their kind by HS chapter (models.goods_kind), their weight in tonnes and their value in đồng when
    declared in đồng or converted by the declarant; the containers of the most common size."""
    from cuakhau.fees.engine import Charge, GoodsLine

    lines, sizes = gate_sql.goods(declaration.pk)
    goods = tuple(
        GoodsLine(
            kind=goods_kind(hs_code),
            declared_value=int(value_vnd or 0),
            tonnes=(gross_kg / Decimal(1000)).quantize(Decimal("0.001")),
        )
        for hs_code, gross_kg, value_vnd in lines
    )
    size = max(set(sizes), key=lambda s: (sizes.count(s), s)) if sizes else None
    return Charge(
        flow=declaration.flow,
        goods=goods,
        container=size,
        containers=sizes.count(size) if size else 1,
        vehicle_tonnes=declaration.vehicle.tonnage,
        origin="vn" if declaration.direction == "exit" else "foreign",
        transship_only=declaration.flow == "transshipment",
        on=on,
    )


def _assess_fee(declaration: Declaration, event: GateEvent, actor) -> None:
    from cuakhau.fees.services import fee_assess

    # No savepoint: fee_assess raises its ServiceErrors before writing anything, and its writes
    # (one INSERT ... ON CONFLICT DO NOTHING) belong to the gate event's transaction.
    try:
        assessment = fee_assess(
            actor=actor,
            charge=_charge(declaration, timezone.localdate(event.occurred_at)),
            gate_code=declaration.gate.code,
            gate=declaration.gate,
            payer_unit_id=declaration.enterprise.unit_id,
            payer_unit=declaration.enterprise.unit,
            source="traffic.declaration",
            source_id=str(declaration.pk),
            source_label=_("Tờ khai %(n)s, xe %(plate)s")
            % {"n": declaration.number, "plate": declaration.vehicle.plate},
        )
    except ServiceError as exc:
        # The vehicle is in the yard whatever the tariff says; the operators see why no fee was set.
        declaration.fee_error = (exc.messages[0] if exc.messages else str(exc))[:500]
        declaration.fee_assessment = None
    else:
        declaration.fee_assessment = assessment
        declaration.fee_error = ""


def _blocked(message: str) -> tuple[str, str, bool]:
    return "blocked", message, False


def _apply(event: GateEvent, declaration: Declaration, actor) -> tuple[str, str, bool, str]:
    """Apply `event` to `declaration` (locked by the caller). Returns (result, detail, accepted, audit
    action). Never raises for a refused passage: the event stays recorded, with an exception."""
    if not _site(event.gate) & {declaration.gate_id}:
        return (
            *_blocked(
                _("Tờ khai %(n)s đăng ký qua %(gate)s, không phải cửa khẩu này.")
                % {"n": declaration.number, "gate": declaration.gate.name}
            ),
            "",
        )
    state = declaration.status
    if event.kind == EventKind.IN:
        if state == Status.IN_YARD:
            return "already_in", _("Xe đã ở trong bãi."), True, ""
        if not DECLARATION.allows_from(declaration, "gate_in"):
            if state == Status.APPROVED:
                return (
                    *_blocked(_("Xe số thứ tự %(q)s chưa được gọi vào.") % {"q": declaration.queue_number}),
                    "",
                )
            return (
                *_blocked(
                    _("Tờ khai %(n)s đang ở trạng thái “%(s)s”, chưa được gọi vào.")
                    % {"n": declaration.number, "s": declaration.get_status_display()}
                ),
                "",
            )
        declaration.status = GATE_IN.target
        declaration.yard_in_at = event.occurred_at
        if event.yard is not None and event.yard.is_border_yard:
            _assess_fee(declaration, event, actor)
        plainsql.update(declaration, ["status", "yard_in_at", "fee_assessment", "fee_error"])
        return "in_yard", _("Xe vào bãi."), True, GATE_IN.audit
    # gate-out: across the gate
    if state == Status.CROSSED:
        return "already_crossed", _("Xe đã qua cửa khẩu."), True, ""
    if not DECLARATION.allows_from(declaration, "cross"):
        return (
            *_blocked(
                _("Tờ khai %(n)s đang ở trạng thái “%(s)s”: xe chưa được qua.")
                % {"n": declaration.number, "s": declaration.get_status_display()}
            ),
            "",
        )
    if state == Status.CALLED and reference.has_active_yards(event.gate):
        return (*_blocked(_("Xe chưa qua bãi kiểm tra của cửa khẩu.")), "")
    waiting = gate_sql.waiting_checks(declaration.pk)
    if waiting:
        parts = [
            f"{c.get_agency_kind_display()}: {c.get_status_display()}" + (f" ({c.note})" if c.note else "")
            for c in waiting
        ]
        return (*_blocked(_("Chưa được qua: %(checks)s.") % {"checks": "; ".join(parts)}), "")
    refusal = barrier.exit_refusal(declaration, event.occurred_at)
    if refusal:
        return "unpaid", refusal, False, "traffic.declaration.exit_refused"
    declaration.status = CROSS.target
    declaration.crossed_at = event.occurred_at
    plainsql.update(declaration, ["status", "crossed_at"])
    # What is counted as crossing that day changed (trade's computed turnover listens).
    hooks.announce_on_commit(
        hooks.TRIPS_CROSSED, gate_id=declaration.gate_id, day=timezone.localdate(event.occurred_at)
    )
    gate_sql.close_refusals(
        declaration.pk, event.occurred_at, _("Xe đã qua cửa khẩu: phí đã nộp hoặc quy định cho phép.")
    )
    return "crossed", _("Xe qua cửa khẩu."), True, CROSS.audit


def _stay(event: GateEvent, declaration: Declaration | None, accepted: bool) -> None:
    if event.yard is None or not event.plate_key:
        return
    if event.kind == EventKind.IN:
        # One statement: if the plate already has an open stay in this yard (the unique index on open
        # stays), including one a concurrent gate-in just opened, nothing is inserted.
        stay = YardStay(
            yard=event.yard,
            plate=event.plate,
            plate_key=event.plate_key,
            declaration=declaration,
            two_way=bool(declaration and declaration.two_way),
            entered_at=event.occurred_at,
            in_event=event,
        )
        plainsql.insert(stay, ignore_conflicts=True)
    elif accepted or declaration is None:
        gate_sql.close_stay(event)


def _occurred(value: Any) -> datetime.datetime:
    now = timezone.now()
    if value in (None, ""):
        return now
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError as exc:
            raise ServiceError(
                _("Thời điểm phải theo ISO 8601, ví dụ 2026-03-02T08:15:00+07:00."), field="occurred_at"
            ) from exc
    if not isinstance(value, datetime.datetime):
        raise ServiceError(_("Thời điểm không hợp lệ."), field="occurred_at")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + MAX_AHEAD:
        raise ServiceError(
            _("Thời điểm sự kiện ở tương lai: kiểm tra đồng hồ của thiết bị."), field="occurred_at"
        )
    if value < now - MAX_AGE:
        raise ServiceError(_("Sự kiện cũ hơn 7 ngày không được nhận qua thiết bị."), field="occurred_at")
    return value


def _where(gate_code: str, yard_code: str, allowed: set[int] | None) -> tuple[Gate, Yard | None]:
    yard = None
    if yard_code:
        yard = reference.yard_by_code(yard_code)
        if yard is None:
            raise ServiceError(_("Không có bãi mã %(code)s.") % {"code": yard_code}, field="yard")
        if gate_code and yard.gate.code != gate_code:
            raise ServiceError(
                _("Bãi %(y)s không thuộc cửa khẩu %(g)s.") % {"y": yard_code, "g": gate_code}, field="yard"
            )
        gate = yard.gate
    else:
        if not gate_code:
            raise ServiceError(_("Cần mã cửa khẩu (gate) hoặc mã bãi (yard)."), field="gate")
        gate = reference.gate_by_code(gate_code)
        if gate is None:
            raise ServiceError(_("Không có cửa khẩu mã %(code)s.") % {"code": gate_code}, field="gate")
    if allowed is not None and gate.pk not in allowed:
        raise ServiceError(
            _("Thiết bị này không được gửi sự kiện cho %(gate)s: chỉ cho cửa khẩu của đơn vị mình.")
            % {"gate": gate.name},
            field="gate",
            code="forbidden",
            status=403,
        )
    return gate, yard


@service
def gate_event_record(
    *,
    actor,
    kind: str,
    gate_code: str = "",
    yard_code: str = "",
    plate: str = "",
    qr: str = "",
    occurred_at: Any = None,
    token=None,
) -> GateEvent:
    """Record one gate event and apply it (see the module's docstring). One audit event: the
    declaration's transition when the event moved a trip, else the event itself."""
    return _record(
        actor=actor,
        kind=kind,
        gate_code=gate_code,
        yard_code=yard_code,
        plate=plate,
        qr=qr,
        occurred_at=occurred_at,
        token=token,
    )


def _record(
    *, actor, kind: str, gate_code: str, yard_code: str, plate: str, qr: str, occurred_at: Any, token
) -> GateEvent:
    """gate_event_record's body, for callers already inside a transaction (no savepoint)."""
    if actor is not None and not permissions.may_post_gate_events(actor):
        raise ServiceError(
            _("Vai trò của bạn không gửi được sự kiện cổng."), field="", code="forbidden", status=403
        )
    if kind not in EventKind.values:
        raise ServiceError(_("Loại sự kiện phải là in (vào) hoặc out (ra)."), field="kind")
    gate, yard = _where(gate_code, yard_code, _allowed_gate_ids(actor, token))
    plate = (plate or "").strip()[:32]
    key = ""
    if plate:
        try:
            parsed = parse_plate(plate)
        except PlateError:
            parsed = None  # a misread plate is still an event: it becomes an exception below
        key = parsed.key if parsed else ""
        plate = parsed.display if parsed else plate
    if not plate and not (qr or "").strip():
        raise ServiceError(_("Cần biển số (plate) hoặc mã QR (qr)."), field="plate")
    event = GateEvent(
        gate=gate,
        yard=yard,
        kind=kind,
        occurred_at=_occurred(occurred_at),
        plate=plate,
        plate_key=key,
        token=token,
        unit=token.unit if token is not None else getattr(actor, "unit", None),
    )
    declaration, how = _match(qr=qr, plate_key=key, kind=kind)
    action = ""
    if declaration is not None:
        if declaration.gate_id == gate.pk:
            declaration._state.fields_cache["gate"] = gate  # else loaded when read
        if not event.plate:
            event.plate, event.plate_key = declaration.vehicle.plate, declaration.vehicle.plate_key
        event.declaration, event.matched_by = declaration, how
        event.result, event.detail, accepted, action = _apply(event, declaration, actor)
    else:
        accepted = False
        event.result = "unmatched"
        event.detail = (
            _("Không khớp tờ khai nào đang hoạt động với biển %(plate)s.") % {"plate": event.plate}
            if event.plate
            else _("Mã QR không hợp lệ hoặc đã hết hiệu lực.")
        )
    plainsql.insert(event)
    _stay(event, declaration, accepted)
    event._exception_pk = None  # read by _event_response: spares looking the exception up
    if event.result in REFUSED:
        event._exception_pk = GateException.objects.create(
            event=event,
            gate=gate,
            declaration=declaration,
            reason=ExceptionReason.UNMATCHED if declaration is None else _EXCEPTION_REASON[event.result],
            message=event.detail,
        ).pk
    after = {
        "event": event.pk,
        "kind": kind,
        "gate": gate.code,
        "yard": yard.code if yard else None,
        "plate": event.plate,
        "matched_by": event.matched_by,
        "result": event.result,
    }
    if action:
        after |= {
            "status": declaration.status,
            "fee_assessment": declaration.fee_assessment_id,
            "fee_error": declaration.fee_error or None,
        }
        audit_record(actor=actor, action=action, obj=declaration, after=after)
    else:
        audit_record(actor=actor, action=f"traffic.gate_event.{event.result}", obj=event, after=after)
    return event


def _event_response(event: GateEvent) -> dict[str, Any]:
    declaration = event.declaration
    if hasattr(event, "_exception_pk"):
        exception = event._exception_pk  # set by _record
    else:
        exception = GateException.objects.filter(event=event).values_list("pk", flat=True).first()
    return {
        "id": event.pk,
        "kind": event.kind,
        "gate": event.gate.code,
        "yard": event.yard.code if event.yard_id else None,
        "occurred_at": event.occurred_at.isoformat(),
        "plate": event.plate,
        "matched_by": event.matched_by or None,
        "accepted": event.result not in REFUSED,
        "result": event.result,
        "detail": event.detail,
        "declaration": (
            {"id": declaration.pk, "number": declaration.number, "status": declaration.status}
            if declaration is not None
            else None
        ),
        "exception": exception,
        # A gate-out the exit rule refused: the amount due and the VietQR to pay it at the barrier.
        "payment": (_payment(declaration) if event.result == "unpaid" and declaration is not None else None),
    }


def _payment(declaration: Declaration) -> dict[str, Any] | None:
    due = barrier.payment_due(declaration, svg=False)
    if due is None:
        return None
    keys = ("amount_due", "reference", "vietqr", "bank_bin", "account", "account_name", "provisional")
    return {k: due[k] for k in keys}


def _body_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def _replay(record: IdempotencyRecord, digest: str) -> tuple[int, dict[str, Any], bool]:
    if record.request_hash != digest:
        raise ServiceError(
            _("Khóa Idempotency-Key này đã dùng cho một sự kiện khác: mỗi sự kiện một khóa mới."),
            field="Idempotency-Key",
            code="idempotency_mismatch",
            status=422,
        )
    return record.status_code, record.response, True


class _KeyTaken(Exception):
    """Raised inside gate_event_post's transaction when its key turns out taken: rolls the attempt back."""


def gate_event_post(*, actor, token, key: str, body: dict[str, Any]) -> tuple[int, dict[str, Any], bool]:
    """The device call: (status, response, replayed). The event is recorded and its response stored
    under the caller's key in one transaction, the key last (one INSERT ... ON CONFLICT DO NOTHING): if
    the key is taken (a replay, or a concurrent call with the same key, whose transaction the insert
    waits for on the unique index), this attempt rolls back whole and the first response is returned;
    a key reused with another body is refused (422). A refused event stores nothing."""
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY or not key.isprintable():
        raise ServiceError(
            _("Cần tiêu đề Idempotency-Key (1–128 ký tự) cho mỗi sự kiện."), field="Idempotency-Key"
        )
    owner = f"token:{token.pk}" if token is not None else f"user:{actor.pk if actor else 0}"
    digest = _body_hash(body)
    try:
        return _post(actor=actor, token=token, owner=owner, key=key, digest=digest, body=body)
    except _KeyTaken:
        return _replay(IdempotencyRecord.objects.get(owner=owner, key=key), digest)
    except ServiceError:
        # A retry whose first attempt was answered gets that answer, even if the event would be refused
        # now (its yard closed since, say); only a key never answered gets the refusal.
        record = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
        if record is None:
            raise
        return _replay(record, digest)


@service
def _post(*, actor, token, owner: str, key: str, digest: str, body: dict[str, Any]):
    event = _record(
        actor=actor,
        token=token,
        kind=body.get("kind", ""),
        gate_code=body.get("gate") or "",
        yard_code=body.get("yard") or "",
        plate=body.get("plate") or "",
        qr=body.get("qr") or "",
        occurred_at=body.get("occurred_at"),
    )
    data = _event_response(event)
    record = IdempotencyRecord(owner=owner, key=key, request_hash=digest, status_code=201, response=data)
    if plainsql.insert(record, ignore_conflicts=True) is None:
        raise _KeyTaken
    return 201, data, False


# --- exceptions ---------------------------------------------------------------------------------


@service
def exception_resolve(
    *, actor, exception: GateException, declaration: Declaration | None = None, note: str = ""
) -> GateException:
    """An operator links an unmatched event to its declaration (or retries a blocked one, once the
    reason is gone): the event is applied as if the device had matched it."""
    with GATE_EXCEPTION.step(actor, exception, "resolve", note=note) as step:
        exception = step.obj
        event = (
            GateEvent.objects.select_for_update(of=("self",))
            .select_related("gate", "yard")
            .get(pk=exception.event_id)
        )
        target = declaration or exception.declaration
        if target is None:
            raise ServiceError(_("Chọn tờ khai để gắn sự kiện này."), field="declaration")
        queryset = (
            Declaration.objects.all() if actor is None else Declaration.objects.for_user(actor, "regulate")
        )
        target = (
            queryset.select_for_update(of=("self",))
            .select_related("gate", "vehicle")
            .filter(pk=target.pk)
            .first()
        )
        if target is None:
            raise NotFound(_("Không tìm thấy tờ khai hoặc bạn không có quyền thao tác."))
        result, detail, accepted, _action = _apply(event, target, actor)
        if not accepted:
            raise ServiceError(detail, field="declaration", status=409)
        event.declaration, event.matched_by, event.result, event.detail = (
            target,
            MatchedBy.MANUAL,
            result,
            detail,
        )
        event.save(update_fields=["declaration", "matched_by", "result", "detail"])
        if event.yard_id and event.kind == EventKind.OUT:
            gate_sql.close_stay(event)
        elif event.yard_id:
            YardStay.objects.filter(in_event=event).update(declaration=target, two_way=target.two_way)
        exception.declaration = target
        exception.note = " ".join((note or "").split())[:500]
        exception.resolved_by = actor
        exception.resolved_at = timezone.now()
        step.facts.update(event=event.pk, result=result, declaration_status=target.status)
    return exception


@service
def exception_dismiss(*, actor, exception: GateException, note: str) -> GateException:
    """Close an exception that needs no trip (a misread plate, a service vehicle), saying why."""
    with GATE_EXCEPTION.step(actor, exception, "dismiss", note=note) as step:
        note = " ".join((note or "").split())
        if not note:
            raise ServiceError(_("Cần ghi lý do đóng ngoại lệ."), field="note")
        step.obj.note = note[:500]
        step.obj.resolved_by = actor
        step.obj.resolved_at = timezone.now()
    return step.obj
