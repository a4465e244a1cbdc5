"""The fee assessed for one trip, with its explanation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet
from cuakhau.core.vnformat import format_vnd

from .. import permissions
from .tariffs import Flow, Tariff


class AssessmentStatus(models.TextChoices):
    DUE = "due", _("Chưa thu")
    PAID = "paid", _("Đã thu")
    EXEMPT = "exempt", _("Miễn thu")


class FeeAssessmentQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.fee_scope(user, action)


class FeeAssessment(models.Model):
    """The fee for one trip, computed at gate-in by the tariff in force on the day of charge and stored
    with its explanation. One per (source, source_id): a replayed gate-in finds the first one."""

    source = models.CharField(_("nguồn"), max_length=40)
    source_id = models.CharField(_("mã nguồn"), max_length=64)
    source_label = models.CharField(_("diễn giải nguồn"), max_length=255, blank=True)
    gate = models.ForeignKey(
        "gates.Gate", verbose_name=_("cửa khẩu"), on_delete=models.PROTECT, related_name="fee_assessments"
    )
    payer_unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("đơn vị nộp phí"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fee_assessments",
    )
    charged_on = models.DateField(_("ngày tính phí"))
    tariff = models.ForeignKey(
        Tariff, verbose_name=_("biểu phí"), on_delete=models.PROTECT, related_name="assessments"
    )
    tariff_code = models.CharField(_("mã biểu phí"), max_length=32)
    tariff_version = models.PositiveSmallIntegerField(_("phiên bản biểu phí"))
    flow = models.CharField(_("loại hình"), max_length=32, choices=Flow.choices)
    rule_key = models.CharField(_("quy tắc áp dụng"), max_length=64, blank=True)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    explanation = models.JSONField(_("diễn giải"), default=dict)
    charge = models.JSONField(_("dữ liệu tính phí"), default=dict)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DUE
    )
    payment_reference = models.CharField(_("mã thanh toán"), max_length=16, unique=True)
    created_at = models.DateTimeField(_("lập lúc"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = FeeAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoản phí")
        verbose_name_plural = _("khoản phí")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="fees_assessment_source_once"),
        ]
        indexes = [models.Index(fields=["charged_on", "gate"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.payment_reference} ({format_vnd(self.amount)})"
