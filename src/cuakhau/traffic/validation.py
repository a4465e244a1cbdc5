"""Checks on what a declarant types, shared by the form, the API, the Excel upload and the drafting
services: each value (HS code, container, plate, arrival), a draft's goods lines and containers, and a
whole draft with who may declare it (`draft_errors`: every refusal at once, writing nothing). Each
raises ServiceError naming the field and the rule."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum import iso6346

from cuakhau.core import numbers
from cuakhau.core.errors import Problems, ServiceError
from cuakhau.core.sealed import normalise
from cuakhau.gates.models import Gate, GateMode
from cuakhau.parties.models import Driver, Enterprise, Vehicle
from cuakhau.parties.permissions import acting_for
from cuakhau.parties.plates import PlateError, parse_plate
from cuakhau.parties.selectors import driver_by_id_number

from . import permissions
from .models import FLOW_DIRECTION, ContainerSize, Direction, Flow

HS_RE = re.compile(r"^\d{8}$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
MAX_DAYS_AHEAD = 30
MAX_LINES = 50
MAX_CONTAINERS = 4


def hs_code(raw: Any, field: str = "hs_code") -> str:
    """An 8-digit HS code of the Vietnamese nomenclature (Circular 31/2022/TT-BTC): dots and spaces
    as people write them (0810.90.10) are dropped; the chapter must exist (01-97, 77 is reserved)."""
    text = re.sub(r"[\s.\-]", "", str(raw if raw is not None else "")).strip()
    if not text:
        raise ServiceError(_("Mã HS không được để trống."), field=field)
    if not HS_RE.match(text):
        raise ServiceError(
            _("Mã HS “%(code)s” phải gồm đúng 8 chữ số (ví dụ 0810.90.10 hoặc 08109010).")
            % {"code": str(raw)[:20]},
            field=field,
        )
    chapter = int(text[:2])
    if not 1 <= chapter <= 97 or chapter == 77:
        raise ServiceError(
            _(
                "Mã HS %(code)s: chương %(ch)s không có trong Danh mục hàng hóa xuất nhập khẩu (01–97, trừ 77)."
            )
            % {"code": text, "ch": text[:2]},
            field=field,
        )
    return text


def decimal_value(raw: Any, *, field: str, label: str, positive: bool = True, places: int = 3) -> Decimal:
    """A number from the form, the API or an upload cell: numbers (a numeric Excel cell, a JSON
    number) as they are, text read by core.numbers in the active language (the page's, the
    uploader's), never guessed: "1.200" is 1200 in Vietnamese, "1,200" is refused with its two
    readings."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ServiceError(_("%(label)s không được để trống.") % {"label": label}, field=field)
    try:
        value = numbers.to_number(raw, label=label)
    except numbers.NumberReadError as exc:
        raise ServiceError(exc.message, field=field) from None
    if not value.is_finite() or (value <= 0 if positive else value < 0):
        raise ServiceError(
            (_("%(label)s phải lớn hơn 0.") if positive else _("%(label)s không được âm."))
            % {"label": label},
            field=field,
        )
    if value >= Decimal(10) ** 12:
        raise ServiceError(_("%(label)s quá lớn.") % {"label": label}, field=field)
    return value.quantize(Decimal(1).scaleb(-places))


def currency(raw: Any, field: str = "currency") -> str:
    text = str(raw or "VND").strip().upper()
    if not CURRENCY_RE.match(text):
        raise ServiceError(_("Mã tiền tệ gồm 3 chữ cái theo ISO 4217 (VND, USD, CNY)."), field=field)
    return text


def container_number(raw: Any, field: str = "number") -> str:
    """A container number as ISO 6346 defines it: owner code (3 letters), category (U, J or Z),
    6 digits and the check digit, which is verified."""
    text = re.sub(r"[\s\-]", "", str(raw or "")).upper()
    if not text:
        raise ServiceError(_("Số container không được để trống."), field=field)
    try:
        return iso6346.validate(text)
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ServiceError(
            _("Số container %(n)s sai chữ số kiểm tra (chữ số cuối theo ISO 6346).") % {"n": text},
            field=field,
        ) from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ServiceError(
            _(
                "Số container %(n)s không đúng ISO 6346: 3 chữ cái chủ sở hữu, chữ U/J/Z, 6 chữ số và chữ số kiểm "
                "tra (ví dụ CSQU3054383)."
            )
            % {"n": text[:20]},
            field=field,
        ) from exc


def container_size(raw: Any, field: str = "size") -> int:
    text = str(raw or "").strip().lower().replace("ft", "").replace("'", "").replace("feet", "").strip()
    try:
        size = int(Decimal(text))
    except (InvalidOperation, ValueError) as exc:
        raise ServiceError(_("Cỡ container phải là 20 hoặc 40 (feet)."), field=field) from exc
    if size not in ContainerSize.values:
        raise ServiceError(_("Cỡ container phải là 20 hoặc 40 (feet)."), field=field)
    return size


def vehicle_by_plate(raw: str, *, field: str = "vehicle", trailer: bool = False) -> Vehicle:
    """The registered, active vehicle for a plate written any way; a clear error otherwise."""
    label = _("Biển rơ moóc") if trailer else _("Biển số xe")
    try:
        plate = parse_plate(raw, label=label)
    except PlateError as exc:
        raise ServiceError(exc.message, field=field) from exc
    vehicle = Vehicle.objects.filter(plate_key=plate.key).first()
    if vehicle is None:
        raise ServiceError(
            _("%(label)s %(plate)s chưa được đăng ký: hãy đăng ký phương tiện trước.")
            % {"label": label, "plate": plate.display},
            field=field,
        )
    return vehicle


def driver_by_document(raw: str, *, drivers, field: str = "driver") -> Driver:
    """The driver with this document number among `drivers`, the ones the acting enterprise may name
    on a declaration (forms.driver_choices). The refusal is the same whether the number belongs to
    a driver elsewhere or to no one: an upload must not tell whether a number is registered."""
    number = normalise(raw)
    if not number:
        raise ServiceError(_("Cần ghi số giấy tờ của lái xe."), field=field)
    driver = driver_by_id_number(drivers, number)
    if driver is None:
        # The number is not echoed back: it is personal data.
        raise ServiceError(
            _("Không có lái xe nào đã đăng ký với số giấy tờ này: hãy đăng ký lái xe trước."), field=field
        )
    return driver


def planned_arrival(value: Any, field: str = "planned_arrival") -> datetime.datetime:
    if value in (None, ""):
        raise ServiceError(_("Cần ghi thời gian dự kiến đến."), field=field)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(8, 0))
    if not isinstance(value, datetime.datetime):
        raise ServiceError(_("Thời gian dự kiến đến không hợp lệ (dd/mm/yyyy hh:mm)."), field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    today = timezone.localdate()
    day = timezone.localtime(value).date()
    if day < today:
        raise ServiceError(_("Thời gian dự kiến đến không được trước hôm nay."), field=field)
    if (day - today).days > MAX_DAYS_AHEAD:
        raise ServiceError(_("Chỉ khai trước tối đa %(n)s ngày.") % {"n": MAX_DAYS_AHEAD}, field=field)
    return value


def direction_for(flow: str, stated: str = "") -> str:
    """The direction a flow implies; flows that go either way take the declarant's."""
    if flow not in Flow.values:
        raise ServiceError(
            _("Loại hình phải là một trong: %(v)s.") % {"v": ", ".join(Flow.values)}, field="flow"
        )
    fixed = FLOW_DIRECTION.get(flow)
    if fixed is not None:
        if stated and stated != fixed:
            raise ServiceError(
                _("Loại hình %(flow)s có hướng %(dir)s.")
                % {"flow": Flow(flow).label, "dir": Direction(fixed).label},
                field="direction",
            )
        return fixed
    if stated not in Direction.values:
        raise ServiceError(
            _("Loại hình %(flow)s đi được cả hai chiều: hãy chọn hướng (xuất cảnh hoặc nhập cảnh).")
            % {"flow": Flow(flow).label},
            field="direction",
        )
    return stated


def clean_lines(lines: list[dict]) -> list[dict]:
    """Every goods line checked, and every error of every line reported together (field
    `lines.<n>.<name>`, n from 1)."""
    if not lines:
        raise ServiceError(_("Tờ khai cần ít nhất một dòng hàng."), field="lines")
    if len(lines) > MAX_LINES:
        raise ServiceError(_("Tối đa %(n)s dòng hàng mỗi tờ khai.") % {"n": MAX_LINES}, field="lines")
    problems = Problems()
    cleaned = []
    for i, line in enumerate(lines, start=1):
        prefix = f"lines.{i}."
        description = " ".join(str(line.get("description") or "").split())
        if not description:
            problems.add(_("Dòng hàng %(i)s: cần mô tả hàng hóa.") % {"i": i}, field=prefix + "description")
        unit = str(line.get("unit") or "").strip()
        if not unit:
            problems.add(_("Dòng hàng %(i)s: cần đơn vị tính.") % {"i": i}, field=prefix + "unit")
        cur = problems.run(currency, line.get("currency"), field=prefix + "currency")
        value = problems.run(
            decimal_value,
            line.get("value"),
            field=prefix + "value",
            label=_("Trị giá"),
            positive=False,
            places=2,
        )
        value_vnd = line.get("value_vnd")
        if cur == "VND":
            value_vnd = int(value) if value is not None else None
        elif value_vnd not in (None, ""):
            value_vnd = problems.run(
                decimal_value,
                value_vnd,
                field=prefix + "value_vnd",
                label=_("Trị giá quy ra đồng"),
                positive=False,
                places=0,
            )
            value_vnd = int(value_vnd) if value_vnd is not None else None
        else:
            value_vnd = None
        cleaned.append(
            {
                "line_no": i,
                "hs_code": problems.run(hs_code, line.get("hs_code"), field=prefix + "hs_code"),
                "description": description[:255],
                "quantity": problems.run(
                    decimal_value,
                    line.get("quantity"),
                    field=prefix + "quantity",
                    label=_("Số lượng"),
                ),
                "unit": unit[:16],
                "gross_kg": problems.run(
                    decimal_value,
                    line.get("gross_kg"),
                    field=prefix + "gross_kg",
                    label=_("Trọng lượng (kg)"),
                    places=2,
                ),
                "value": value,
                "currency": cur,
                "value_vnd": value_vnd,
            }
        )
    problems.raise_if_any()
    return cleaned


def clean_containers(containers: list[dict]) -> list[dict]:
    """Every container checked (ISO 6346 number, size, declared once), all errors together (field
    `containers.<n>.<name>`)."""
    if len(containers) > MAX_CONTAINERS:
        raise ServiceError(_("Tối đa %(n)s container mỗi xe.") % {"n": MAX_CONTAINERS}, field="containers")
    problems = Problems()
    cleaned, seen = [], set()
    for i, item in enumerate(containers, start=1):
        number = problems.run(container_number, item.get("number"), field=f"containers.{i}.number")
        if number is not None and number in seen:
            problems.add(_("Container %(n)s khai hai lần.") % {"n": number}, field=f"containers.{i}.number")
        seen.add(number)
        size = problems.run(container_size, item.get("size"), field=f"containers.{i}.size")
        cleaned.append({"number": number, "size": size})
    problems.raise_if_any()
    return cleaned


def agent_for(actor, enterprise: Enterprise) -> Enterprise | None:
    """The agent acting, if any; refuses an inactive enterprise, or one the actor may not declare for."""
    if not isinstance(enterprise, Enterprise) or not enterprise.is_active:
        raise ServiceError(_("Cần chọn doanh nghiệp đang hoạt động."), field="enterprise")
    if actor is None or permissions.may_declare_for_anyone(actor):
        return None
    if not permissions.may_declare_for(actor, enterprise):
        raise ServiceError(
            _("Bạn không được khai tờ khai cho doanh nghiệp %(name)s (cần hợp đồng đại lý còn hiệu lực).")
            % {"name": enterprise.name},
            field="enterprise",
        )
    if enterprise.unit_id == actor.unit_id:
        return None
    from cuakhau.parties.selectors import own_enterprise

    return own_enterprise(actor)


def check_use(actor, enterprise, vehicle, trailer) -> None:
    """An enterprise (or its customs agent) declares only the vehicles it may use: those with no owner
    on record (foreign trucks and hired vehicles, declared by the enterprise that hires them for the
    trip), its own, or those of an enterprise the actor acts for (its own enterprise, its clients under
    a valid mandate). A competitor's truck cannot be declared, so its owner is never blocked by the
    one-active-trip rule. The refusal names the plate, never the owner."""
    if actor is None or permissions.may_declare_for_anyone(actor):
        return
    if not isinstance(enterprise, Enterprise):
        return
    allowed = None
    problems = Problems()
    for name, item in (("vehicle", vehicle), ("trailer", trailer)):
        if not isinstance(item, Vehicle) or item.owner_id is None or item.owner_id == enterprise.pk:
            continue
        if allowed is None:
            allowed = set(acting_for(actor).values_list("pk", flat=True)) if actor.unit_id else set()
        if item.owner_id not in allowed:
            problems.add(
                _(
                    "Phương tiện %(plate)s thuộc doanh nghiệp khác: chỉ khai được xe của doanh nghiệp có hàng, "
                    "của doanh nghiệp bạn được ủy quyền khai, hoặc xe chưa gắn doanh nghiệp sở hữu (xe nước ngoài, xe thuê)."
                )
                % {"plate": item.plate},
                field=name,
            )
    problems.raise_if_any()


def _check_vehicle(vehicle) -> None:
    if not isinstance(vehicle, Vehicle):
        raise ServiceError(_("Cần chọn phương tiện."), field="vehicle")
    if vehicle.is_trailer:
        raise ServiceError(
            _("%(plate)s là rơ moóc: ghi ở ô rơ moóc, ô phương tiện là xe kéo hoặc xe tải.")
            % {"plate": vehicle.plate},
            field="vehicle",
        )
    if not vehicle.is_active:
        raise ServiceError(
            _("Phương tiện %(plate)s đang ngừng hoạt động.") % {"plate": vehicle.plate}, field="vehicle"
        )


def _check_trailer(trailer) -> None:
    if trailer is None:
        return
    if not trailer.is_trailer:
        raise ServiceError(_("%(plate)s không phải rơ moóc.") % {"plate": trailer.plate}, field="trailer")
    if not trailer.is_active:
        raise ServiceError(
            _("Rơ moóc %(plate)s đang ngừng hoạt động.") % {"plate": trailer.plate}, field="trailer"
        )


def _check_driver(driver) -> None:
    if not isinstance(driver, Driver):
        raise ServiceError(_("Cần chọn lái xe."), field="driver")
    if not driver.is_active:
        raise ServiceError(
            _("Lái xe %(name)s đang ngừng hoạt động.") % {"name": driver.full_name}, field="driver"
        )


def _check_gate(gate) -> Gate:
    if not isinstance(gate, Gate) or not gate.is_active:
        raise ServiceError(_("Cần chọn cửa khẩu hoặc đường chuyên dụng đang hoạt động."), field="gate")
    if gate.mode != GateMode.ROAD:
        raise ServiceError(
            _("%(gate)s là ga đường sắt: tờ khai phương tiện chỉ dùng cho cửa khẩu đường bộ.")
            % {"gate": gate.name},
            field="gate",
        )
    return gate


def _clean_header(
    problems: Problems, *, vehicle, trailer, driver, gate, flow, direction, planned_arrival
) -> dict[str, Any]:
    """The trip's header; each field's error goes to `problems`, so that all are reported together."""
    problems.run(_check_vehicle, vehicle)
    problems.run(_check_trailer, trailer)
    problems.run(_check_driver, driver)
    checked_gate = problems.run(_check_gate, gate)
    direction = problems.run(direction_for, flow, direction or "")
    if (
        checked_gate is not None
        and flow == Flow.TRANSSHIPMENT
        and not checked_gate.yards.filter(is_active=True).exists()
    ):
        problems.add(
            _("Chuyển tải chỉ làm tại bãi: %(gate)s chưa có bãi chuyển tải.") % {"gate": checked_gate.name},
            field="flow",
        )
    return {
        "vehicle": vehicle,
        "trailer": trailer,
        "driver": driver,
        "gate": gate,
        "flow": flow,
        "direction": direction,
        "planned_arrival": problems.run(_planned_arrival, planned_arrival),
    }


def clean_draft(
    *, lines: list[dict], containers: list[dict] | None, two_way: bool, note: str, **header
) -> tuple[dict[str, Any], list[dict], list[dict]]:
    """What a draft holds, checked the same way when it is created and when it is changed: its fields
    (the trip's header, two-way, note), its goods lines and its containers. Every part is checked
    and every error raised together, so that the page shows them all on one submit."""
    problems = Problems()
    fields = _clean_header(problems, **header)
    clean = problems.run(clean_lines, lines)
    boxes = problems.run(clean_containers, containers or [])
    problems.raise_if_any()
    assert clean is not None and boxes is not None
    return fields | {"two_way": bool(two_way), "note": (note or "").strip()[:500]}, clean, boxes


def draft_errors(*, actor, enterprise: Enterprise | None = None, **draft) -> ServiceError | None:
    """The refusal `declaration_create` (with an enterprise) or `declaration_update` would give these
    inputs, without writing anything; None if they are all right. Pages call it when their own form
    already has errors, so that the service's errors are shown on the same submit."""
    problems = Problems()
    if enterprise is not None:
        problems.run(agent_for, actor, enterprise)
        problems.run(check_use, actor, enterprise, draft.get("vehicle"), draft.get("trailer"))
    problems.run(clean_draft, **draft)
    return ServiceError.join(problems.errors) if problems else None


_planned_arrival = planned_arrival  # for clean_draft, whose argument has the same name
