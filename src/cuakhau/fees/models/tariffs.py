"""Fee tariffs as data: a resolution of a provincial People's Council, the tariff it sets (versioned,
never edited once in force) and the tariff's rules. The engine (engine.py) reads a plain copy of these."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from .. import permissions


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
        return permissions.reference_scope(user, action)


class ResolutionQuerySet(_PublicReferenceQuerySet):
    pass


class TariffQuerySet(_PublicReferenceQuerySet):
    def scope(self, user, action):
        return permissions.tariff_scope(user, action)

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


class RuleConfirmationQuerySet(_PublicReferenceQuerySet):
    pass


class RuleConfirmation(models.Model):
    """The Board's confirmation that an illustrative rule (`TariffRule.is_demo`) states what its
    resolution sets: who confirmed it, when, and the article or row of the resolution cited. Its own
    record, since the rules of a published tariff never change (`ImmutableTariff`). An assessment is
    provisional while a rule it used is illustrative and unconfirmed; once confirmed, it may be
    receipted (`fees.confirmations`)."""

    rule = models.OneToOneField(
        TariffRule, verbose_name=_("quy tắc"), on_delete=models.PROTECT, related_name="confirmation"
    )
    citation = models.CharField(_("căn cứ (điều, khoản, mục, dòng của nghị quyết)"), max_length=255)
    note = models.TextField(_("ghi chú"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xác nhận"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"))

    objects = RuleConfirmationQuerySet.as_manager()

    class Meta:
        verbose_name = _("xác nhận quy tắc thu phí")
        verbose_name_plural = _("xác nhận quy tắc thu phí")
        ordering = ["-confirmed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.rule.key}: {self.citation}"
