"""A cashier's shift at a gate and its cash count."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from .. import permissions


class CashierShiftQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.shift_scope(user, action)


class CashierShift(models.Model):
    """A cashier's shift at one gate: cash counted at close against the cash receipts of the shift."""

    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    gate = models.ForeignKey(
        "gates.Gate", verbose_name=_("cửa khẩu"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("mở ca"), default=timezone.now)
    closed_at = models.DateTimeField(_("đóng ca"), null=True, blank=True)
    expected_cash = models.BigIntegerField(_("tiền mặt theo biên lai"), default=0)
    counted_cash = models.BigIntegerField(_("tiền mặt kiểm đếm"), null=True, blank=True)
    difference = models.BigIntegerField(_("chênh lệch"), null=True, blank=True)
    receipt_count = models.PositiveIntegerField(_("số biên lai"), default=0)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    objects = CashierShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("ca thu tiền")
        verbose_name_plural = _("ca thu tiền")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cashier"],
                condition=Q(closed_at__isnull=True),
                name="fees_one_open_shift_per_cashier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cashier} {self.opened_at:%d/%m/%Y %H:%M}"
