"""Fee tariffs as data: a resolution of a provincial People's Council, the tariff it sets (versioned,
never edited once in force) and the tariff's rules. The engine (engine.py) reads a plain copy of these."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import VIEW, ScopedQuerySet
from cuakhau.core.roles import Role


class Flow(models.TextChoices):
    EXPORT = "export", _("Xuất khẩu")
    IMPORT = "import", _("Nhập khẩu")
    TEMP_IMPORT_REEXPORT = "temp_import_reexport", _("Tạm nhập tái xuất")
    TEMP_EXPORT_REIMPORT = "temp_export_reimport", _("Tạm xuất tái nhập")
    BONDED = "bonded", _("Gửi kho ngoại quan")
    TRANSIT = "transit", _("Quá cảnh")
    TRANSSHIPMENT = "transshipment", _("Chuyển khẩu")
    BORDER_RESIDENT = "border_resident", _("Trao đổi cư dân biên giới")


class GoodsKind(models.TextChoices):
    AGRICULTURAL = "agricultural", _("Nông sản")
    VEGETABLES = "vegetables", _("Rau, quả tươi")
    LIVE_ANIMALS = "live_animals", _("Gia súc, gia cầm sống")
    ORE = "ore", _("Khoáng sản (quặng)")
    FUEL = "fuel", _("Xăng dầu")
    OTHER = "other", _("Hàng hóa khác")


class Origin(models.TextChoices):
    VN = "vn", _("Việt Nam")
    FOREIGN = "foreign", _("Nước ngoài")


class VehicleClass(models.TextChoices):
    UNDER_2T = "under_2t", _("Xe dưới 2 tấn")
    T2_5 = "2t_5t", _("Xe từ 2 đến dưới 5 tấn")
    T5_10 = "5t_10t", _("Xe từ 5 đến dưới 10 tấn")
    T10_18 = "10t_18t", _("Xe từ 10 đến dưới 18 tấn")
    T18_PLUS = "18t_plus", _("Xe từ 18 tấn trở lên")
    CONTAINER_20 = "container_20", _("Container 20 feet")
    CONTAINER_40 = "container_40", _("Container 40 feet")


class Basis(models.TextChoices):
    PER_TRIP = "per_trip", _("đồng/lượt")
    PER_VEHICLE = "per_vehicle", _("đồng/xe")
    PER_CONTAINER = "per_container", _("đồng/container")
    PER_TONNE = "per_tonne", _("đồng/tấn")
    PER_M3 = "per_m3", _("đồng/m³")
    PER_TONNE_OR_M3 = "per_tonne_or_m3", _("đồng/tấn hoặc m³")


class RuleKind(models.TextChoices):
    RATE = "rate", _("Mức thu")
    MULTIPLIER = "multiplier", _("Hệ số")
    EXEMPTION = "exemption", _("Miễn thu")


class TariffStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    IN_FORCE = "in_force", _("Đang hiệu lực")
    REPLACED = "replaced", _("Đã được thay thế")


class MixedLoadRule(models.TextChoices):
    HIGHEST_DECLARED_VALUE = (
        "highest_declared_value",
        _("Theo mức thu của loại hàng có trị giá khai báo hải quan cao nhất"),
    )
    HIGHEST_FEE = "highest_fee", _("Theo mức thu cao nhất trong các loại hàng")
    SUM_OF_LINES = "sum_of_lines", _("Cộng mức thu của từng loại hàng")


class _PublicReferenceQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        # Tariffs are published law: every signed-in user reads them; the Board's departments keep them.
        if action == VIEW:
            return True
        return user.role == Role.DEPARTMENT_STAFF


class ResolutionQuerySet(_PublicReferenceQuerySet):
    pass


class TariffQuerySet(_PublicReferenceQuerySet):
    def scope(self, user, action):
        # A draft is not law yet: only those who keep the tariffs see it.
        if action == VIEW and user.role != Role.DEPARTMENT_STAFF:
            return ~Q(status=TariffStatus.DRAFT)
        return super().scope(user, action)

    def published(self):
        return self.exclude(status=TariffStatus.DRAFT)

    def in_force_on(self, day):
        return (
            self.published()
            .filter(effective_from__lte=day)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=day))
        )


class TariffRuleQuerySet(_PublicReferenceQuerySet):
    pass


class Resolution(models.Model):
    number = models.CharField(_("số nghị quyết"), max_length=64, unique=True)
    council = models.CharField(_("cơ quan ban hành"), max_length=255)
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    effective_from = models.DateField(_("hiệu lực từ ngày"))
    effective_to = models.DateField(_("hết hiệu lực từ ngày"), null=True, blank=True)
    replaces = models.CharField(_("thay thế nghị quyết"), max_length=64, blank=True)
    source = models.CharField(_("nguồn"), max_length=500, blank=True)

    objects = ResolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("nghị quyết")
        verbose_name_plural = _("nghị quyết")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return self.number


class Tariff(models.Model):
    """One version of a tariff. Versions of the same tariff share `code`; a version in force is never
    edited: a change is a new version (`services.tariff_revise`) that replaces it from a given day."""

    code = models.CharField(_("mã biểu phí"), max_length=32)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên"), max_length=255)
    province = models.CharField(_("tỉnh"), max_length=32, help_text=_("Mã tỉnh, ví dụ lang_son."))
    resolution = models.ForeignKey(
        Resolution, verbose_name=_("nghị quyết"), on_delete=models.PROTECT, related_name="tariffs"
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=TariffStatus.choices, default=TariffStatus.DRAFT
    )
    effective_from = models.DateField(_("áp dụng từ ngày"))
    effective_to = models.DateField(_("áp dụng đến trước ngày"), null=True, blank=True)
    mixed_load_rule = models.CharField(
        _("quy tắc hàng ghép"),
        max_length=32,
        choices=MixedLoadRule.choices,
        default=MixedLoadRule.HIGHEST_DECLARED_VALUE,
    )
    cap_per_trip = models.PositiveBigIntegerField(_("mức thu tối đa mỗi lượt (đồng)"), null=True, blank=True)
    has_demo_values = models.BooleanField(_("có giá trị minh họa"), default=False)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("thay thế phiên bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    change_note = models.TextField(_("lý do thay đổi"), blank=True)
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = TariffQuerySet.as_manager()

    class Meta:
        verbose_name = _("biểu phí")
        verbose_name_plural = _("biểu phí")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="fees_tariff_code_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(status="in_force"), name="fees_tariff_one_in_force_per_code"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="fees_tariff_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def applies_on(self, day) -> bool:
        return (
            self.status != TariffStatus.DRAFT
            and self.effective_from <= day
            and (self.effective_to is None or day < self.effective_to)
        )


class ImmutableTariff(Exception):
    """Raised on an attempt to change a rule of a tariff that is no longer a draft."""


class TariffRule(models.Model):
    """One line of a tariff. Empty lists and null flags mean "any". Among the rate rules that match a
    trip, the highest `precedence` wins, then the most specific (most conditions set)."""

    tariff = models.ForeignKey(
        Tariff, verbose_name=_("biểu phí"), on_delete=models.CASCADE, related_name="rules"
    )
    key = models.SlugField(_("mã quy tắc"), max_length=64)
    section = models.CharField(_("mục"), max_length=16, blank=True)
    label = models.CharField(_("diễn giải"), max_length=500)
    kind = models.CharField(_("loại"), max_length=16, choices=RuleKind.choices, default=RuleKind.RATE)
    flows = models.JSONField(_("loại hình"), default=list, blank=True)
    goods = models.JSONField(_("loại hàng"), default=list, blank=True)
    vehicle_classes = models.JSONField(_("loại xe / container"), default=list, blank=True)
    origin = models.CharField(_("xuất xứ"), max_length=8, choices=Origin.choices, blank=True)
    taxable = models.BooleanField(_("hàng chịu thuế"), null=True, blank=True)
    delivered_inland = models.BooleanField(_("vào nội địa giao hàng"), null=True, blank=True)
    transship_only = models.BooleanField(_("chỉ sang tải tại bãi"), null=True, blank=True)
    basis = models.CharField(_("đơn vị tính"), max_length=20, choices=Basis.choices, blank=True)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"), null=True, blank=True)
    multiplier_percent = models.PositiveIntegerField(_("hệ số (%)"), null=True, blank=True)
    precedence = models.SmallIntegerField(_("thứ tự ưu tiên"), default=0)
    is_demo = models.BooleanField(_("giá trị minh họa"), default=False)
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = TariffRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy tắc thu phí")
        verbose_name_plural = _("quy tắc thu phí")
        ordering = ["tariff", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["tariff", "key"], name="fees_rule_key_per_tariff")]

    def __str__(self) -> str:
        return f"{self.key}: {self.label}"

    def save(self, *args, **kwargs):
        if Tariff.objects.filter(pk=self.tariff_id).exclude(status=TariffStatus.DRAFT).exists():
            raise ImmutableTariff(f"{self.tariff} is not a draft; revise it instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Tariff.objects.filter(pk=self.tariff_id).exclude(status=TariffStatus.DRAFT).exists():
            raise ImmutableTariff(f"{self.tariff} is not a draft; revise it instead")
        return super().delete(*args, **kwargs)

    def _labels(self, values, choices) -> str:
        labels = dict(choices.choices)
        return ", ".join(str(labels.get(v, v)) for v in values)

    def flows_label(self) -> str:
        return self._labels(self.flows, Flow)

    def goods_label(self) -> str:
        return self._labels(self.goods, GoodsKind)

    def vehicles_label(self) -> str:
        return self._labels(self.vehicle_classes, VehicleClass)

    def conditions_label(self) -> str:
        """Conditions beyond flow, goods and vehicle, in words ('' when none)."""
        parts = []
        if self.origin:
            parts.append(str(_("xuất xứ %(o)s") % {"o": self.get_origin_display()}))
        for name, yes, no in (
            ("taxable", _("chịu thuế"), _("không chịu thuế")),
            ("delivered_inland", _("vào nội địa"), _("không vào nội địa")),
            ("transship_only", _("chỉ sang tải tại bãi"), _("không chỉ sang tải")),
        ):
            value = getattr(self, name)
            if value is not None:
                parts.append(str(yes if value else no))
        return "; ".join(parts)


# --- assessments, receipts, payments ------------------------------------------------------------


def _fee_scope(user, action, *, gate_field: str = "gate_id", payer_field: str = "payer_unit_id"):
    """Who sees fee records: the Board's roles and readers all; gate-bound staff their gates'; enterprise
    users their own enterprise's (the payer unit). Writes go through services, which check roles."""
    from cuakhau.core.roles import GATE_BOUND_ROLES, READ_ONLY_ROLES, ZONE_WIDE_ROLES

    if user.role in ZONE_WIDE_ROLES or user.role in READ_ONLY_ROLES:
        return True
    if user.role in (Role.GATE_OPERATOR, Role.GATE_CASHIER):
        return Q(**{f"{gate_field}__in": user.gate_ids()})
    if user.role in GATE_BOUND_ROLES:
        return False
    if user.role == Role.ENTERPRISE_USER and user.unit_id and action == VIEW:
        return Q(**{payer_field: user.unit_id})
    return False


