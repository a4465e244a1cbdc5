"""The Board's leasable assets (service buildings with their floors and spaces, land plots at the
gates), their documents and photos, and the leases on them with a schedule of rent instalments.

An asset's place on the gate's plan is a rectangle on a 100 x 60 grid (plan_x, plan_y, plan_w, plan_h),
enough to draw a plan of the gate area as SVG without a GIS."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from . import permissions

PLAN_WIDTH = 100
PLAN_HEIGHT = 60


class AssetKind(models.TextChoices):
    BUILDING = "building", _("Nhà dịch vụ")
    SPACE = "space", _("Phòng, mặt bằng trong nhà")
    LAND_PLOT = "land_plot", _("Lô đất")


class AssetQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.asset_scope(user, action)


class Asset(models.Model):
    kind = models.CharField(_("loại tài sản"), max_length=16, choices=AssetKind.choices)
    code = models.SlugField(_("mã tài sản"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    gate = models.ForeignKey(
        "gates.Gate", verbose_name=_("cửa khẩu"), on_delete=models.PROTECT, related_name="assets"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc nhà"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spaces",
    )
    floor = models.SmallIntegerField(_("tầng"), null=True, blank=True)
    floors = models.PositiveSmallIntegerField(_("số tầng"), null=True, blank=True)
    area_m2 = models.DecimalField(_("diện tích (m²)"), max_digits=12, decimal_places=2)
    parcel_number = models.CharField(_("số thửa"), max_length=32, blank=True)
    map_sheet = models.CharField(_("tờ bản đồ số"), max_length=32, blank=True)
    planned_use = models.CharField(_("mục đích sử dụng theo quy hoạch"), max_length=255, blank=True)
    address = models.CharField(_("vị trí"), max_length=255, blank=True)
    latitude = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    plan_x = models.PositiveSmallIntegerField(_("sơ đồ: x"), default=0)
    plan_y = models.PositiveSmallIntegerField(_("sơ đồ: y"), default=0)
    plan_w = models.PositiveSmallIntegerField(_("sơ đồ: rộng"), default=10)
    plan_h = models.PositiveSmallIntegerField(_("sơ đồ: cao"), default=10)
    notes = models.TextField(_("ghi chú"), blank=True)
    is_active = models.BooleanField(_("đang quản lý"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    objects = AssetQuerySet.as_manager()

    class Meta:
        verbose_name = _("tài sản")
        verbose_name_plural = _("tài sản")
        ordering = ["gate__sort_order", "kind", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="asset_area_positive"),
            models.CheckConstraint(
                condition=Q(kind="space", parent__isnull=False) | ~Q(kind="space"),
                name="asset_space_in_building",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_real_estate(self) -> bool:
        return True  # buildings, spaces and land are all real estate (Law 01/2016 art. 35.1(b))


class AssetFile(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Giấy tờ")
        PHOTO = "photo", _("Ảnh")

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="assets/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.title


class RentBasis(models.TextChoices):
    PER_M2_MONTH = "per_m2_month", _("Đơn giá đồng/m²/tháng")
    LUMP_SUM = "lump_sum", _("Trọn gói đồng/tháng")


class LeaseStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hiệu lực")
    ENDED = "ended", _("Hết hạn")
    TERMINATED = "terminated", _("Chấm dứt trước hạn")


class LeaseQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.lease_scope(user, action)

    def current(self, day=None):
        day = day or timezone.localdate()
        return self.filter(status=LeaseStatus.ACTIVE, starts_on__lte=day, ends_on__gte=day)


class Lease(models.Model):
    """A lease contract. The rent is the winning price of the auction that awarded it (Law on
    Management and Use of Public Assets 15/2017/QH14, art. 57) or, for a lease recorded from before
    this system, the rent in the signed contract."""

    number = models.CharField(_("số hợp đồng"), max_length=64, unique=True)
    asset = models.ForeignKey(
        Asset, verbose_name=_("tài sản"), on_delete=models.PROTECT, related_name="leases"
    )
    lessee = models.ForeignKey(
        "parties.Enterprise", verbose_name=_("bên thuê"), on_delete=models.PROTECT, related_name="leases"
    )
    signed_on = models.DateField(_("ngày ký"))
    starts_on = models.DateField(_("thuê từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    rent_basis = models.CharField(_("cách tính tiền thuê"), max_length=16, choices=RentBasis.choices)
    rent_rate = models.PositiveBigIntegerField(_("đơn giá/tiền thuê một tháng (đồng)"))
    area_m2 = models.DecimalField(_("diện tích thuê (m²)"), max_digits=12, decimal_places=2)
    interval_months = models.PositiveSmallIntegerField(_("kỳ thanh toán (tháng)"), default=3)
    escalation_percent = models.DecimalField(
        _("tăng giá mỗi năm (%)"), max_digits=5, decimal_places=2, default=0
    )
    deposit_amount = models.PositiveBigIntegerField(_("tiền đặt cọc hợp đồng (đồng)"), default=0)
    status = models.CharField(_("trạng thái"), max_length=16, choices=LeaseStatus.choices, default="active")
    notes = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When the Board was told that the lease ends soon and its lease right must be auctioned again.
    expiry_warned_on = models.DateField(_("đã cảnh báo sắp hết hạn ngày"), null=True, blank=True)

    objects = LeaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("hợp đồng thuê")
        verbose_name_plural = _("hợp đồng thuê")
        ordering = ["-starts_on", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="lease_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(interval_months__gte=1), name="lease_interval_positive"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def monthly_rent(self) -> int:
        """The first year's rent for one month, in whole đồng."""
        if self.rent_basis == RentBasis.PER_M2_MONTH:
            return int((self.area_m2 * self.rent_rate).to_integral_value())
        return int(self.rent_rate)


class InstalmentQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.instalment_scope(user, action)

    def overdue(self, day=None):
        day = day or timezone.localdate()
        return self.filter(
            due_on__lt=day, paid_amount__lt=models.F("amount"), lease__status=LeaseStatus.ACTIVE
        )


class RentInstalment(models.Model):
    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="instalments")
    seq = models.PositiveSmallIntegerField(_("kỳ"))
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    due_on = models.DateField(_("hạn nộp"))
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    paid_amount = models.PositiveBigIntegerField(_("đã nộp (đồng)"), default=0)
    paid_on = models.DateField(_("ngày nộp đủ"), null=True, blank=True)
    reminded_on = models.DateField(_("đã nhắc ngày"), null=True, blank=True)

    objects = InstalmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ tiền thuê")
        verbose_name_plural = _("kỳ tiền thuê")
        ordering = ["lease", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["lease", "seq"], name="instalment_unique_seq"),
            models.CheckConstraint(
                condition=Q(paid_amount__lte=models.F("amount")), name="instalment_not_overpaid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lease.number} #{self.seq}"

    @property
    def balance(self) -> int:
        return self.amount - self.paid_amount

    @property
    def is_paid(self) -> bool:
        return self.paid_amount >= self.amount


class RentPayment(models.Model):
    instalment = models.ForeignKey(RentInstalment, on_delete=models.PROTECT, related_name="payments")
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    paid_on = models.DateField(_("ngày nộp"))
    reference = models.CharField(_("chứng từ"), max_length=64, blank=True)
    recorded_by = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.instalment} {self.amount}"
