"""The fee engine: a pure function from a plain description of what is charged (`Charge`) and a plain
copy of one tariff version (`TariffTable`) to an amount in đồng with its explanation (`Assessment`).

It reads no database and imports no other app: `selectors.fee_quote` picks the tariff in force on the day
of charge and calls `assess`; the traffic app will call the same at gate-in with its own description.

How a rule is chosen (the order is the tariff's data, shown in the UI):
1. an exemption rule that matches makes the fee 0;
2. among the rate rules that match, the highest `precedence` wins, then the most specific rule (the one
   with more conditions set), then the earlier rule in the table;
3. every multiplier rule that matches applies in turn (×5, 130%, 30%...);
4. the tariff's cap per trip applies last.
A mixed load follows the tariff's own rule (`mixed_load_rule`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError

FLOWS = (
    "export",
    "import",
    "temp_import_reexport",
    "temp_export_reimport",
    "bonded",
    "transit",
    "transshipment",
    "border_resident",
)
GOODS = ("agricultural", "vegetables", "live_animals", "ore", "fuel", "other")
ORIGINS = ("vn", "foreign")
CONTAINER_SIZES = (20, 40)
# Tonnage bands [from, to): the vehicle's capacity when known, else the weight of the load.
TONNAGE_BANDS = (
    (Decimal(0), Decimal(2), "under_2t"),
    (Decimal(2), Decimal(5), "2t_5t"),
    (Decimal(5), Decimal(10), "5t_10t"),
    (Decimal(10), Decimal(18), "10t_18t"),
    (Decimal(18), None, "18t_plus"),
)
QUANTITY_BASES = {"per_tonne", "per_m3", "per_tonne_or_m3"}
MIXED_RULES = ("highest_declared_value", "highest_fee", "sum_of_lines")


@dataclass(frozen=True)
class GoodsLine:
    kind: str
    declared_value: int = 0  # đồng, from the customs declaration
    tonnes: Decimal | None = None
    m3: Decimal | None = None


@dataclass(frozen=True)
class Charge:
    """What is charged, in plain terms (no model, no traffic import)."""

    flow: str
    goods: tuple[GoodsLine, ...] = ()
    tonnes: Decimal | None = None  # the whole load; the sum of the lines when not given
    m3: Decimal | None = None
    container: int | None = None  # 20 or 40 (feet)
    containers: int = 1  # how many containers of that size on the vehicle
    vehicle_tonnes: Decimal | None = None  # the vehicle's capacity; the load's weight stands in for it
    origin: str = "vn"
    taxable: bool = False
    delivered_inland: bool = False
    transship_only: bool = False
    tariff_code: str = ""  # empty: the zone's tariff in force on `on`
    on: date | None = None  # day of charge; today when empty

    def total_tonnes(self) -> Decimal | None:
        if self.tonnes is not None:
            return Decimal(self.tonnes)
        weights = [Decimal(g.tonnes) for g in self.goods if g.tonnes is not None]
        return sum(weights, Decimal(0)) if weights else None

    def total_m3(self) -> Decimal | None:
        if self.m3 is not None:
            return Decimal(self.m3)
        volumes = [Decimal(g.m3) for g in self.goods if g.m3 is not None]
        return sum(volumes, Decimal(0)) if volumes else None


@dataclass(frozen=True)
class RuleSpec:
    key: str
    label: str
    kind: str = "rate"
    flows: tuple[str, ...] = ()
    goods: tuple[str, ...] = ()
    vehicle_classes: tuple[str, ...] = ()
    origin: str = ""
    taxable: bool | None = None
    delivered_inland: bool | None = None
    transship_only: bool | None = None
    basis: str = ""
    amount: int | None = None
    multiplier_percent: int | None = None
    precedence: int = 0
    is_demo: bool = False
    id: int | None = None
    order: int = 0

    @property
    def specificity(self) -> int:
        return sum(
            [
                bool(self.flows),
                bool(self.goods),
                bool(self.vehicle_classes),
                bool(self.origin),
                self.taxable is not None,
                self.delivered_inland is not None,
                self.transship_only is not None,
            ]
        )


@dataclass(frozen=True)
class TariffTable:
    code: str
    version: int
    name: str
    rules: tuple[RuleSpec, ...]
    mixed_load_rule: str = "highest_declared_value"
    cap_per_trip: int | None = None
    resolution: str = ""


@dataclass(frozen=True)
class Multiplier:
    key: str
    label: str
    percent: int
    is_demo: bool = False


@dataclass(frozen=True)
class Part:
    """The fee for one kind of goods (the whole trip unless the tariff sums mixed loads by line)."""

    goods_kind: str
    rule_key: str
    rule_label: str
    rule_id: int | None
    basis: str
    quantity: Decimal
    unit_price: int
    base_amount: int
    multipliers: tuple[Multiplier, ...]
    amount: int
    exempt: bool = False
    is_demo: bool = False


@dataclass(frozen=True)
class Assessment:
    amount: int
    tariff_code: str
    tariff_version: int
    tariff_name: str
    parts: tuple[Part, ...]
    vehicle_class: str | None
    cap: int | None = None
    cap_applied: bool = False
    mixed_load_note: str = ""
    amount_before_cap: int = 0

    @property
    def rule(self) -> Part:
        return self.parts[0]

    @property
    def is_demo(self) -> bool:
        return any(p.is_demo or any(m.is_demo for m in p.multipliers) for p in self.parts)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["is_demo"] = self.is_demo
        for part in data["parts"]:
            part["quantity"] = str(part["quantity"])
        return data


def vehicle_class(charge: Charge) -> str | None:
    """A container defines the class; otherwise the tonnage band of the vehicle (or of its load)."""
    if charge.container:
        return f"container_{charge.container}"
    weight = charge.vehicle_tonnes if charge.vehicle_tonnes is not None else charge.total_tonnes()
    if weight is None:
        return None
    weight = Decimal(weight)
    for low, high, name in TONNAGE_BANDS:
        if weight >= low and (high is None or weight < high):
            return name
    return None


def _matches(rule: RuleSpec, charge: Charge, kind: str | None, vclass: str | None) -> bool:
    if rule.flows and charge.flow not in rule.flows:
        return False
    if rule.goods and kind not in rule.goods:
        return False
    if rule.vehicle_classes and vclass not in rule.vehicle_classes:
        return False
    if rule.origin and charge.origin != rule.origin:
        return False
    if rule.taxable is not None and charge.taxable != rule.taxable:
        return False
    if rule.delivered_inland is not None and charge.delivered_inland != rule.delivered_inland:
        return False
    return rule.transship_only is None or charge.transship_only == rule.transship_only


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _quantity(rule: RuleSpec, charge: Charge, tonnes: Decimal | None, m3: Decimal | None) -> Decimal:
    if rule.basis in ("per_trip", "per_vehicle"):
        return Decimal(1)
    if rule.basis == "per_container":
        return Decimal(charge.containers if charge.container else 1)
    if rule.basis == "per_tonne":
        if tonnes is None:
            raise ServiceError(
                _("Quy tắc %(rule)s tính theo tấn: cần nhập khối lượng hàng (tấn).") % {"rule": rule.key},
                field="tonnes",
            )
        return tonnes
    if rule.basis == "per_m3":
        if m3 is None:
            raise ServiceError(
                _("Quy tắc %(rule)s tính theo m³: cần nhập thể tích hàng (m³).") % {"rule": rule.key},
                field="m3",
            )
        return m3
    if rule.basis == "per_tonne_or_m3":
        if tonnes is not None:
            return tonnes
        if m3 is not None:
            return m3
        raise ServiceError(
            _("Quy tắc %(rule)s tính theo tấn hoặc m³: cần nhập khối lượng (tấn) hoặc thể tích (m³).")
            % {"rule": rule.key},
            field="tonnes",
        )
    raise ServiceError(
        _("Quy tắc %(rule)s không có đơn vị tính hợp lệ.") % {"rule": rule.key}, field="tariff"
    )


def _part(
    table: TariffTable,
    charge: Charge,
    kind: str | None,
    vclass: str | None,
    tonnes: Decimal | None,
    m3: Decimal | None,
) -> Part:
    candidates = [r for r in table.rules if _matches(r, charge, kind, vclass)]
    exemption = next(
        (r for r in sorted(candidates, key=lambda r: (-r.precedence, r.order)) if r.kind == "exemption"), None
    )
    if exemption is not None:
        return Part(
            goods_kind=kind or "",
            rule_key=exemption.key,
            rule_label=exemption.label,
            rule_id=exemption.id,
            basis="",
            quantity=Decimal(0),
            unit_price=0,
            base_amount=0,
            multipliers=(),
            amount=0,
            exempt=True,
            is_demo=exemption.is_demo,
        )
    rates = [r for r in candidates if r.kind == "rate"]
    if not rates and vclass is None:
        raise ServiceError(
            _("Cần nhập khối lượng hàng (tấn) hoặc loại container để xác định loại phương tiện."),
            field="tonnes",
        )
    if not rates:
        raise ServiceError(
            _("Biểu phí %(code)s không có mức thu cho loại hình, loại hàng và phương tiện đã nhập.")
            % {"code": table.code},
            field="flow",
        )
    rule = min(rates, key=lambda r: (-r.precedence, -r.specificity, r.order))
    quantity = _quantity(rule, charge, tonnes, m3)
    base = _round(Decimal(rule.amount or 0) * quantity)
    amount = base
    multipliers = []
    for m in sorted(
        (r for r in candidates if r.kind == "multiplier"), key=lambda r: (-r.precedence, r.order)
    ):
        percent = m.multiplier_percent or 100
        amount = _round(Decimal(amount) * percent / 100)
        multipliers.append(Multiplier(key=m.key, label=m.label, percent=percent, is_demo=m.is_demo))
    return Part(
        goods_kind=kind or "",
        rule_key=rule.key,
        rule_label=rule.label,
        rule_id=rule.id,
        basis=rule.basis,
        quantity=quantity,
        unit_price=rule.amount or 0,
        base_amount=base,
        multipliers=tuple(multipliers),
        amount=amount,
        is_demo=rule.is_demo,
    )


def validate(charge: Charge) -> None:
    """Bad input is named by field, in the user's language."""
    if charge.flow not in FLOWS:
        raise ServiceError(
            _("Loại hình phải là một trong: %(values)s.") % {"values": ", ".join(FLOWS)}, field="flow"
        )
    for line in charge.goods:
        if line.kind not in GOODS:
            raise ServiceError(
                _("Loại hàng phải là một trong: %(values)s.") % {"values": ", ".join(GOODS)}, field="goods"
            )
        if line.declared_value < 0:
            raise ServiceError(_("Trị giá khai báo không được âm."), field="goods")
    if charge.origin not in ORIGINS:
        raise ServiceError(_("Xuất xứ phải là vn hoặc foreign."), field="origin")
    if charge.container is not None and charge.container not in CONTAINER_SIZES:
        raise ServiceError(_("Container phải là 20 hoặc 40 (feet)."), field="container")
    if charge.containers < 1:
        raise ServiceError(_("Số container phải từ 1 trở lên."), field="containers")
    for name in ("tonnes", "m3", "vehicle_tonnes"):
        value = getattr(charge, name)
        if value is not None and Decimal(value) < 0:
            raise ServiceError(_("Giá trị không được âm."), field=name)
    if charge.delivered_inland and charge.transship_only:
        raise ServiceError(
            _("Xe chỉ sang tải tại bãi thì không vào nội địa giao hàng: chọn một trong hai."),
            field="transship_only",
        )


