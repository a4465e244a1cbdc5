"""Reads: dossier lists and details from the user's scope, the public lookup and the figures."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.errors import ServiceError
from cuakhau.core.permissions import VIEW, get_for_user_or_404
from cuakhau.core.workcal.calendar import MAX_YEAR, MIN_YEAR, TZ

from .models import FINISHED, OPEN, RUNNING, Channel, Dossier, DossierFile, Procedure, Status, Timing


def procedure_list():
    return Procedure.objects.published().prefetch_related("versions")


def dossier_list(*, user, status: str = "", procedure: str = "", overdue: bool = False, q: str = ""):
    rows = Dossier.objects.for_user(user, VIEW).select_related("version", "handling_unit", "enterprise")
    if status == "open":
        rows = rows.filter(status__in=OPEN)
    elif status:
        rows = rows.filter(status=status)
    if procedure:
        rows = rows.filter(version__procedure__code=procedure)
    if overdue:
        rows = rows.filter(status__in=RUNNING, due_at__lt=timezone.now())
    if q:
        rows = rows.filter(Q(code__icontains=q) | Q(applicant_name__icontains=q) | Q(subject__icontains=q))
    return rows


def dossier_detail(*, user, pk, action: str = VIEW) -> Dossier:
    queryset = Dossier.objects.select_related("version__procedure", "handling_unit", "enterprise", "assignee")
    return get_for_user_or_404(queryset, user, action, pk=pk)


def normalise_key(value: str) -> str:
    """A lookup key as typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def public_lookup(*, code: str, key: str) -> Dossier | None:
    """The dossier with this code and this lookup key (printed on its receipt slip); None otherwise
    (the two cases look the same, so a code alone tells nothing). The key is compared in constant
    time; the caller limits attempts per address (core.throttle)."""
    code = (code or "").strip().upper()
    key = normalise_key(key)
    if not code or not key or len(code) > 64:
        return None
    dossier = Dossier.objects.select_related("version", "handling_unit").filter(code__iexact=code).first()
    if dossier is None or not dossier.lookup_key:
        return None
    return dossier if hmac.compare_digest(dossier.lookup_key.encode(), key.encode()) else None


@dataclass(frozen=True)
class PublicStep:
    at: dt.datetime
    status: str
    status_label: str
    note: str


def public_history(dossier: Dossier) -> list[PublicStep]:
    """Each step with its public note only: internal notes, units' staff and hand-off details stay
    inside the Board."""
    return [
        PublicStep(e.at, e.to_status, e.get_to_status_display(), e.public_note)
        for e in dossier.events.all().order_by("at", "id")
    ]


# --- figures -----------------------------------------------------------------------------------------


@dataclass
class FigureRow:
    key: str
    label: str
    received: int = 0
    online: int = 0
    processed: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.processed:
            return None
        return (Decimal(self.early + self.on_time) * 100 / self.processed).quantize(Decimal("0.1"))

    @property
    def online_share(self) -> Decimal | None:
        if not self.received:
            return None
        return (Decimal(self.online) * 100 / self.received).quantize(Decimal("0.1"))


@dataclass
class Measure:
    key: str
    label: str
    value: Decimal | None
    numerator: int
    denominator: int
    how: str


@dataclass
class Figures:
    start: dt.date
    end: dt.date
    by: str
    rows: list[FigureRow]
    total: FigureRow
    satisfaction: dict | None
    measures: list[Measure] = field(default_factory=list)


PERIOD_LABELS = {"start": _("Từ ngày"), "end": _("Đến ngày")}


def check_period(start: dt.date, end: dt.date) -> None:
    """Refuse a period the figures cannot be computed for, naming the field: a year outside the
    working calendar's range (the year 9999 overflows the day after), or an end before the start."""
    for name, value in (("start", start), ("end", end)):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise ServiceError(
                _("“%(label)s” phải trong các năm %(lo)s–%(hi)s.")
                % {"label": PERIOD_LABELS[name], "lo": MIN_YEAR, "hi": MAX_YEAR},
                field=name,
            )
    if end < start:
        raise ServiceError(_("Ngày kết thúc phải sau ngày bắt đầu."), field="end")


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=TZ),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=TZ),
    )


GROUPS = {
    "procedure": ("version__procedure__code", "version__name"),
    "unit": ("version__handling_unit__code", "version__handling_unit__name"),
}


