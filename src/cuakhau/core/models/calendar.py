"""The working calendar: each year's official decision (days off, swapped Saturdays) entered by staff
on top of the holidays computed by rule (Labour Code 2019, Art. 111-112)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..permissions import VIEW, ScopedQuerySet
from ..roles import Role


class Holiday(models.TextChoices):
    NEW_YEAR = "new_year", _("Tết Dương lịch")
    LUNAR_NEW_YEAR = "lunar_new_year", _("Tết Âm lịch")
    HUNG_KINGS = "hung_kings", _("Giỗ Tổ Hùng Vương")
    REUNIFICATION_AND_LABOUR = "reunification_and_labour", _("Ngày Chiến thắng 30/4 và Quốc tế Lao động 1/5")
    REUNIFICATION = "reunification", _("Ngày Chiến thắng 30/4")
    LABOUR = "labour", _("Ngày Quốc tế Lao động 1/5")
    NATIONAL_DAY = "national_day", _("Quốc khánh 2/9")
    OTHER = "other", _("Ngày nghỉ khác")


class CalendarYearQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        if action == VIEW:
            return True
        return user.role in {Role.DEPARTMENT_STAFF, Role.BOARD_LEADER}


class CalendarYear(models.Model):
    """A year whose official decision has been entered. A year without one is provisional."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    decision = models.CharField(_("văn bản quyết định"), max_length=255, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    entered_at = models.DateTimeField(_("nhập lúc"), default=timezone.now)
    entered_by = models.ForeignKey(
        "core.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người nhập"),
    )

    objects = CalendarYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch làm việc năm")
        verbose_name_plural = _("lịch làm việc năm")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    holiday = models.CharField(_("dịp nghỉ"), max_length=32, choices=Holiday.choices, blank=True)
    name = models.CharField(_("tên"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày trong lịch")
        verbose_name_plural = _("ngày trong lịch")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"
