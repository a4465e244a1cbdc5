"""Money received, and the bank statements that transfers are matched from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from .. import permissions
from .assessments import FeeAssessment
from .receipts import PaymentMethod, Receipt


class PaymentQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.fee_scope(user, action)


class Payment(models.Model):
    """Money received: cash at a counter, a bank transfer matched from a statement, a prepaid deposit
    (assessment empty) or a debit from the payer's deposit (method balance)."""

    method = models.CharField(_("hình thức"), max_length=16, choices=PaymentMethod.choices)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    assessment = models.ForeignKey(
        FeeAssessment,
        verbose_name=_("khoản phí"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    receipt = models.ForeignKey(
        Receipt,
        verbose_name=_("biên lai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    gate = models.ForeignKey(
        "gates.Gate",
        verbose_name=_("cửa khẩu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    payer_unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("đơn vị nộp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_deposit = models.BooleanField(_("nộp tiền ký quỹ"), default=False)
    reference = models.CharField(_("mã thanh toán"), max_length=64, blank=True)
    statement_line = models.OneToOneField(
        "StatementLine",
        verbose_name=_("dòng sao kê"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment",
    )
    shift = models.ForeignKey(
        "CashierShift",
        verbose_name=_("ca thu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoản tiền nhận")
        verbose_name_plural = _("khoản tiền nhận")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount} đ"


class PayerBalanceQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.payer_scope(user, action)


class PayerBalance(models.Model):
    """A payer's prepaid deposit left: the deposits it made minus the fees debited from them, kept as it
    changes (fees.balances, under this row's lock) so that a gate-in reads it with
    one statement however many payments the payer has made. It always equals the sum over the payer's
    payments (deposits minus balance debits): `cuakhau fees check-balances` and a test say so."""

    unit = models.OneToOneField(
        "core.Unit",
        verbose_name=_("đơn vị nộp"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="fee_balance",
    )
    balance = models.BigIntegerField(_("số dư ký quỹ (đồng)"), default=0)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = PayerBalanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("số dư ký quỹ")
        verbose_name_plural = _("số dư ký quỹ")
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="fees_payer_balance_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.balance} đ"


class StatementQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.statement_scope(user, action)


class BankStatement(models.Model):
    file_name = models.CharField(_("tệp"), max_length=255)
    bank_account = models.CharField(_("tài khoản"), max_length=32, blank=True)
    imported_at = models.DateTimeField(_("nhập lúc"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    line_count = models.PositiveIntegerField(_("số dòng"), default=0)
    matched_count = models.PositiveIntegerField(_("số dòng khớp"), default=0)

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("sao kê ngân hàng")
        verbose_name_plural = _("sao kê ngân hàng")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class LineStatus(models.TextChoices):
    MATCHED = "matched", _("Đã khớp")
    UNMATCHED = "unmatched", _("Chưa khớp")
    RESOLVED = "resolved", _("Đã xử lý")
    DUPLICATE = "duplicate", _("Trùng giao dịch")


class StatementLineQuerySet(StatementQuerySet):
    pass


class StatementLine(models.Model):
    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    row = models.PositiveIntegerField(_("dòng"))
    bank_ref = models.CharField(_("mã giao dịch ngân hàng"), max_length=64)
    booked_on = models.DateField(_("ngày giao dịch"))
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    note = models.CharField(_("nội dung chuyển khoản"), max_length=500, blank=True)
    counterparty = models.CharField(_("người chuyển"), max_length=255, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=LineStatus.choices)
    problem = models.CharField(_("lý do chưa khớp"), max_length=255, blank=True)
    resolution = models.CharField(_("cách xử lý"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = StatementLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("dòng sao kê")
        verbose_name_plural = _("dòng sao kê")
        ordering = ["statement", "row"]
        constraints = [
            # A bank transaction is counted once, even if the same file (or an overlapping one) is imported twice.
            models.UniqueConstraint(
                fields=["bank_ref"], condition=~Q(status="duplicate"), name="fees_bank_ref_counted_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_ref} {self.amount}"
