"""A payer's approved debt limit: how much it may owe in unpaid fees, approved by the Board."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from .. import permissions


class CreditLimitQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        # Read as the payer's balance is; set only through fees.services.credit_limit_set.
        return permissions.payer_scope(user, action)


class PayerCreditLimit(models.Model):
    """The most a payer (an enterprise's unit) may owe in unpaid fees, by the Board's decision. Where a
    gate's exit rule lets enterprises leave owing, a trip whose payer would owe more than this (with no
    deposit covering the fee) is stopped at the gate. 0 means none."""

    unit = models.OneToOneField(
        "core.Unit",
        verbose_name=_("đơn vị nộp"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="fee_credit_limit",
    )
    amount = models.PositiveBigIntegerField(_("hạn mức nợ phí (đồng)"), default=0)
    decision = models.CharField(_("căn cứ (văn bản của Ban)"), max_length=255)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), default=timezone.now)

    objects = CreditLimitQuerySet.as_manager()

    class Meta:
        verbose_name = _("hạn mức nợ phí")
        verbose_name_plural = _("hạn mức nợ phí")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.amount} đ"
