"""E-receipt series (one per collecting point and year, also the number counter) and the receipts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from .. import permissions
from .assessments import FeeAssessment

FORM_SYMBOL_RE = r"^EBL0[12]$"
RECEIPT_SYMBOL_RE = r"^\d{2}T[ABCDEGHKLMNPQRSTUVXY]{2}$"
MAX_RECEIPT_NUMBER = 99_999_999  # at most 8 digits (Decree 254/2026, Circular 91/2026)


class FormSymbol(models.TextChoices):
    EBL01 = "EBL01", _("EBL01 — biên lai không in sẵn mệnh giá")
    EBL02 = "EBL02", _("EBL02 — biên lai in sẵn mệnh giá")


class ReceiptSeriesQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.series_scope(user, action)


class ReceiptSeries(models.Model):
    """One collecting point's receipt series for one year. The row is also the number counter: a
    receipt takes `last_number + 1` with core.sequences.take_next (one UPDATE ... RETURNING that keeps the
    row locked) inside the receipt's own transaction, so a rolled-back receipt leaves no gap and two
    issuers never share a number."""

    collector_unit = models.ForeignKey(
        "core.Unit", verbose_name=_("điểm thu"), on_delete=models.PROTECT, related_name="receipt_series"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    form_symbol = models.CharField(
        _("ký hiệu mẫu"), max_length=5, choices=FormSymbol.choices, default=FormSymbol.EBL01
    )
    symbol = models.CharField(_("ký hiệu biên lai"), max_length=5)
    name = models.CharField(_("tên biên lai"), max_length=255)
    last_number = models.PositiveIntegerField(_("số đã cấp gần nhất"), default=0)
    created_at = models.DateTimeField(_("lập lúc"), default=timezone.now)

    objects = ReceiptSeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("ký hiệu biên lai")
        verbose_name_plural = _("ký hiệu biên lai")
        ordering = ["-year", "symbol"]
        constraints = [
            models.UniqueConstraint(fields=["collector_unit", "year"], name="fees_series_one_per_point_year"),
            models.UniqueConstraint(fields=["form_symbol", "symbol"], name="fees_series_symbols_unique"),
            models.CheckConstraint(
                condition=Q(last_number__lte=MAX_RECEIPT_NUMBER), name="fees_series_at_most_8_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_symbol} {self.symbol}"


class ReceiptStatus(models.TextChoices):
    ISSUED = "issued", _("Đã lập")
    REPLACED = "replaced", _("Đã bị thay thế")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Tiền mặt")
    TRANSFER = "transfer", _("Chuyển khoản (VietQR)")
    BALANCE = "balance", _("Trừ tiền ký quỹ trả trước")


class ReceiptQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.fee_scope(user, action)


class Receipt(models.Model):
    """An e-receipt for a fee (Decree 254/2026, art. 23.2: name, form symbol and symbol, number, the
    collector's name and tax code, each fee with its amount in figures and words, date, signature).
    Never deleted; a mistaken one is replaced by a new receipt that names it."""

    series = models.ForeignKey(
        ReceiptSeries, verbose_name=_("ký hiệu"), on_delete=models.PROTECT, related_name="receipts"
    )
    number = models.PositiveIntegerField(_("số"))
    form_symbol = models.CharField(_("ký hiệu mẫu"), max_length=5)
    symbol = models.CharField(_("ký hiệu biên lai"), max_length=5)
    name = models.CharField(_("tên biên lai"), max_length=255)
    check_code = models.CharField(_("mã tra cứu"), max_length=12, db_index=True)
    assessment = models.ForeignKey(
        FeeAssessment, verbose_name=_("khoản phí"), on_delete=models.PROTECT, related_name="receipts"
    )
    gate = models.ForeignKey(
        "gates.Gate", verbose_name=_("cửa khẩu"), on_delete=models.PROTECT, related_name="+"
    )
    payer_unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("đơn vị nộp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    collector_name = models.CharField(_("tổ chức thu"), max_length=255)
    collector_tax_code = models.CharField(_("mã số thuế tổ chức thu"), max_length=14)
    collector_address = models.CharField(_("địa chỉ tổ chức thu"), max_length=500, blank=True)
    payer_name = models.CharField(_("người nộp"), max_length=255)
    payer_tax_code = models.CharField(_("mã số thuế người nộp"), max_length=14, blank=True)
    payer_address = models.CharField(_("địa chỉ người nộp"), max_length=500, blank=True)
    lines = models.JSONField(_("các khoản thu"), default=list)
    amount = models.PositiveBigIntegerField(_("tổng số tiền (đồng)"))
    amount_words = models.CharField(_("số tiền bằng chữ"), max_length=500)
    method = models.CharField(_("hình thức thu"), max_length=16, choices=PaymentMethod.choices)
    issued_at = models.DateTimeField(_("lập lúc"), default=timezone.now)
    issued_on = models.DateField(_("ngày lập"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ReceiptStatus.choices, default=ReceiptStatus.ISSUED
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("thay thế biên lai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    replace_reason = models.CharField(_("lý do thay thế"), max_length=500, blank=True)
    signed_xml = models.TextField(_("dữ liệu XML đã ký"), blank=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("biên lai")
        verbose_name_plural = _("biên lai")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="fees_receipt_number_once_per_series"),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=MAX_RECEIPT_NUMBER),
                name="fees_receipt_number_range",
            ),
            # One valid receipt per assessment: a replayed gate-in or a double click cannot receipt twice.
            models.UniqueConstraint(
                fields=["assessment"],
                condition=Q(status="issued"),
                name="fees_one_valid_receipt_per_assessment",
            ),
        ]
        indexes = [
            models.Index(fields=["issued_on"]),
            models.Index(fields=["symbol", "number"]),
            # The year-end and revenue sums (issued receipts of a date range, sum of amount) read only
            # this index on PostgreSQL: an index-only scan instead of a heap scan of millions of rows.
            # SQLite ignores INCLUDE and keeps the partial index on issued_on.
            models.Index(
                fields=["issued_on"],
                include=["amount"],
                condition=Q(status="issued"),
                name="fees_receipt_issued_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_symbol} {self.symbol} {self.number_text}"

    @property
    def number_text(self) -> str:
        return f"{self.number:08d}"


class CollectionAccountQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        # The same people as a collecting point's series: the Board reads all and its departments keep
        # them; a gate centre's staff read their own centre's account.
        return permissions.series_scope(user, action)


class CollectionAccount(models.Model):
    """The bank account into which a collecting point (a Border Gate Management Centre) takes its fees by
    transfer: printed on the payment notice, encoded in its VietQR, and the account whose statements pay
    that centre's assessments. A centre without one uses the Board's account from settings.

    The bank's name is what the Board's staff enter with the account, not looked up from the BIN: there is
    no checked list of NAPAS members here. Blank only on rows saved before the field existed; the notice
    leaves it out then."""

    collector_unit = models.OneToOneField(
        "core.Unit", verbose_name=_("điểm thu"), on_delete=models.PROTECT, related_name="collection_account"
    )
    bank_bin = models.CharField(_("mã ngân hàng (BIN)"), max_length=6)
    bank_name = models.CharField(_("tên ngân hàng"), max_length=120, blank=True)
    account_number = models.CharField(_("số tài khoản"), max_length=19)
    account_name = models.CharField(_("tên tài khoản"), max_length=255)
    is_demo = models.BooleanField(_("tài khoản minh họa"), default=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)

    objects = CollectionAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("tài khoản thu phí")
        verbose_name_plural = _("tài khoản thu phí")
        ordering = ["collector_unit__name"]

    def __str__(self) -> str:
        return f"{self.bank_bin} {self.account_number}"