class AssessmentStatus(models.TextChoices):
    DUE = "due", _("Chưa thu")
    PAID = "paid", _("Đã thu")
    EXEMPT = "exempt", _("Miễn thu")


class FeeAssessmentQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return _fee_scope(user, action)


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
        return f"{self.payment_reference} ({self.amount} đ)"


FORM_SYMBOL_RE = r"^EBL0[12]$"
RECEIPT_SYMBOL_RE = r"^\d{2}T[ABCDEGHKLMNPQRSTUVXY]{2}$"
MAX_RECEIPT_NUMBER = 99_999_999  # at most 8 digits (Decree 254/2026, Circular 91/2026)


class FormSymbol(models.TextChoices):
    EBL01 = "EBL01", _("EBL01 — biên lai không in sẵn mệnh giá")
    EBL02 = "EBL02", _("EBL02 — biên lai in sẵn mệnh giá")


class ReceiptSeriesQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        from cuakhau.core.roles import READ_ONLY_ROLES, ZONE_WIDE_ROLES

        if user.role in ZONE_WIDE_ROLES or user.role in READ_ONLY_ROLES:
            return True if action == VIEW else user.role == Role.DEPARTMENT_STAFF
        if user.role in (Role.GATE_OPERATOR, Role.GATE_CASHIER) and action == VIEW:
            return Q(collector_unit_id=user.unit_id)
        return False