def figures(
    *, user, start: dt.date, end: dt.date, by: str = "procedure", now: dt.datetime | None = None
) -> Figures:
    """Received (and online) in the period; processed in the period by timing; open and overdue now.
    On-time rate = (early + on time) / processed. Grouped by procedure or by the unit holding the
    dossier now."""
    if by not in GROUPS:
        by = "procedure"
    check_period(start, end)
    now = now or timezone.now()
    lo, hi = _bounds(start, end)
    key, label = GROUPS[by]
    scoped = Dossier.objects.for_user(user, VIEW).order_by()
    received_q = Q(received_at__gte=lo, received_at__lt=hi)
    processed_q = Q(processed_at__gte=lo, processed_at__lt=hi)
    counts = scoped.values(key, label).annotate(
        received=Count("id", filter=received_q),
        online=Count("id", filter=received_q & Q(channel=Channel.ONLINE)),
        processed=Count("id", filter=processed_q),
        early=Count("id", filter=processed_q & Q(finished_timing=Timing.EARLY)),
        on_time=Count("id", filter=processed_q & Q(finished_timing=Timing.ON_TIME)),
        late=Count("id", filter=processed_q & Q(finished_timing=Timing.LATE)),
        open=Count("id", filter=Q(status__in=OPEN - {Status.NEW})),
        overdue=Count("id", filter=Q(status__in=RUNNING, due_at__lt=now)),
    )
    merged: dict[str, FigureRow] = {}
    for r in counts:
        row = merged.setdefault(r[key], FigureRow(r[key], r[label]))
        for name in ("received", "online", "processed", "early", "on_time", "late", "open", "overdue"):
            setattr(row, name, getattr(row, name) + r[name])
    rows = sorted((r for r in merged.values() if r.received or r.processed or r.open), key=lambda r: r.label)
    total = FigureRow("total", str(_("Tổng cộng")))
    for r in rows:
        for name in ("received", "online", "processed", "early", "on_time", "late", "open", "overdue"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    satisfaction = satisfaction_figures(user=user, scoped=scoped, lo=lo, hi=hi)
    result = Figures(start, end, by, rows, total, satisfaction)
    result.measures = index_measures(scoped=scoped, lo=lo, hi=hi, total=total, satisfaction=satisfaction)
    return result


def satisfaction_figures(*, user, scoped, lo, hi) -> dict | None:
    """Ratings of dossier results from the feedback feature of the plans app, if installed (read
    through its scoped manager: leaders see the ratings, others nothing)."""
    from django.apps import apps

    if not apps.is_installed("cuakhau.plans"):
        return None
    from cuakhau.plans.models import Feedback

    codes = scoped.filter(processed_at__gte=lo, processed_at__lt=hi).values_list("code", flat=True)
    ratings = Feedback.objects.for_user(user).filter(subject_type="result", subject_id__in=list(codes))
    count = ratings.count()
    if not count:
        return {"count": 0, "satisfied": 0, "rate": None}
    satisfied = ratings.filter(rating__gte=4).count()
    return {
        "count": count,
        "satisfied": satisfied,
        "rate": (Decimal(satisfied) * 100 / count).quantize(Decimal("0.1")),
    }


def _pct(num: int, den: int) -> Decimal | None:
    return (Decimal(num) * 100 / den).quantize(Decimal("0.1")) if den else None


def index_measures(*, scoped, lo, hi, total: FigureRow, satisfaction: dict | None) -> list[Measure]:
    """The measures of the national index for serving citizens and businesses (Decision
    766/QĐ-TTg of 2022, unverified) that the Board's own data can give, each with how it is computed."""
    received = scoped.filter(received_at__gte=lo, received_at__lt=hi)
    with_files = received.filter(pk__in=DossierFile.objects.values("dossier_id")).count()
    processed = scoped.filter(processed_at__gte=lo, processed_at__lt=hi)
    fee_paid = scoped.filter(fee_paid_at__gte=lo, fee_paid_at__lt=hi)
    fee_online = fee_paid.filter(fee_paid_online=True).count()
    result_files = processed.filter(
        pk__in=DossierFile.objects.filter(kind=DossierFile.Kind.RESULT).values("dossier_id")
    ).count()
    published = Procedure.objects.published().count()
    measures = [
        Measure(
            "progress",
            str(_("Tiến độ giải quyết")),
            total.on_time_rate,
            total.early + total.on_time,
            total.processed,
            str(_("(trước hạn + đúng hạn) / số hồ sơ có kết quả trong kỳ")),
        ),
        Measure(
            "online",
            str(_("Dịch vụ công trực tuyến")),
            total.online_share,
            total.online,
            total.received,
            str(_("hồ sơ nộp trực tuyến / tổng số hồ sơ tiếp nhận trong kỳ")),
        ),
        Measure(
            "online_payment",
            str(_("Thanh toán trực tuyến")),
            _pct(fee_online, fee_paid.count()),
            fee_online,
            fee_paid.count(),
            str(_("hồ sơ nộp phí trực tuyến / hồ sơ đã nộp phí trong kỳ")),
        ),
        Measure(
            "digitised",
            str(_("Số hóa hồ sơ")),
            _pct(with_files, received.count()),
            with_files,
            received.count(),
            str(_("hồ sơ tiếp nhận có thành phần hồ sơ điện tử / tổng số hồ sơ tiếp nhận")),
        ),
        Measure(
            "digital_results",
            str(_("Số hóa kết quả")),
            _pct(result_files, processed.count()),
            result_files,
            processed.count(),
            str(_("hồ sơ có kết quả điện tử đính kèm / hồ sơ có kết quả trong kỳ")),
        ),
        Measure(
            "public",
            str(_("Công khai, minh bạch")),
            Decimal(100) if published else None,
            published,
            published,
            str(
                _(
                    "thủ tục đang áp dụng có trang công khai / thủ tục đang áp dụng; mọi hồ sơ tra cứu được bằng mã"
                )
            ),
        ),
    ]
    if satisfaction is not None:
        measures.append(
            Measure(
                "satisfaction",
                str(_("Mức độ hài lòng")),
                satisfaction["rate"],
                satisfaction["satisfied"],
                satisfaction["count"],
                str(_("đánh giá 4–5 sao / số đánh giá kết quả hồ sơ có kết quả trong kỳ")),
            )
        )
    return measures


def due_soon(*, user, now: dt.datetime | None = None):
    now = now or timezone.now()
    return (
        Dossier.objects.for_user(user, VIEW)
        .filter(status__in=RUNNING, due_at__lt=now + dt.timedelta(days=2))
        .select_related("version", "handling_unit")
        .order_by("due_at")
    )


__all__ = ["FINISHED"]
