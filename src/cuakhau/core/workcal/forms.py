"""The form staff use to enter a year's official decision: one from-to period per holiday, other
single days off, and the weekend days swapped into working days."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ..models.calendar import Holiday
from .calendar import YearCalendar

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# The periods a decision fixes, in the order of the year. 30/4 and 1/5 are one period in practice.
PERIODS = [
    Holiday.NEW_YEAR,
    Holiday.LUNAR_NEW_YEAR,
    Holiday.HUNG_KINGS,
    Holiday.REUNIFICATION_AND_LABOUR,
    Holiday.NATIONAL_DAY,
]
_PERIOD_OF: dict[str, str] = {
    Holiday.REUNIFICATION: Holiday.REUNIFICATION_AND_LABOUR,
    Holiday.LABOUR: Holiday.REUNIFICATION_AND_LABOUR,
}


def _parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
    )


class CalendarYearForm(forms.Form):
    decision = forms.CharField(
        label=_l("Văn bản quyết định"),
        max_length=255,
        required=False,
        help_text=_l("Số, ngày của văn bản (ví dụ thông báo của Bộ Nội vụ)."),
    )
    working_days = forms.CharField(
        label=_l("Ngày làm việc bù (thứ Bảy, Chủ nhật đổi thành ngày làm việc)"),
        required=False,
        help_text=_l("Các ngày dd/mm/yyyy, cách nhau bởi dấu phẩy."),
    )
    other_days = forms.CharField(
        label=_l("Ngày nghỉ khác"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_l("Mỗi dòng một ngày: dd/mm/yyyy tên ngày nghỉ."),
    )
    notes = forms.CharField(label=_l("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        for holiday in PERIODS:
            label = Holiday(holiday).label
            self.fields[f"{holiday}_from"] = _date_field(_("%(h)s: nghỉ từ ngày") % {"h": label})
            self.fields[f"{holiday}_to"] = _date_field(_("%(h)s: đến hết ngày") % {"h": label})
        order = ["decision"] + [f"{h}_{end}" for h in PERIODS for end in ("from", "to")]
        self.order_fields(order + ["other_days", "working_days", "notes"])

    @classmethod
    def initial_from(cls, cal: YearCalendar) -> dict:
        """Prefill with a year's current days off, grouped into each holiday's first-last period."""
        initial: dict = {"decision": cal.decision, "notes": cal.notes}
        others = []
        for day in cal.days_off:
            period = _PERIOD_OF.get(day.holiday, day.holiday)
            if period in PERIODS:
                initial.setdefault(f"{period}_from", day.date)
                initial[f"{period}_to"] = day.date
            else:
                others.append(f"{day.date:%d/%m/%Y} {day.name or day.label}")
        initial["other_days"] = "\n".join(others)
        initial["working_days"] = ", ".join(f"{d:%d/%m/%Y}" for d in cal.working_days)
        return initial

    def clean_working_days(self) -> list[date]:
        result = []
        for part in filter(None, re.split(r"[,;\s]+", self.cleaned_data["working_days"].strip())):
            d = _parse_date(part)
            if d is None:
                raise forms.ValidationError(_("Không đọc được ngày %(v)s (cần dd/mm/yyyy).") % {"v": part})
            result.append(d)
        return result

    def clean_other_days(self) -> list[tuple[date, str, str]]:
        result: list[tuple[date, str, str]] = []
        for line in self.cleaned_data["other_days"].splitlines():
            if not line.strip():
                continue
            first, _sep, name = line.strip().partition(" ")
            d = _parse_date(first)
            if d is None:
                raise forms.ValidationError(_("Không đọc được ngày %(v)s (cần dd/mm/yyyy).") % {"v": first})
            result.append((d, Holiday.OTHER, name.strip()))
        return result

    def clean(self):
        data = super().clean()
        days_off = []
        for holiday in PERIODS:
            start, end = data.get(f"{holiday}_from"), data.get(f"{holiday}_to")
            if start is None and end is None:
                continue
            if start is None or end is None:
                field = f"{holiday}_from" if start is None else f"{holiday}_to"
                self.add_error(field, _("Cần cả ngày bắt đầu và ngày kết thúc."))
                continue
            if end < start:
                self.add_error(f"{holiday}_to", _("Ngày kết thúc trước ngày bắt đầu."))
                continue
            if start.year != self.year or end.year != self.year:
                self.add_error(f"{holiday}_from", _("Kỳ nghỉ phải nằm trong năm %(y)s.") % {"y": self.year})
                continue
            day = start
            while day <= end:
                days_off.append((day, str(holiday), ""))
                day += timedelta(days=1)
        days_off += data.get("other_days") or []
        data["days_off"] = days_off
        return data
