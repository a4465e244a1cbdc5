"""The working calendar page: a year's days off and swapped working days, official or provisional,
and the form through which the Board's staff enter the year's decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import ServiceError
from ..models import CalendarYear
from ..permissions import may_enter_calendar
from ..services.calendar import calendar_year_enter
from ..workcal.calendar import MAX_YEAR, MIN_YEAR, year_calendar
from ..workcal.forms import CalendarYearForm

# Form fields that a service error on these inputs is shown against.
_SERVICE_FIELDS = {"decision": "decision", "working_days": "working_days", "notes": "notes"}


def _year(request) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return timezone.localdate().year
    try:
        year = int(raw)
    except ValueError as exc:
        raise Http404 from exc
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    return year


def _weekday(d) -> str:
    names = [_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu"), _("Thứ Bảy"), _("Chủ nhật")]
    return names[d.weekday()]


def _page(request, year: int, form=None, status: int = 200):
    cal = year_calendar(year)
    entered = (
        CalendarYear.objects.filter(year=year).select_related("entered_by").first() if cal.official else None
    )
    can_enter = may_enter_calendar(request.user)
    if can_enter and form is None:
        form = CalendarYearForm(year=year, initial=CalendarYearForm.initial_from(cal))
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "cal": cal,
            "entered": entered,
            "days_off": [{"day": d, "weekday": _weekday(d.date)} for d in cal.days_off],
            "working_days": [{"date": d, "weekday": _weekday(d)} for d in cal.working_days],
            "can_enter": can_enter,
            "form": form if can_enter else None,
            "years": [y for y in range(year - 2, year + 3) if MIN_YEAR <= y <= MAX_YEAR],
            "prev_year": year - 1 if year > MIN_YEAR else None,
            "next_year": year + 1 if year < MAX_YEAR else None,
        },
        status=status,
    )


def _url(year: int) -> str:
    return f"{reverse('core:calendar')}?year={year}"


@login_required
def calendar_view(request):
    return _page(request, _year(request))


@login_required
def calendar_enter(request, year: int):
    if not may_enter_calendar(request.user) or not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    if request.method != "POST":
        return redirect(_url(year))
    form = CalendarYearForm(request.POST, year=year)
    if form.is_valid():
        data = form.cleaned_data
        try:
            calendar_year_enter(
                actor=request.user,
                year=year,
                decision=data["decision"],
                days_off=data["days_off"],
                working_days=data["working_days"],
                notes=data["notes"],
            )
        except ServiceError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(_SERVICE_FIELDS.get(field), error)
        else:
            messages.success(request, _("Đã lưu lịch làm việc chính thức năm %(y)s.") % {"y": year})
            return redirect(_url(year))
    return _page(request, year, form=form, status=400)


urlpatterns = [
    path("calendar/", calendar_view, name="calendar"),
    path("calendar/<int:year>/enter/", calendar_enter, name="calendar_enter"),
]