def assess(charge: Charge, table: TariffTable) -> Assessment:
    """The fee for one trip by one tariff version."""
    validate(charge)
    vclass = vehicle_class(charge)
    tonnes, m3 = charge.total_tonnes(), charge.total_m3()
    values: dict[str, int] = {}
    for line in charge.goods:
        values[line.kind] = values.get(line.kind, 0) + line.declared_value
    kinds = list(values)
    note = ""
    if len(kinds) <= 1:
        parts = [_part(table, charge, kinds[0] if kinds else None, vclass, tonnes, m3)]
    elif table.mixed_load_rule == "sum_of_lines":
        parts = []
        for kind in kinds:
            lines = [g for g in charge.goods if g.kind == kind]
            line_t = [Decimal(g.tonnes) for g in lines if g.tonnes is not None]
            line_m = [Decimal(g.m3) for g in lines if g.m3 is not None]
            parts.append(
                _part(
                    table,
                    charge,
                    kind,
                    vclass,
                    sum(line_t, Decimal(0)) if line_t else None,
                    sum(line_m, Decimal(0)) if line_m else None,
                )
            )
        note = _("Hàng ghép: cộng mức thu của từng loại hàng.")
    else:
        by_kind = {kind: _part(table, charge, kind, vclass, tonnes, m3) for kind in kinds}
        if table.mixed_load_rule == "highest_fee":
            chosen = max(kinds, key=lambda k: (by_kind[k].amount, values[k]))
            note = _("Hàng ghép: áp dụng mức thu cao nhất trong các loại hàng.")
        else:
            # Ties in declared value go to the higher fee, so the choice never depends on input order.
            chosen = max(kinds, key=lambda k: (values[k], by_kind[k].amount))
            note = _("Hàng ghép: áp dụng quy tắc của loại hàng có trị giá khai báo cao nhất (%(kind)s).") % {
                "kind": chosen
            }
        parts = [by_kind[chosen]]
    total = sum(p.amount for p in parts)
    capped = table.cap_per_trip is not None and total > table.cap_per_trip
    return Assessment(
        amount=table.cap_per_trip if capped else total,
        tariff_code=table.code,
        tariff_version=table.version,
        tariff_name=table.name,
        parts=tuple(parts),
        vehicle_class=vclass,
        cap=table.cap_per_trip,
        cap_applied=capped,
        mixed_load_note=note,
        amount_before_cap=total,
    )


def simple_charge(
    *,
    flow: str,
    goods: str | None = None,
    tonnes: Decimal | None = None,
    m3: Decimal | None = None,
    container: int | None = None,
    containers: int = 1,
    vehicle_tonnes: Decimal | None = None,
    origin: str = "vn",
    taxable: bool = False,
    delivered_inland: bool = False,
    transship_only: bool = False,
    tariff_code: str = "",
    on: date | None = None,
    goods_lines: tuple[GoodsLine, ...] = (),
) -> Charge:
    """A charge of one kind of goods (CLI, calculator), or of several lines with declared values."""
    lines = goods_lines or ((GoodsLine(kind=goods),) if goods else ())
    return Charge(
        flow=flow,
        goods=tuple(lines),
        tonnes=tonnes,
        m3=m3,
        container=container,
        containers=containers,
        vehicle_tonnes=vehicle_tonnes,
        origin=origin,
        taxable=taxable,
        delivered_inland=delivered_inland,
        transship_only=transship_only,
        tariff_code=tariff_code,
        on=on,
    )
