"""Reads of incidents, each starting from the user's scope; the monthly statistics and their Excel
export read the same rows, so the two always agree."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit
from cuakhau.core.permissions import VIEW, get_for_user_or_404
from cuakhau.core.roles import UnitKind
from cuakhau.gates.models import Gate

from .models import AGENCY_FORCE, Incident, Kind, Status
from .tracking import normalise_tracking_code


def incident_list(*, user, status: str = "", gate=None, kind: str = "", q: str = "", open_only: bool = False):
    incidents = Incident.objects.for_user(user).select_related("gate", "force_unit", "yard")
    if status:
        incidents = incidents.filter(status=status)
    if open_only:
        incidents = incidents.filter(
            status__in=[Status.REPORTED, Status.TRIAGED, Status.HANDED, Status.IN_PROGRESS]
        )
    if gate is not None:
        incidents = incidents.filter(gate=gate)
    if kind:
        incidents = incidents.filter(kind=kind)
    if q:
        code = normalise_tracking_code(q)
        condition = Q(description__icontains=q) | Q(place__icontains=q)
        if code:
            condition |= Q(tracking_code=code)
        incidents = incidents.filter(condition)
    return incidents


def incident_detail(*, user, pk, action: str = VIEW) -> Incident:
    return get_for_user_or_404(
        Incident.objects.select_related("gate", "force_unit", "yard", "reported_by", "duplicate_of"),
        user,
        action,
        pk=pk,
    )


def force_units(incident: Incident, force_kind: str = ""):
    """The agency units working at the incident's gate, optionally of one force."""
    units = Unit.objects.filter(kind=UnitKind.AGENCY, is_active=True, gates=incident.gate_id)
    if force_kind:
        kinds = [agency for agency, force in AGENCY_FORCE.items() if force == force_kind]
        units = units.filter(agency_kind__in=kinds)
    return units.order_by("name")


def duplicate_in_scope(user, code: str) -> Incident | None:
    """The incident a rejected one repeats, named by its tracking code as the user typed it: None for
    no code; ServiceError on `duplicate_of` when no incident in the user's scope has that code."""
    if not code:
        return None
    duplicate = Incident.objects.for_user(user).filter(tracking_code=normalise_tracking_code(code)).first()
    if duplicate is None:
        raise ServiceError(
            _("Không có vụ việc mã %(code)s trong phạm vi của bạn.") % {"code": code},
            field="duplicate_of",
        )
    return duplicate


def public_lookup(code: str) -> Incident | None:
    """The report with this tracking code, for its reporter (no sign-in). The page shows only what
    the public may read: status, type, gate, dates and the answer meant for the reporter."""
    code = normalise_tracking_code(code)
    if not code:
        return None
    return Incident.objects.select_related("gate").filter(tracking_code=code).first()


# --- statistics -----------------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The month's first and next month's first instants, in Việt Nam's time."""
    start = timezone.make_aware(datetime.datetime(year, month, 1))
    end = timezone.make_aware(datetime.datetime(year + (month == 12), month % 12 + 1, 1))
    return start, end


@dataclass
class StatRow:
    gate: Gate
    counts: list[int]
    rejected: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class MonthStats:
    year: int
    month: int
    kinds: list[tuple[str, str]]
    rows: list[StatRow] = field(default_factory=list)

    @property
    def totals(self) -> list[int]:
        return [sum(row.counts[i] for row in self.rows) for i in range(len(self.kinds))]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def rejected(self) -> int:
        return sum(row.rejected for row in self.rows)


def month_rows(*, user, year: int, month: int):
    """The incidents the statistics count: reported in the month, within the user's scope."""
    start, end = month_bounds(year, month)
    return (
        Incident.objects.for_user(user)
        .filter(reported_at__gte=start, reported_at__lt=end)
        .select_related("gate", "force_unit")
        .order_by("reported_at", "id")
    )


def monthly_stats(*, user, year: int, month: int) -> MonthStats:
    """Incidents reported in the month by gate and type. Rejected reports (spam, duplicates) are not
    incidents: they are counted apart, so that a flood of spam does not swell a gate's figures."""
    kinds = list(Kind.choices)
    # Without the rows' ordering: ordering fields would join the GROUP BY and split the counts.
    counted = month_rows(user=user, year=year, month=month).order_by()
    by_cell = {
        (r["gate"], r["kind"]): r["n"]
        for r in counted.exclude(status=Status.REJECTED).values("gate", "kind").annotate(n=Count("id"))
    }
    rejected = dict(
        counted.filter(status=Status.REJECTED)
        .values_list("gate")
        .annotate(n=Count("id"))
        .values_list("gate", "n")
    )
    gate_ids = {g for g, _k in by_cell} | set(rejected)
    stats = MonthStats(year=year, month=month, kinds=kinds)
    for gate in Gate.objects.filter(pk__in=gate_ids).order_by("sort_order", "name"):
        stats.rows.append(
            StatRow(
                gate=gate,
                counts=[by_cell.get((gate.pk, k), 0) for k, _label in kinds],
                rejected=rejected.get(gate.pk, 0),
            )
        )
    return stats


