"""Writes to the working calendar: entering a year's official decision. One transaction and one
audit event each."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..audit import audit_record
from ..errors import ServiceError
from ..models import CalendarDay, CalendarYear, User
from ..models.calendar import Holiday
from ..service import service
from ..workcal.calendar import MAX_YEAR, MIN_YEAR, calendar_changed
from ..workcal.rules import is_weekly_rest_day


def _dmy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _snapshot(calendar_year: CalendarYear) -> dict:
    days = list(calendar_year.days.order_by("date"))
    return {
        "year": calendar_year.year,
        "decision": calendar_year.decision,
        "notes": calendar_year.notes,
        "days_off": [[d.date, d.holiday, d.name] for d in days if d.kind == CalendarDay.Kind.DAY_OFF],
        "working_days": [d.date for d in days if d.kind == CalendarDay.Kind.WORKING_DAY],
    }


def _check(year, days_off, working_days) -> None:
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ServiceError(
            _("Năm phải là số từ %(lo)s đến %(hi)s.") % {"lo": MIN_YEAR, "hi": MAX_YEAR}, field="year"
        )
    seen = _check_days_off(year, days_off)
    _check_working_days(year, working_days, seen)


def _check_days_off(year: int, days_off) -> set[date]:
    """The days off, each in the year and named once; returns their dates."""
    if not days_off:
        raise ServiceError(_("Quyết định phải có ít nhất một ngày nghỉ."), field="days_off")
    seen: set[date] = set()
    for item in days_off:
        try:
            d, holiday, name = item
        except (TypeError, ValueError) as exc:
            raise ServiceError(_("Mỗi ngày nghỉ gồm: ngày, dịp nghỉ, tên."), field="days_off") from exc
        if not isinstance(d, date):
            raise ServiceError(_("Ngày nghỉ không hợp lệ: %(v)s.") % {"v": d}, field="days_off")
        if d.year != year:
            raise ServiceError(
                _("Ngày nghỉ %(d)s không thuộc năm %(y)s.") % {"d": _dmy(d), "y": year}, field="days_off"
            )
        if holiday not in Holiday.values:
            raise ServiceError(_("Dịp nghỉ không hợp lệ: %(h)s.") % {"h": holiday}, field="days_off")
        if len(name or "") > 255:
            raise ServiceError(_("Tên ngày nghỉ quá dài (tối đa 255 ký tự)."), field="days_off")
        if d in seen:
            raise ServiceError(_("Ngày nghỉ %(d)s được nhập hai lần.") % {"d": _dmy(d)}, field="days_off")
        seen.add(d)
    return seen


def _check_working_days(year: int, working_days, days_off: set[date]) -> None:
    """Weekend days made working days, each in the year, once, and not also a day off."""
    worked: set[date] = set()
    for d in working_days:
        if not isinstance(d, date):
            raise ServiceError(_("Ngày làm việc bù không hợp lệ: %(v)s.") % {"v": d}, field="working_days")
        if d.year != year:
            raise ServiceError(
                _("Ngày làm việc bù %(d)s không thuộc năm %(y)s.") % {"d": _dmy(d), "y": year},
                field="working_days",
            )
        if not is_weekly_rest_day(d):
            raise ServiceError(
                _(
                    "Ngày làm việc bù %(d)s không phải thứ Bảy hoặc Chủ nhật: chỉ ngày nghỉ hằng tuần mới "
                    "đổi thành ngày làm việc được."
                )
                % {"d": _dmy(d)},
                field="working_days",
            )
        if d in days_off:
            raise ServiceError(
                _("Ngày %(d)s vừa là ngày nghỉ vừa là ngày làm việc bù.") % {"d": _dmy(d)},
                field="working_days",
            )
        if d in worked:
            raise ServiceError(
                _("Ngày làm việc bù %(d)s được nhập hai lần.") % {"d": _dmy(d)}, field="working_days"
            )
        worked.add(d)


@service
def calendar_year_enter(
    *,
    actor: User | None,
    year: int,
    decision: str,
    days_off: list[tuple[date, str, str]],
    working_days: list[date],
    notes: str = "",
) -> CalendarYear:
    """Enter, or replace, a year's official working calendar: the days off and the weekend days
    swapped into working days that the Prime Minister's decision (Labour Code 2019, Art. 112(3))
    and the Ministry of Home Affairs' notice fix for civil servants. From then on the year is
    official: these rows, not the computed rules, decide which days are worked. The Board's leaders and
    departments enter it (None: the reference loader)."""
    if actor is not None and not permissions.may_enter_calendar(actor):
        raise ServiceError(
            _("Bạn không có quyền nhập lịch làm việc chính thức."), code="forbidden", status=403
        )
    days_off = list(days_off or [])
    working_days = list(working_days or [])
    _check(year, days_off, working_days)
    decision = (decision or "").strip()
    if len(decision) > 255:
        raise ServiceError(_("Số/tên văn bản quá dài (tối đa 255 ký tự)."), field="decision")
    notes = (notes or "").strip()

    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    before = None
    values = {"decision": decision, "notes": notes, "entered_at": timezone.now(), "entered_by": actor}
    if calendar_year is None:
        calendar_year = CalendarYear.objects.create(year=year, **values)
    else:
        before = _snapshot(calendar_year)
        for key, value in values.items():
            setattr(calendar_year, key, value)
        calendar_year.save()
        calendar_year.days.all().delete()
    rows = [
        CalendarDay(
            calendar_year=calendar_year,
            date=d,
            kind=CalendarDay.Kind.DAY_OFF,
            holiday=h,
            name=(n or "").strip(),
        )
        for d, h, n in sorted(days_off)
    ]
    rows += [
        CalendarDay(calendar_year=calendar_year, date=d, kind=CalendarDay.Kind.WORKING_DAY)
        for d in sorted(working_days)
    ]
    CalendarDay.objects.bulk_create(rows)
    calendar_changed()
    audit_record(
        action="core.calendar_year.replace" if before else "core.calendar_year.enter",
        obj=calendar_year,
        before=before,
        after=_snapshot(calendar_year),
        actor=actor,
    )
    return calendar_year
