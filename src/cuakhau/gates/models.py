"""Border gates and specialised freight routes: the zone's reference data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import VIEW, ScopedQuerySet
from cuakhau.core.roles import Role


class GateKind(models.TextChoices):
    INTERNATIONAL = "international", _("Cửa khẩu quốc tế")
    MAIN = "main", _("Cửa khẩu chính (song phương)")
    SECONDARY = "secondary", _("Cửa khẩu phụ")
    SPECIALISED_ROUTE = "specialised_route", _("Đường chuyên dụng vận chuyển hàng hóa")
    BORDER_OPENING = "border_opening", _("Lối mở biên giới")


class GateMode(models.TextChoices):
    ROAD = "road", _("Đường bộ")
    RAIL = "rail", _("Đường sắt")


class GateQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        # Gates are public reference data: every signed-in user reads them.
        if action == VIEW:
            return True
        # The Board's departments keep the register (add, change).
        return user.role == Role.DEPARTMENT_STAFF

    def active(self):
        return self.filter(is_active=True)


class Gate(models.Model):
    code = models.SlugField(
        _("mã"), max_length=40, unique=True, help_text=_("Chữ in hoa, số và dấu gạch dưới.")
    )
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    name_zh = models.CharField(_("tên tiếng Trung"), max_length=255, blank=True)
    kind = models.CharField(_("loại"), max_length=32, choices=GateKind.choices)
    mode = models.CharField(_("phương thức"), max_length=16, choices=GateMode.choices, default=GateMode.ROAD)
    paired_gate_cn = models.CharField(_("cửa khẩu đối diện (Trung Quốc)"), max_length=255, blank=True)
    landmarks = models.CharField(_("mốc giới"), max_length=64, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc cặp cửa khẩu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routes",
    )
    daily_vehicles = models.PositiveIntegerField(_("lượt xe/ngày (công bố)"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    latitude = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    units = models.ManyToManyField(
        "core.Unit", verbose_name=_("đơn vị làm việc tại cửa khẩu"), blank=True, related_name="gates"
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    objects = GateQuerySet.as_manager()

    class Meta:
        verbose_name = _("cửa khẩu")
        verbose_name_plural = _("cửa khẩu")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name