def year_by_month(*, user, year: int) -> list[tuple[int, list[int], int]]:
    """(month, counts by type, total) for each month of the year: the year's curve."""
    kinds = Kind.values
    out = []
    for month in range(1, 13):
        counts = dict(
            month_rows(user=user, year=year, month=month)
            .order_by()  # the default ordering would split the groups
            .exclude(status=Status.REJECTED)
            .values_list("kind")
            .annotate(n=Count("id"))
            .values_list("kind", "n")
        )
        row = [counts.get(k, 0) for k in kinds]
        out.append((month, row, sum(row)))
    return out


def monthly_stats_xlsx(*, user, year: int, month: int) -> bytes:
    """The month's table and the rows behind it, as an Excel workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    stats = monthly_stats(user=user, year=year, month=month)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Theo cửa khẩu")
    ws.append([_("Vụ việc tại khu vực cửa khẩu tháng %(m)02d/%(y)d") % {"m": month, "y": year}])
    ws["A1"].font = Font(bold=True, size=13)
    header = [_("Cửa khẩu"), *[str(label) for _k, label in stats.kinds], _("Cộng"), _("Không thụ lý")]
    ws.append([])
    ws.append(header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in stats.rows:
        ws.append([row.gate.name, *row.counts, row.total, row.rejected])
    ws.append([_("Tổng cộng"), *stats.totals, stats.total, stats.rejected])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 48
    for col in "BCDEFGHI":
        ws.column_dimensions[col].width = 16

    raw = wb.create_sheet(_("Danh sách"))
    raw.append(
        [
            _("Mã"),
            _("Tiếp nhận lúc"),
            _("Cửa khẩu"),
            _("Loại"),
            _("Mức độ"),
            _("Nguồn"),
            _("Trạng thái"),
            _("Lực lượng xử lý"),
        ]
    )
    for cell in raw[1]:
        cell.font = Font(bold=True)
    for incident in month_rows(user=user, year=year, month=month):
        raw.append(
            [
                incident.tracking_code,
                timezone.localtime(incident.reported_at).replace(tzinfo=None),
                incident.gate.name,
                incident.get_kind_display(),
                incident.get_severity_display() if incident.severity else "",
                incident.get_source_display(),
                incident.get_status_display(),
                incident.force_label,
            ]
        )
        raw.cell(row=raw.max_row, column=2).number_format = "DD/MM/YYYY HH:MM"
    for col, width in zip("ABCDEFGH", (14, 18, 40, 26, 12, 22, 26, 36), strict=True):
        raw.column_dimensions[col].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def open_count(*, user) -> int:
    return incident_list(user=user, open_only=True).count()


def period_summary(*, start: datetime.date, end: datetime.date) -> dict | None:
    """For the Board's reports: incidents reported from `start` to `end` (days in Việt Nam's time),
    zone-wide. {"total", "resolved" (resolved or closed), "open", "rejected", "by_kind": [(label, n)]};
    rejected reports (spam, duplicates) are not incidents and are counted apart. None when nothing
    was reported."""
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    until = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    rows = Incident.objects.filter(reported_at__gte=since, reported_at__lt=until).order_by()
    counts = {(r["kind"], r["status"]): r["n"] for r in rows.values("kind", "status").annotate(n=Count("id"))}
    if not counts:
        return None
    labels = dict(Kind.choices)
    counted = {k: n for k, n in counts.items() if k[1] != Status.REJECTED}
    by_kind = {}
    for (kind, _status), n in counted.items():
        by_kind[kind] = by_kind.get(kind, 0) + n
    return {
        "total": sum(counted.values()),
        "resolved": sum(n for (_k, s), n in counted.items() if s in (Status.RESOLVED, Status.CLOSED)),
        "open": sum(n for (_k, s), n in counted.items() if s not in (Status.RESOLVED, Status.CLOSED)),
        "rejected": sum(n for (_k, s), n in counts.items() if s == Status.REJECTED),
        "by_kind": [(str(labels[k]), by_kind[k]) for k in Kind.values if by_kind.get(k)],
    }
