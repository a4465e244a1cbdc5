"""The parties to a border crossing: enterprises (and the customs agents acting for them), vehicles
and trailers, drivers. Who sees which row is decided by each model's `scope` (see permissions.py)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet
from cuakhau.core.sealed import BlindIndexField, SealedField

from . import permissions


class Country(models.TextChoices):
    VN = "VN", _("Việt Nam")
    CN = "CN", _("Trung Quốc")


class VehicleKind(models.TextChoices):
    TRUCK = "truck", _("Ô tô tải")
    TRACTOR = "tractor", _("Ô tô đầu kéo")
    TRAILER = "trailer", _("Rơ moóc")
    SEMI_TRAILER = "semi_trailer", _("Sơ mi rơ moóc")
    CONTAINER_TRUCK = "container_truck", _("Ô tô tải chở container")
    CAR = "car", _("Ô tô con")


TRAILER_KINDS = frozenset({VehicleKind.TRAILER, VehicleKind.SEMI_TRAILER})


class IdKind(models.TextChoices):
    CCCD = "cccd", _("Căn cước công dân / Căn cước (Việt Nam)")
    PASSPORT = "passport", _("Hộ chiếu")
    CN_ID = "cn_id", _("Thẻ căn cước công dân Trung Quốc (居民身份证)")


class EnterpriseQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.enterprise_scope(user, action)


class Enterprise(models.Model):
    """An enterprise dealing with the Board. Its `unit` is the core.Unit its users belong to, so an
    enterprise user's records are those of `user.unit.enterprise`."""

    unit = models.OneToOneField(
        "core.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="enterprise"
    )
    # Stored as stdnum formats it: 10 digits, or 10 digits, a hyphen and the 3-digit branch suffix.
    tax_code = models.CharField(_("mã số thuế"), max_length=14, unique=True)
    name = models.CharField(_("tên doanh nghiệp"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    name_zh = models.CharField(_("tên tiếng Trung"), max_length=255, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_customs_agent = models.BooleanField(_("đại lý hải quan"), default=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("doanh nghiệp")
        verbose_name_plural = _("doanh nghiệp")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_code})"

    @property
    def is_branch(self) -> bool:
        return "-" in self.tax_code


class AgencyMandateQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.mandate_scope(user, action)

    def valid_on(self, day=None):
        day = day or timezone.localdate()
        return self.filter(permissions.valid_mandate_q(day))


class AgencyMandate(models.Model):
    """A customs agent acting for a client enterprise (Law on Customs 2014, art. 20-22; Decree
    08/2015/ND-CP art. 14): valid from a date, to a date or until revoked."""

    agent = models.ForeignKey(
        Enterprise,
        verbose_name=_("đại lý hải quan"),
        on_delete=models.PROTECT,
        related_name="mandates_as_agent",
    )
    client = models.ForeignKey(
        Enterprise,
        verbose_name=_("doanh nghiệp ủy thác"),
        on_delete=models.PROTECT,
        related_name="mandates_as_client",
    )
    reference = models.CharField(_("số hợp đồng đại lý"), max_length=64, blank=True)
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("chấm dứt lúc"), null=True, blank=True)
    revoke_reason = models.CharField(_("lý do chấm dứt"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    objects = AgencyMandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("hợp đồng đại lý hải quan")
        verbose_name_plural = _("hợp đồng đại lý hải quan")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(agent=models.F("client")), name="mandate_agent_not_client"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="mandate_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent.name} → {self.client.name}"

    def is_valid_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return (
            self.revoked_at is None
            and self.valid_from <= day
            and (self.valid_to is None or self.valid_to >= day)
        )


class VehicleQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.vehicle_scope(user, action)


class Vehicle(models.Model):
    """A vehicle or trailer, matched everywhere by `plate_key` (see plates.py)."""

    plate = models.CharField(
        _("biển số"), max_length=20, help_text=_("Ví dụ 12C-123.45, 12R-001.23, 桂F·12345.")
    )
    plate_key = models.CharField(_("biển số chuẩn hóa"), max_length=16, unique=True)
    country = models.CharField(_("quốc gia đăng ký"), max_length=2, choices=Country.choices)
    kind = models.CharField(_("loại phương tiện"), max_length=20, choices=VehicleKind.choices)
    tonnage = models.DecimalField(_("tải trọng (tấn)"), max_digits=6, decimal_places=2, null=True, blank=True)
    owner = models.ForeignKey(
        Enterprise,
        verbose_name=_("doanh nghiệp sở hữu/khai thác"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vehicles",
    )
    is_trailer = models.BooleanField(_("rơ moóc/sơ mi rơ moóc"), default=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = VehicleQuerySet.as_manager()

    class Meta:
        verbose_name = _("phương tiện")
        verbose_name_plural = _("phương tiện")
        ordering = ["plate_key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tonnage__isnull=True) | Q(tonnage__gte=0), name="vehicle_tonnage_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return self.plate


class DriverQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.driver_scope(user, action)


class Driver(models.Model):
    """A driver. `id_number` is personal data (Decree 13/2023/ND-CP): lists show `masked_id`, and the
    full number is read only through services.driver_reveal_id, which audits each reading."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    id_kind = models.CharField(_("loại giấy tờ"), max_length=16, choices=IdKind.choices)
    # Sealed at rest (core.sealed): the column holds ciphertext, lookups go through id_number_index
    # (selectors.driver_by_id_number), never the plaintext.
    id_number = SealedField(_("số giấy tờ"))
    id_number_index = BlindIndexField(source="id_number")
    nationality = models.CharField(_("quốc tịch"), max_length=2, help_text=_("Mã ISO 3166: VN, CN..."))
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    user = models.OneToOneField(
        "core.User",
        verbose_name=_("tài khoản lái xe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="driver_profile",
    )
    employer = models.ForeignKey(
        Enterprise,
        verbose_name=_("doanh nghiệp sử dụng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drivers",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = DriverQuerySet.as_manager()

    class Meta:
        verbose_name = _("lái xe")
        verbose_name_plural = _("lái xe")
        ordering = ["full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_kind", "nationality", "id_number_index"], name="driver_unique_document"
            ),
        ]

    def __str__(self) -> str:
        # Never the id number: this string goes into the audit log's object_repr.
        return self.full_name

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)


def mask_id(number: str) -> str:
    """0012******89 for a 12-digit CCCD; shorter numbers (passports) keep one character and the last two."""
    number = number or ""
    n = len(number)
    if n >= 10:
        head, tail = 4, 2
    elif n >= 6:
        head, tail = 1, 2
    else:
        return "*" * n
    return number[:head] + "*" * (n - head - tail) + number[n - tail :]
