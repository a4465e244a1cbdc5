"""The figures of a report, computed from data, and the sentences that state them in the Board's
words. Growth is computed from the two periods' figures (never copied from a column):
5250 / 4130.6 -> "tăng 27,1%"; 645.262 / 488.096 -> "tăng 32,2%"; 2950 / 2400.3 -> "tăng 22,9%".

A report covers a year, a quarter or a month (`Period`). Where each figure comes from:
* turnover: the published series (trade), each named series apart and never added together; and,
  separately labelled, the turnover computed from the declarations of the trips that crossed
  (trade's source (a), rebuilt from traffic);
* fee revenue: the published 'fees' series, otherwise the fees app's e-receipts;
* key tasks (a year only): the province's evaluation in the plans app, otherwise the 'tasks' series;
* directives and incidents: the plans and incidents apps;
* next year's tasks (a year only): the plan of the next year, otherwise the 'tasks' series' count.
Growth is against the same period a year earlier.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from cuakhau.core.vnformat import format_number, format_percent
from cuakhau.trade.formatting import amount_text
from cuakhau.trade.periods import ROMAN, Period
from cuakhau.trade.selectors import Figure, annual_figure, computed_period_totals, growth, period_figure

from . import sources


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


LINE_KEYS = (
    "turnover_total",
    "turnover_export",
    "turnover_import",
    "customs_total",
    "customs_export",
    "customs_import",
    "computed_total",
    "computed_export",
    "computed_import",
    "fee_revenue",
)


@dataclass
class AnnualFigures:
    """The figures of one report (a year, a quarter or a month: `period_kind`, `period_number`)."""

    year: int
    period_kind: str = "year"  # year | quarter | month
    period_number: int = 0  # the quarter (1-4) or the month (1-12)
    turnover_total: Line | None = None
    turnover_export: Line | None = None
    turnover_import: Line | None = None
    customs_total: Line | None = None
    customs_export: Line | None = None
    customs_import: Line | None = None
    computed_total: Line | None = None
    computed_export: Line | None = None
    computed_import: Line | None = None
    fee_revenue: Line | None = None
    tasks: dict | None = None
    tasks_origin: str = ""
    next_tasks: list[str] = field(default_factory=list)
    next_tasks_count: int | None = None
    incidents: dict | None = None
    directives: dict | None = None

    @property
    def period(self) -> Period:
        return make_period(self.year, self.period_kind, self.period_number)

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> AnnualFigures:
        data = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in LINE_KEYS:
            if data.get(key):
                data[key] = Line(**data[key])
        return cls(**data)


def make_period(year: int, kind: str = "year", number: int = 0) -> Period:
    if kind == "quarter":
        return Period.quarter(year, number)
    if kind == "month":
        return Period.month(year, number)
    return Period.year(year)


def period_words(period: Period) -> str:
    """ "năm 2017", "quý I năm 2024", "tháng 3 năm 2024": as the Board names its reporting periods."""
    y, m = period.start.year, period.start.month
    if period.kind == "quarter":
        return f"quý {ROMAN[(m - 1) // 3 + 1]} năm {y}"
    if period.kind == "month":
        return f"tháng {m} năm {y}"
    return f"năm {y}"


def _pair(series: str, metric: str, period: Period) -> tuple[Figure | None, Figure | None]:
    if period.kind == "year":
        y = period.start.year
        return annual_figure(series, metric, y), annual_figure(series, metric, y - 1)
    return period_figure(series, metric, period), period_figure(series, metric, period.same_last_year())


def _fee_figure(period: Period) -> tuple[Figure | None, Figure | None]:
    current, before = _pair("fees", "infrastructure_fee_revenue", period)

    def from_fees(p: Period) -> Figure | None:
        value = sources.fee_revenue(start=p.start, end=p.end)
        if not value:
            return None
        return Figure("fees", "infrastructure_fee_revenue", p.start.year, Decimal(value), "fees")

    return current or from_fees(period), before or from_fees(period.same_last_year())


def _computed(period: Period) -> dict[str, Line]:
    """Turnover computed from declarations (source (a)), with growth on the same period a year
    earlier when that period has declarations for all its months."""
    now, before = computed_period_totals(period), computed_period_totals(period.same_last_year())
    if now is None:
        return {}
    full = before is not None and before.months_with_data == period.months
    out = {}
    for key, attr in (
        ("computed_total", "total"),
        ("computed_export", "export"),
        ("computed_import", "import_"),
    ):
        cur, prev = getattr(now, attr), getattr(before, attr) if full else None
        g = growth(cur, prev) if prev else None
        out[key] = Line(
            amount=str(cur),
            base="usd",
            origin="declarations",
            previous=str(prev) if prev is not None else None,
            growth=str(g) if g is not None else None,
            source="trị giá khai báo trên tờ khai phương tiện, quy đổi theo tỷ giá trung tâm",
        )
    return out


def for_period(period: Period) -> AnnualFigures:
    y = period.start.year
    number = {"quarter": (period.start.month - 1) // 3 + 1, "month": period.start.month}.get(period.kind, 0)
    figs = AnnualFigures(year=y, period_kind=period.kind, period_number=number)
    for metric in ("turnover_total", "turnover_export", "turnover_import"):
        setattr(figs, metric, _line(*_pair("all_through_gates", metric, period), "usd"))
        setattr(
            figs,
            metric.replace("turnover", "customs"),
            _line(*_pair("declared_at_langson_customs", metric, period), "usd"),
        )
    for key, line in _computed(period).items():
        setattr(figs, key, line)
    figs.fee_revenue = _line(*_fee_figure(period), "vnd")
    if period.kind == "year":
        tasks = sources.task_evaluation(year=y)
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
                fig = annual_figure("tasks", metric, y)
                if fig is not None:
                    counts[key] = int(fig.amount)
            if "total" in counts:
                figs.tasks, figs.tasks_origin = counts, "series"
        figs.next_tasks = list(sources.next_tasks(year=y + 1) or [])
        planned = annual_figure("tasks", "planned_tasks_and_solutions", y + 1)
        figs.next_tasks_count = len(figs.next_tasks) or (int(planned.amount) if planned else None)
    incidents = sources.incidents(start=period.start, end=period.end)
    figs.incidents = dict(incidents) if incidents else None
    directives = sources.directives(start=period.start, end=period.end)
    figs.directives = dict(directives) if directives else None
    return figs


def annual(year: int) -> AnnualFigures:
    return for_period(Period.year(year))


def _change(line: Line, figs: AnnualFigures, *, with_base: bool = True) -> str:
    if line.growth is None:
        return ""
    g = Decimal(line.growth)
    word = "tăng" if g >= 0 else "giảm"
    text = f", {word} {format_percent(abs(g))}"
    if not with_base:
        return text
    if figs.period_kind == "year":
        return text + f" so với năm {figs.year - 1}"
    return text + " so với cùng kỳ năm trước"


def _turnover_sentence(figs: AnnualFigures, prefix: str, total, export, imports, *, short: bool) -> str:
    s = f"{prefix}{total.text}{_change(total, figs)}"
    parts = []
    if export:
        parts.append(
            f"xuất khẩu{'' if short else ' đạt'} {export.text}{_change(export, figs, with_base=False)}"
        )
    if imports:
        parts.append(
            f"nhập khẩu{'' if short else ' đạt'} {imports.text}{_change(imports, figs, with_base=False)}"
        )
    return s + ("; trong đó " + ", ".join(parts) if parts else "") + "."


DIRECTIVE_STATES = (
    ("done", "hoàn thành đúng hạn"),
    ("done_late", "hoàn thành chậm so với hạn"),
    ("in_progress", "đang thực hiện"),
    ("open", "chưa triển khai"),
    ("overdue", "quá hạn chưa hoàn thành"),
    ("cancelled", "hủy bỏ"),
)


def sentences(figs: AnnualFigures) -> dict[str, list[str]]:
    """The generated paragraphs by section: 'results' (turnover, fees, tasks, directives, incidents),
    'next'."""
    y = figs.year
    when = period_words(figs.period)
    results: list[str] = []
    if figs.turnover_total:
        results.append(
            _turnover_sentence(
                figs,
                f"Tổng kim ngạch xuất nhập khẩu hàng hóa qua các cửa khẩu trên địa bàn tỉnh {when} đạt ",
                figs.turnover_total,
                figs.turnover_export,
                figs.turnover_import,
                short=False,
            )
        )
    elif figs.turnover_export:
        results.append(
            f"Kim ngạch xuất khẩu qua các cửa khẩu {when} đạt {figs.turnover_export.text}"
            f"{_change(figs.turnover_export, figs)}."
        )
    if figs.customs_total:
        results.append(
            _turnover_sentence(
                figs,
                "Riêng hàng hóa làm thủ tục tại Hải quan Lạng Sơn (chuỗi số liệu riêng, không cộng với số trên) đạt ",
                figs.customs_total,
                figs.customs_export,
                figs.customs_import,
                short=True,
            )
        )
    if figs.computed_total:
        results.append(
            _turnover_sentence(
                figs,
                "Theo tờ khai phương tiện qua các cửa khẩu do Ban quản lý (trị giá khai báo quy đổi theo tỷ giá "
                "trung tâm; nguồn số liệu riêng, không cộng với các số trên), kim ngạch đạt ",
                figs.computed_total,
                figs.computed_export,
                figs.computed_import,
                short=True,
            )
        )
    if figs.fee_revenue:
        results.append(
            "Thu phí sử dụng công trình kết cấu hạ tầng, công trình dịch vụ, tiện ích công cộng trong khu vực cửa khẩu "
            f"{when} đạt {figs.fee_revenue.text}{_change(figs.fee_revenue, figs)}."
        )
    if figs.tasks:
        t = figs.tasks
        n = format_number(t["total"])
        parts = []
        for key, words in (
            ("clear_result", "hoàn thành có kết quả rõ nét"),
            ("completed_unclear", "hoàn thành nhưng chưa có kết quả rõ nét"),
            ("not_completed", "không hoàn thành"),
        ):
            count = t.get(key, 0)
            parts.append(
                f"{format_number(count)}/{n} nhiệm vụ {words}" if count else f"không có nhiệm vụ {words}"
            )
        results.append(
            f"Kết quả đánh giá {n} nhiệm vụ trọng tâm năm {y} của Ban Quản lý: " + ", ".join(parts) + "."
        )
    if figs.directives:
        d = figs.directives
        s = (
            f"Thực hiện {format_number(d['directives'])} ý kiến chỉ đạo của lãnh đạo tỉnh {when} với "
            f"{format_number(d['actions'])} việc cụ thể"
        )
        states = [f"{format_number(d[key])} việc {words}" for key, words in DIRECTIVE_STATES if d.get(key)]
        results.append(s + (": " + ", ".join(states) if states else "") + ".")
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