class ReceiptSeries(models.Model):
    """One collecting point's receipt series for one year. The row is also the number counter: a
    receipt takes `last_number + 1` under SELECT ... FOR UPDATE inside the receipt's own transaction, so a
    rolled-back receipt leaves no gap and two issuers never share a number."""

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
        return _fee_scope(user, action)


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


class PaymentQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return _fee_scope(user, action)


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


class StatementQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        from cuakhau.core.roles import READ_ONLY_ROLES, ZONE_WIDE_ROLES

        if user.role in ZONE_WIDE_ROLES or user.role in READ_ONLY_ROLES:
            return True if action == VIEW else user.role == Role.DEPARTMENT_STAFF
        if user.role == Role.GATE_CASHIER:
            return True  # the centre's cashiers reconcile the Board's collection account
        return False


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


class CashierShiftQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        from cuakhau.core.roles import READ_ONLY_ROLES, ZONE_WIDE_ROLES

        if user.role in ZONE_WIDE_ROLES or user.role in READ_ONLY_ROLES:
            return action == VIEW
        if user.role == Role.GATE_CASHIER:
            return Q(cashier_id=user.pk) if action != VIEW else Q(gate_id__in=user.gate_ids())
        if user.role == Role.GATE_OPERATOR and action == VIEW:
            return Q(gate_id__in=user.gate_ids())
        return False


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
