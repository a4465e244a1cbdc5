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
    SUMMARY = "summary", _("Tóm tắt một trang cho lãnh đạo")


class Status(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class ReportQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.report_scope(user, action)


class Report(models.Model):
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.ANNUAL)
    year = models.PositiveSmallIntegerField(_("năm"))
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
        ordering = ["-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="reports_one_per_kind_year")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"

    @property
    def is_issued(self) -> bool:
        return self.status == Status.ISSUED
