"""The figures of a report, computed from data, and the sentences that state them in the Board's
words. Growth is computed from the two years' figures (never copied from a column):
5250 / 4130.6 -> "tăng 27,1%"; 645.262 / 488.096 -> "tăng 32,2%"; 2950 / 2400.3 -> "tăng 22,9%".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from cuakhau.core.vnformat import format_number, format_percent
from cuakhau.trade.formatting import amount_text
from cuakhau.trade.selectors import Figure, annual_figure, growth

from . import registry


@dataclass
class Line:
    amount: str  # Decimal as text (JSON-safe snapshot)
    base: str  # usd | vnd | count
    origin: str
    previous: str | None = None
    growth: str | None = None
    source: str = ""

    @property
    def text(self) -> str:
        return amount_text(Decimal(self.amount), self.base)


def _line(fig: Figure | None, before: Figure | None, base: str) -> Line | None:
    if fig is None:
        return None
    g = growth(fig.amount, before.amount) if before is not None else None
    return Line(
        amount=str(fig.amount),
        base=base,
        origin=fig.origin,
        previous=str(before.amount) if before else None,
        growth=str(g) if g is not None else None,
        source=fig.source,
    )


@dataclass
class AnnualFigures:
    year: int
    turnover_total: Line | None = None
    turnover_export: Line | None = None
    turnover_import: Line | None = None
    customs_total: Line | None = None
    customs_export: Line | None = None
    customs_import: Line | None = None
    fee_revenue: Line | None = None
    tasks: dict | None = None
    tasks_origin: str = ""
    next_tasks: list[str] = field(default_factory=list)
    next_tasks_count: int | None = None
    incidents: dict | None = None

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> AnnualFigures:
        data = dict(data)
        for key in (
            "turnover_total",
            "turnover_export",
            "turnover_import",
            "customs_total",
            "customs_export",
            "customs_import",
            "fee_revenue",
        ):
            if data.get(key):
                data[key] = Line(**data[key])
        return cls(**data)


def _pair(series: str, metric: str, year: int) -> tuple[Figure | None, Figure | None]:
    return annual_figure(series, metric, year), annual_figure(series, metric, year - 1)


def _fee_figure(year: int) -> tuple[Figure | None, Figure | None]:
    current, before = _pair("fees", "infrastructure_fee_revenue", year)

    def from_fees(y: int) -> Figure | None:
        value = registry.call("fee_revenue", start=dt.date(y, 1, 1), end=dt.date(y, 12, 31))
        return Figure("fees", "infrastructure_fee_revenue", y, Decimal(value), "fees") if value else None

    return current or from_fees(year), before or from_fees(year - 1)


def annual(year: int) -> AnnualFigures:
    figs = AnnualFigures(year=year)
    for metric in ("turnover_total", "turnover_export", "turnover_import"):
        setattr(figs, metric, _line(*_pair("all_through_gates", metric, year), "usd"))
        setattr(
            figs,
            metric.replace("turnover", "customs"),
            _line(*_pair("declared_at_langson_customs", metric, year), "usd"),
        )
    figs.fee_revenue = _line(*_fee_figure(year), "vnd")
    tasks = registry.call("task_evaluation", year=year)
    if tasks:
        figs.tasks, figs.tasks_origin = dict(tasks), "plans"
    else:
        counts = {}
        for key, metric in (
            ("total", "key_tasks_total"),
            ("clear_result", "key_tasks_clear_result"),
            ("completed_unclear", "key_tasks_completed_unclear"),
            ("not_completed", "key_tasks_not_completed"),
        ):
            fig = annual_figure("tasks", metric, year)
            if fig is not None:
                counts[key] = int(fig.amount)
        if "total" in counts:
            figs.tasks, figs.tasks_origin = counts, "series"
    figs.next_tasks = list(registry.call("next_tasks", year=year + 1) or [])
    planned = annual_figure("tasks", "planned_tasks_and_solutions", year + 1)
    figs.next_tasks_count = len(figs.next_tasks) or (int(planned.amount) if planned else None)
    incidents = registry.call("incidents", start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    figs.incidents = dict(incidents) if incidents else None
    return figs


def _change(line: Line, year: int, *, with_year: bool = True) -> str:
    if line.growth is None:
        return ""
    g = Decimal(line.growth)
    word = "tăng" if g >= 0 else "giảm"
    text = f", {word} {format_percent(abs(g))}"
    return text + (f" so với năm {year - 1}" if with_year else "")


def sentences(figs: AnnualFigures) -> dict[str, list[str]]:
    """The generated paragraphs by section: 'results' (turnover, fees, tasks, incidents), 'next'."""
    y = figs.year
    results: list[str] = []
    if figs.turnover_total:
        s = (
            f"Tổng kim ngạch xuất nhập khẩu hàng hóa qua các cửa khẩu trên địa bàn tỉnh năm {y} đạt "
            f"{figs.turnover_total.text}{_change(figs.turnover_total, y)}"
        )
        parts = []
        if figs.turnover_export:
            parts.append(
                f"xuất khẩu đạt {figs.turnover_export.text}{_change(figs.turnover_export, y, with_year=False)}"
            )
        if figs.turnover_import:
            parts.append(
                f"nhập khẩu đạt {figs.turnover_import.text}{_change(figs.turnover_import, y, with_year=False)}"
            )
        if parts:
            s += "; trong đó " + ", ".join(parts)
        results.append(s + ".")
    elif figs.turnover_export:
        results.append(
            f"Kim ngạch xuất khẩu qua các cửa khẩu năm {y} đạt {figs.turnover_export.text}{_change(figs.turnover_export, y)}."
        )
    if figs.customs_total:
        s = (
            f"Riêng hàng hóa làm thủ tục tại Hải quan Lạng Sơn (chuỗi số liệu riêng, không cộng với số trên) đạt "
            f"{figs.customs_total.text}{_change(figs.customs_total, y)}"
        )
        parts = []
        if figs.customs_export:
            parts.append(
                f"xuất khẩu {figs.customs_export.text}{_change(figs.customs_export, y, with_year=False)}"
            )
        if figs.customs_import:
            parts.append(
                f"nhập khẩu {figs.customs_import.text}{_change(figs.customs_import, y, with_year=False)}"
            )
        results.append(s + ("; trong đó " + ", ".join(parts) if parts else "") + ".")
    if figs.fee_revenue:
        results.append(
            "Thu phí sử dụng công trình kết cấu hạ tầng, công trình dịch vụ, tiện ích công cộng trong khu vực cửa khẩu "
            f"đạt {figs.fee_revenue.text}{_change(figs.fee_revenue, y)}."
        )
    if figs.tasks:
        t = figs.tasks
        s = f"Trong {format_number(t['total'])} nhiệm vụ trọng tâm của năm, {format_number(t.get('clear_result', 0))} nhiệm vụ hoàn thành có kết quả rõ nét"
        s += f", {format_number(t.get('completed_unclear', 0))} nhiệm vụ hoàn thành nhưng kết quả chưa rõ nét"
        not_done = t.get("not_completed", 0)
        s += (
            f", {format_number(not_done)} nhiệm vụ chưa hoàn thành"
            if not_done
            else ", không có nhiệm vụ chưa hoàn thành"
        )
        results.append(s + ".")
    if figs.incidents:
        inc = figs.incidents
        s = f"Tại khu vực cửa khẩu đã tiếp nhận, xử lý {format_number(inc.get('total', 0))} vụ việc về an ninh, trật tự, vệ sinh môi trường"
        if inc.get("resolved") is not None:
            s += f", đã giải quyết xong {format_number(inc['resolved'])} vụ"
        kinds = inc.get("by_kind") or []
        if kinds:
            s += " (" + "; ".join(f"{label}: {format_number(n)}" for label, n in kinds) + ")"
        results.append(s + ".")
    nxt: list[str] = []
    if figs.next_tasks:
        nxt.append(
            f"Năm {y + 1}, Ban Quản lý tập trung thực hiện {format_number(len(figs.next_tasks))} nhiệm vụ trọng tâm sau:"
        )
        nxt.extend(f"{i}. {task}" for i, task in enumerate(figs.next_tasks, start=1))
    elif figs.next_tasks_count:
        nxt.append(
            f"Năm {y + 1}, Ban Quản lý đề ra {format_number(figs.next_tasks_count)} nhiệm vụ, giải pháp trọng tâm "
            "(nội dung cụ thể do các phòng bổ sung trước khi ban hành)."
        )
    return {"results": results, "next": nxt}
