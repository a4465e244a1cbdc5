"""The shapes every statistics reader shares: filters, totals, tables by a dimension with shares and
growth, and the labels of their rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from ..models import GoodsFlow, Metric
from .growth import growth

EXPORT, IMPORT = Metric.TURNOVER_EXPORT.value, Metric.TURNOVER_IMPORT.value


ZERO = Decimal(0)


DIMENSIONS = ("gate", "flow", "hs", "month", "direction")


COMPUTED_DIMENSIONS = (*DIMENSIONS, "enterprise")


KEY_FIELD = {"gate": "gate_code", "flow": "flow", "hs": "hs_chapter"}


@dataclass(frozen=True)
class Filters:
    gate: str = ""
    flow: str = ""
    hs: str = ""

    def keys(self) -> set[str]:
        return {KEY_FIELD[name] for name in ("gate", "flow", "hs") if getattr(self, name)}


NO_FILTERS = Filters()  # frozen: safe as every function's default


@dataclass
class Totals:
    export: Decimal = ZERO
    import_: Decimal = ZERO
    months_with_data: int = 0

    @property
    def total(self) -> Decimal:
        return self.export + self.import_


@dataclass
class TableRow:
    key: str
    label: str
    export: Decimal = ZERO
    import_: Decimal = ZERO
    previous_total: Decimal | None = None  # the same period a year earlier
    share: Decimal | None = None

    @property
    def total(self) -> Decimal:
        return self.export + self.import_

    @property
    def growth(self) -> Decimal | None:
        return growth(self.total, self.previous_total) if self.previous_total else None


@dataclass
class Table:
    by: str
    rows: list[TableRow] = field(default_factory=list)

    @property
    def export(self) -> Decimal:
        return sum((r.export for r in self.rows), ZERO)

    @property
    def import_(self) -> Decimal:
        return sum((r.import_ for r in self.rows), ZERO)

    @property
    def total(self) -> Decimal:
        return self.export + self.import_


def labels(by: str, keys: Iterable[str]) -> dict[str, str]:
    if by == "gate":
        from cuakhau.gates.models import Gate

        names = dict(Gate.objects.filter(code__in=[k for k in keys if k]).values_list("code", "name"))
        return {k: names.get(k, k) if k else _("(không theo cửa khẩu)") for k in keys}
    if by == "flow":
        choices = dict(GoodsFlow.choices)
        return {k: str(choices.get(k, k)) if k else _("(không theo loại hình)") for k in keys}
    if by == "hs":
        return {k: _("Chương %(c)s") % {"c": k} if k else _("(không theo chương HS)") for k in keys}
    if by == "month":
        return {k: f"{k[5:7]}/{k[:4]}" for k in keys}
    if by == "direction":
        return {EXPORT: _("Xuất khẩu"), IMPORT: _("Nhập khẩu")}
    return {k: k for k in keys}


def build_table(by: str, current: dict, earlier: dict) -> Table:
    """A table from {key: {metric: amount}} of the period and of the same period a year earlier."""
    if by == "direction":
        current = {k: {k: v.get(k, ZERO)} for k, v in current.items()}
    keys = sorted(current)
    names = labels(by, keys)
    out = Table(by=by)
    for key in keys:
        data = current[key]
        before = earlier.get(key)
        out.rows.append(
            TableRow(
                key=key,
                label=names.get(key, key),
                export=data.get(EXPORT, ZERO),
                import_=data.get(IMPORT, ZERO),
                previous_total=(before.get(EXPORT, ZERO) + before.get(IMPORT, ZERO)) if before else None,
            )
        )
    if by != "month":
        out.rows.sort(key=lambda r: (-r.total, r.key))
    return shares(out)


def shares(out: Table) -> Table:
    total = out.total
    for row in out.rows:
        row.share = (
            (row.total * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if total else None
        )
    return out
