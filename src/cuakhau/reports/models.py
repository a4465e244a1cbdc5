"""The Board's reports: drafted from data, edited by staff, frozen when issued."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from . import permissions


class Kind(models.TextChoices):
    ANNUAL = "annual", _("Báo cáo tổng kết năm")
    PERIODIC = "periodic", _("Báo cáo định kỳ (tháng, quý)")
    SUMMARY = "summary", _("Tóm tắt một trang cho lãnh đạo")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Năm")
    QUARTER = "quarter", _("Quý")
    MONTH = "month", _("Tháng")


class Status(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class ReportQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.report_scope(user, action)


class Report(models.Model):
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.ANNUAL)
    year = models.PositiveSmallIntegerField(_("năm"))
    period_kind = models.CharField(
        _("kỳ báo cáo"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.YEAR
    )
    period_number = models.PositiveSmallIntegerField(
        _("quý hoặc tháng"), default=0, help_text=_("Quý 1-4 hoặc tháng 1-12; 0 với báo cáo năm.")
    )
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField(_("số ký hiệu"), max_length=40, blank=True, help_text=_("ví dụ 15/BC-BQL"))
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    figures = models.JSONField(_("số liệu"), default=dict)
    results_text = models.TextField(_("I. Kết quả thực hiện nhiệm vụ"), blank=True)
    shortcomings_text = models.TextField(_("II. Tồn tại, hạn chế và nguyên nhân"), blank=True)
    next_text = models.TextField(_("III. Phương hướng, nhiệm vụ năm sau"), blank=True)
    recipients = models.TextField(_("Nơi nhận"), blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, default="TRƯỞNG BAN")
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-year", "-period_number", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "period_kind", "period_number"], name="reports_one_per_kind_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_label}"

    @property
    def period(self):
        from .figures import make_period

        return make_period(self.year, self.period_kind, self.period_number)

    @property
    def period_label(self) -> str:
        """2017, Quý I/2024, Tháng 3/2024."""
        if self.period_kind == PeriodKind.YEAR:
            return str(self.year)
        return self.period.label

    @property
    def title(self) -> str:
        """What the pages call it: "Báo cáo quý I/2024", "Báo cáo tháng 3/2024", "Báo cáo tổng kết năm
        2017", "Tóm tắt một trang cho lãnh đạo Quý II/2024" (not "Báo cáo định kỳ (tháng, quý) Quý I/2024")."""
        if self.kind == Kind.PERIODIC and self.period_kind != PeriodKind.YEAR:
            label = self.period_label
            return _("Báo cáo %(period)s") % {"period": label[:1].lower() + label[1:]}
        return str(self)

    @property
    def is_issued(self) -> bool:
        return self.status == Status.ISSUED
