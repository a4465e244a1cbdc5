"""What a declaration carries: goods lines (with the fee engine's goods kind of an HS code) and
containers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .declarations import Declaration


class GoodsKind(models.TextChoices):
    """The fee engine's goods kinds (fees.engine.GOODS)."""

    AGRICULTURAL = "agricultural", _("Nông sản")
    VEGETABLES = "vegetables", _("Rau, củ, quả")
    LIVE_ANIMALS = "live_animals", _("Động vật sống")
    ORE = "ore", _("Quặng")
    FUEL = "fuel", _("Nhiên liệu")
    OTHER = "other", _("Hàng khác")


def goods_kind(hs_code: str) -> str:
    """The goods kind of an HS code, by its chapter (first two digits) in the Vietnamese tariff
    nomenclature (Circular 31/2022/TT-BTC, the AHTN/HS 2022 chapters): 01 live animals; 07 edible
    vegetables; 06 and 08-14 plants, fruit, coffee and tea, spices, cereals, milling products, oil
    seeds, lac and gums, plaiting materials (agricultural); 26 ores; 27 mineral fuels; anything else
    'other'. Chapters 02-05 (meat, fish, dairy, other animal products) are 'other' here: the
    tariffs give them no rate of their own."""
    chapter = (hs_code or "")[:2]
    if chapter == "01":
        return GoodsKind.LIVE_ANIMALS
    if chapter == "07":
        return GoodsKind.VEGETABLES
    if chapter == "06" or (chapter.isdigit() and 8 <= int(chapter) <= 14):
        return GoodsKind.AGRICULTURAL
    if chapter == "26":
        return GoodsKind.ORE
    if chapter == "27":
        return GoodsKind.FUEL
    return GoodsKind.OTHER


class GoodsLine(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveSmallIntegerField(_("dòng"))
    hs_code = models.CharField(_("mã HS"), max_length=8)
    description = models.CharField(_("mô tả hàng hóa"), max_length=255)
    quantity = models.DecimalField(_("số lượng"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("đơn vị tính"), max_length=16)
    gross_kg = models.DecimalField(_("trọng lượng cả bì (kg)"), max_digits=12, decimal_places=2)
    value = models.DecimalField(_("trị giá khai báo"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("tiền tệ"), max_length=3, default="VND")
    value_vnd = models.PositiveBigIntegerField(_("trị giá quy ra đồng"), null=True, blank=True)

    class Meta:
        verbose_name = _("dòng hàng")
        verbose_name_plural = _("dòng hàng")
        ordering = ["declaration", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "line_no"], name="goodsline_unique_line_no"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(gross_kg__gt=0) & Q(value__gte=0), name="goodsline_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hs_code} {self.description}"

    @property
    def goods_kind(self) -> str:
        return goods_kind(self.hs_code)

    def get_goods_kind_display(self) -> str:
        return GoodsKind(self.goods_kind).label


class ContainerSize(models.IntegerChoices):
    FT20 = 20, _("20 feet")
    FT40 = 40, _("40 feet")


class Container(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="containers")
    number = models.CharField(_("số container"), max_length=11, help_text=_("ISO 6346, ví dụ CSQU3054383."))
    size = models.PositiveSmallIntegerField(_("cỡ"), choices=ContainerSize.choices)

    class Meta:
        verbose_name = _("container")
        verbose_name_plural = _("container")
        ordering = ["declaration", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "number"], name="container_unique_per_declaration"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.size}')"
