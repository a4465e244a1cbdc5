"""Demo traffic for a living zone: yards at the main gates, capacities and slots, about forty
declarations in every state for the demo enterprises' vehicles and drivers (the demo driver `laixe`
has a trip waiting in the Hữu Nghị queue), gate events, a held plant-quarantine check and an unmatched
plate. Trips leave as their gate's exit rule says: a fee due is paid first (the enterprise transfers
the amount to its deposit, which settles it), one carrier has an approved debt limit, one truck stands
refused at Hữu Nghị with its fee unpaid, and one was let out by the Board's leader with a reason. Everything goes through the services, so the audit log tells the same story. Idempotent: yards
and capacities by their natural keys; the trips only once (marked "[demo]" in their note)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cuakhau.core.service import batch
from cuakhau.gates.models import Gate
from cuakhau.parties.models import Driver, Enterprise, Vehicle
from cuakhau.parties.plates import parse_plate
from cuakhau.parties.selectors import driver_by_id_number

from . import services
from .models import Capacity, Declaration, TimeSlot, Yard

DEMO = "[demo]"
DEMO_TAX = "0100233488"
NONG_SAN, TAN_THANH, VAN_TAI = "4900998719", "4900998726", "4900998758"

YARDS = [
    # gate, code, name, capacity, border-gate yard
    ("HUUNGHI", "bai-huu-nghi", "Bãi kiểm hóa cửa khẩu Hữu Nghị", 300, True),
    ("ROUTE_1119_1120", "bai-1119-1120", "Bãi xe đường chuyên dụng 1119-1120", 200, True),
    ("TANTHANH", "bai-tan-thanh", "Bãi kiểm hóa Tân Thanh", 250, True),
    ("TANTHANH", "bai-trung-chuyen-tan-thanh", "Bãi trung chuyển Tân Thanh (ngoài khu cửa khẩu)", 150, False),
    ("COCNAM", "bai-coc-nam", "Bãi kiểm hóa Cốc Nam", 60, True),
    ("CHIMA", "bai-chi-ma", "Bãi kiểm hóa Chi Ma", 120, True),
]
# Daily capacity by direction: about the mid-2025 figures in border_gates.csv, with headroom.
CAPACITIES = [
    ("HUUNGHI", 350, 700),
    ("ROUTE_1119_1120", 400, 600),
    ("TANTHANH", 200, 500),
    ("COCNAM", 60, 50),
    ("CHIMA", 60, 220),
]
SLOTS = [
    (datetime.time(7), datetime.time(11)),
    (datetime.time(13), datetime.time(17)),
    (datetime.time(19), datetime.time(23)),
]

FRUIT = {
    "hs_code": "08109010",
    "description": "Nhãn tươi",
    "quantity": "18000",
    "unit": "kg",
    "gross_kg": "19500",
    "value": "270000000",
    "currency": "VND",
}
DURIAN = {
    "hs_code": "08106000",
    "description": "Sầu riêng tươi",
    "quantity": "16000",
    "unit": "kg",
    "gross_kg": "17200",
    "value": "31000",
    "currency": "USD",
    "value_vnd": "790000000",
}
ONION = {
    "hs_code": "07031019",
    "description": "Hành tây",
    "quantity": "25000",
    "unit": "kg",
    "gross_kg": "25800",
    "value": "150000",
    "currency": "CNY",
    "value_vnd": "520000000",
}
MACHINE = {
    "hs_code": "84295200",
    "description": "Máy đào bánh xích",
    "quantity": "1",
    "unit": "chiếc",
    "gross_kg": "21000",
    "value": "65000",
    "currency": "USD",
    "value_vnd": "1650000000",
}
CATTLE = {
    "hs_code": "01022900",
    "description": "Bò sống",
    "quantity": "20",
    "unit": "con",
    "gross_kg": "9000",
    "value": "600000000",
    "currency": "VND",
}
GARMENT = {
    "hs_code": "62034290",
    "description": "Quần dài nam bằng bông",
    "quantity": "12000",
    "unit": "chiếc",
    "gross_kg": "4200",
    "value": "48000",
    "currency": "USD",
    "value_vnd": "1220000000",
}

# enterprise, vehicle, trailer, driver (document), gate, flow, direction, lines, containers, final state
TRIPS = [
    # active trips, one per vehicle
    (DEMO_TAX, "12C-123.45", None, "020085001234", "HUUNGHI", "export", "", [FRUIT], [], "approved"),
    (
        DEMO_TAX,
        "12C-234.56",
        None,
        "020082004321",
        "HUUNGHI",
        "export",
        "",
        [GARMENT],
        [("CSQU3054383", 40)],
        "called",
    ),
    (DEMO_TAX, "12C-345.67", "12R-001.23", "020082004321", "HUUNGHI", "import", "", [ONION], [], "in_yard"),
    (NONG_SAN, "12C 456.78", None, "020190007788", "TANTHANH", "export", "", [FRUIT], [], "submitted"),
    (NONG_SAN, "12C-0789", None, "020190007788", "CHIMA", "export", "", [FRUIT], [], "approved"),
    (
        TAN_THANH,
        "12C12321",
        "12R-004.56",
        "020087005566",
        "TANTHANH",
        "import",
        "",
        [MACHINE],
        [("MSCU1234566", 40)],
        "approved",
    ),
    (
        VAN_TAI,
        "29LD-123.45",
        "29R-054.32",
        "020079002233",
        "COCNAM",
        "export",
        "",
        [GARMENT],
        [],
        "in_yard_passed",
    ),
    (VAN_TAI, "98C-345.67", None, "001088009911", "HUUNGHI", "export", "", [GARMENT], [], "refused"),
    (NONG_SAN, "桂F·12345", None, "452101198003151239", "HUUNGHI", "import", "", [DURIAN], [], "released"),
    (
        TAN_THANH,
        "桂F·A8Z26",
        None,
        "452101197807220450",
        "TANTHANH",
        "temp_import_reexport",
        "",
        [MACHINE],
        [("TGHU1234567", 40)],
        "called",
    ),
    (DEMO_TAX, "桂A·56789", None, "450102198501090672", "HUUNGHI", "import", "", [ONION], [], "held"),
    (VAN_TAI, "桂P·23456", None, "E12345678", "CHIMA", "import", "", [CATTLE], [], "submitted"),
]
# Finished and other inactive trips cycle over these.
PAST = [
    (DEMO_TAX, "12C-123.45", "020085001234", "HUUNGHI", "export", [FRUIT]),
    (DEMO_TAX, "12C-234.56", "020082004321", "HUUNGHI", "export", [GARMENT]),
    (NONG_SAN, "12C 456.78", "020190007788", "TANTHANH", "export", [FRUIT]),
    (TAN_THANH, "12C12321", "020087005566", "TANTHANH", "import", [MACHINE]),
    (VAN_TAI, "98C-345.67", "001088009911", "COCNAM", "export", [GARMENT]),
    (NONG_SAN, "桂F·12345", "452101198003151239", "HUUNGHI", "import", [DURIAN]),
    (VAN_TAI, "29LD-123.45", "020079002233", "CHIMA", "export", [GARMENT]),
]
PAST_STATES = ["completed"] * 14 + ["crossed"] * 4 + ["cancelled"] * 3 + ["returned"] * 2 + ["draft"] * 5


def _yards() -> int:
    created = 0
    for gate_code, code, name, capacity, border in YARDS:
        gate = Gate.objects.filter(code=gate_code).first()
        if gate is None or Yard.objects.filter(code=code).exists():
            continue
        Yard.objects.create(gate=gate, code=code, name=name, capacity=capacity, is_border_yard=border)
        created += 1
    for gate_code, exit_limit, entry_limit in CAPACITIES:
        gate = Gate.objects.filter(code=gate_code).first()
        if gate is None:
            continue
        for direction, limit in (("exit", exit_limit), ("entry", entry_limit)):
            if not Capacity.objects.filter(gate=gate, direction=direction).exists():
                services.capacity_set(actor=None, gate=gate, direction=direction, daily_limit=limit)
            if (
                gate_code == "HUUNGHI"
                and not TimeSlot.objects.filter(gate=gate, direction=direction).exists()
            ):
                per_slot = limit // len(SLOTS)
                for starts, ends in SLOTS:
                    services.slot_add(
                        actor=None,
                        gate=gate,
                        direction=direction,
                        starts=starts,
                        ends=ends,
                        capacity=per_slot,
                    )
    return created


def _event(declaration, kind, yard=None, plate=None):
    return services.gate_event_record(
        actor=None,
        kind=kind,
        gate_code=declaration.gate.code if declaration else "HUUNGHI",
        yard_code=yard.code if yard else "",
        plate=plate or declaration.vehicle.plate,
    )


def _border_yard(gate):
    return Yard.objects.filter(gate=gate, is_border_yard=True).first()


def _pass_checks(declaration, held: str = "") -> None:
    for check in declaration.checks.all():
        if check.agency_kind == held:
            services.check_record(
                actor=None,
                check=check,
                status="held",
                note="Thiếu giấy chứng nhận kiểm dịch thực vật của lô hành tây; chờ bổ sung.",
            )
        else:
            services.check_record(actor=None, check=check, status="passed")


def _advance(declaration, state: str) -> None:
    """Take a submitted declaration to `state` through the services."""
    if state == "submitted":
        return
    if state == "returned":
        services.declaration_return(
            actor=None,
            declaration=declaration,
            reason="Mô tả hàng chưa đủ chi tiết; bổ sung quy cách đóng gói.",
        )
        return
    services.declaration_approve(actor=None, declaration=declaration)
    if state == "approved":
        return
    if state == "cancelled":
        services.declaration_cancel(
            actor=None, declaration=declaration, reason="Doanh nghiệp đổi lịch giao hàng."
        )
        return
    services.declaration_call_forward(actor=None, declaration=declaration, reason="Dữ liệu mẫu")
    if state == "called":
        return
    yard = _border_yard(declaration.gate)
    _event(declaration, "in", yard)
    declaration.refresh_from_db()
    if state == "held":
        _pass_checks(declaration, held="plant_quarantine")
        return
    if state == "in_yard":
        return
    _pass_checks(declaration)
    if state == "in_yard_passed":
        return
    if state == "refused":
        _event(declaration, "out", yard)  # the gate's rule wants the fee paid: it stands at the barrier
        return
    _exit(declaration, yard, pay=state != "released")
    if state == "completed":
        declaration.refresh_from_db()
        services.declaration_complete(actor=None, declaration=declaration)


LEADER = "lanhdao"
RELEASE_REASON = "Xe chở hàng tươi sống; doanh nghiệp cam kết nộp phí trong ngày (dữ liệu mẫu)."


def _exit(declaration, yard, *, pay: bool = True) -> None:
    """Gate-out as the gate's exit rule allows: a fee due is paid first (the enterprise transfers what it
    owes to its deposit, which settles its debts), and a trip still refused (no fee could be assessed,
    a provisional fee that cannot be collected yet, or pay=False) is let out by the Board's leader with
    a reason, then leaves."""
    from cuakhau.core.models import User
    from cuakhau.fees.selectors import debt_of, provisional_reason
    from cuakhau.fees.services import deposit_record

    if _event(declaration, "out", yard).result != "unpaid":
        return
    declaration.refresh_from_db()
    unit = declaration.enterprise.unit
    payable = bool(declaration.fee_assessment_id) and not provisional_reason(declaration.fee_assessment_id)
    owed = debt_of(unit.pk) if pay and payable else 0
    if owed:
        deposit_record(
            actor=None, payer_unit=unit, amount=owed, reference=f"KQ{declaration.enterprise.tax_code}"
        )
        if _event(declaration, "out", yard).result != "unpaid":
            return
    leader = User.objects.filter(username=LEADER).first()
    services.exit_release(actor=leader, declaration=declaration, reason=RELEASE_REASON)
    _event(declaration, "out", yard)


def _credit() -> None:
    """The carrier Vận tải … may owe up to 50 million đồng at the gates that allow it."""
    from cuakhau.fees.models import PayerCreditLimit
    from cuakhau.fees.services import credit_limit_set

    carrier = Enterprise.objects.filter(tax_code=VAN_TAI).select_related("unit").first()
    if carrier is not None and not PayerCreditLimit.objects.filter(unit=carrier.unit).exists():
        credit_limit_set(
            actor=None,
            payer_unit=carrier.unit,
            amount=50_000_000,
            decision="Quyết định 125/QĐ-BQL ngày 05/01/2026 (dữ liệu mẫu)",
        )


def _create(tax, plate, trailer, document, gate_code, flow, direction, lines, containers, offset_hours):
    enterprise = Enterprise.objects.get(tax_code=tax)
    return services.declaration_create(
        actor=None,
        enterprise=enterprise,
        vehicle=Vehicle.objects.get(plate_key=parse_plate(plate).key),
        trailer=Vehicle.objects.get(plate_key=parse_plate(trailer).key) if trailer else None,
        driver=driver_by_id_number(Driver.objects.all(), document),
        gate=Gate.objects.get(code=gate_code),
        flow=flow,
        direction=direction,
        planned_arrival=timezone.now() + datetime.timedelta(hours=offset_hours),
        lines=[dict(line) for line in lines],
        containers=[{"number": n, "size": s} for n, s in containers],
        two_way=tax == VAN_TAI,
        note=f"{DEMO} Dữ liệu mẫu",
    )


def load_demo(stdout=None) -> str:
    """All or nothing: one transaction around the services it calls (core.service.batch)."""
    with batch():
        return _load()


def _load() -> str:
    yards = _yards()
    if Declaration.objects.filter(note__startswith=DEMO).exists():
        return f"{yards} yards created, demo trips kept"
    if not Enterprise.objects.filter(tax_code=DEMO_TAX).exists():
        return f"{yards} yards created; no demo parties, no trips"
    _credit()
    made = 0
    # Past trips first, so their vehicles are free again when the active ones are declared.
    for i, state in enumerate(PAST_STATES):
        tax, plate, document, gate_code, flow, lines = PAST[i % len(PAST)]
        declaration = _create(tax, plate, None, document, gate_code, flow, "", lines, [], 1 + i % 5)
        if state != "draft":
            declaration = services.declaration_submit(actor=None, declaration=declaration)
            _advance(declaration, state)
        made += 1
    for i, (tax, plate, trailer, document, gate_code, flow, direction, lines, containers, state) in enumerate(
        TRIPS
    ):
        declaration = _create(
            tax, plate, trailer, document, gate_code, flow, direction, lines, containers, 2 + i
        )
        declaration = services.declaration_submit(actor=None, declaration=declaration)
        _advance(declaration, state)
        made += 1
    # A plate the camera read that no declaration carries: an exception for the operators.
    huu_nghi = Yard.objects.filter(code="bai-huu-nghi").first()
    if huu_nghi is not None:
        services.gate_event_record(
            actor=None, kind="in", gate_code="HUUNGHI", yard_code=huu_nghi.code, plate="桂F·99999"
        )
    return f"{yards} yards created, {made} demo trips"
