"""The declaration of one trip: its flow, direction and status, and the declaration itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from .. import permissions


class Flow(models.TextChoices):
    """The goods flow, with the fee engine's codes (fees.engine.FLOWS)."""

    EXPORT = "export", _("Xuất khẩu")
    IMPORT = "import", _("Nhập khẩu")
    TEMP_IMPORT_REEXPORT = "temp_import_reexport", _("Tạm nhập tái xuất")
    TEMP_EXPORT_REIMPORT = "temp_export_reimport", _("Tạm xuất tái nhập")
    BONDED = "bonded", _("Hàng gửi kho ngoại quan")
    TRANSIT = "transit", _("Quá cảnh")
    TRANSSHIPMENT = "transshipment", _("Chuyển tải tại bãi")
    BORDER_RESIDENT = "border_resident", _("Mua bán, trao đổi hàng hóa cư dân biên giới")


class Direction(models.TextChoices):
    EXIT = "exit", _("Xuất cảnh (sang Trung Quốc)")
    ENTRY = "entry", _("Nhập cảnh (vào Việt Nam)")


# Flows whose direction is fixed by the flow itself. The others (bonded, transit, transshipment,
# border-resident trade) go either way: the declarant states the direction.
FLOW_DIRECTION = {
    Flow.EXPORT: Direction.EXIT,
    Flow.TEMP_EXPORT_REIMPORT: Direction.EXIT,
    Flow.IMPORT: Direction.ENTRY,
    Flow.TEMP_IMPORT_REEXPORT: Direction.ENTRY,
}


class Status(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Trả lại")
    APPROVED = "approved", _("Đã duyệt, chờ gọi")
    CALLED = "called", _("Đã gọi vào")
    IN_YARD = "in_yard", _("Trong bãi")
    CROSSED = "crossed", _("Đã qua cửa khẩu")
    COMPLETED = "completed", _("Hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


# A vehicle has at most one declaration in these states (a partial unique index and the services).
ACTIVE_STATUSES = (Status.SUBMITTED, Status.APPROVED, Status.CALLED, Status.IN_YARD)
# States in which the vehicle holds a place in its gate's queue.
QUEUE_STATUSES = (Status.APPROVED, Status.CALLED)


class DeclarationQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.declaration_scope(user, action)

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)


class Declaration(models.Model):
    """One trip across the border, declared by the enterprise (or its customs agent) before arrival."""

    enterprise = models.ForeignKey(
        "parties.Enterprise",
        verbose_name=_("doanh nghiệp"),
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    agent = models.ForeignKey(
        "parties.Enterprise",
        verbose_name=_("đại lý khai thay"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="declarations_as_agent",
    )
    vehicle = models.ForeignKey(
        "parties.Vehicle",
        verbose_name=_("phương tiện"),
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    trailer = models.ForeignKey(
        "parties.Vehicle",
        verbose_name=_("rơ moóc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="declarations_as_trailer",
    )
    driver = models.ForeignKey(
        "parties.Driver", verbose_name=_("lái xe"), on_delete=models.PROTECT, related_name="declarations"
    )
    gate = models.ForeignKey(
        "gates.Gate",
        verbose_name=_("cửa khẩu / đường chuyên dụng"),
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    flow = models.CharField(_("loại hình"), max_length=32, choices=Flow.choices)
    direction = models.CharField(_("hướng"), max_length=8, choices=Direction.choices)
    two_way = models.BooleanField(_("xe hai chiều"), default=False)
    planned_arrival = models.DateTimeField(_("dự kiến đến"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.CharField(_("lý do trả lại"), max_length=500, blank=True)
    cancel_reason = models.CharField(_("lý do hủy"), max_length=500, blank=True)
    queue_number = models.PositiveIntegerField(_("số thứ tự"), null=True, blank=True)
    slot = models.ForeignKey(
        "TimeSlot",
        verbose_name=_("khung giờ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    slot_date = models.DateField(_("ngày của khung giờ"), null=True, blank=True)
    pass_nonce = models.CharField(max_length=24, blank=True)
    fee_assessment = models.ForeignKey(
        "fees.FeeAssessment",
        verbose_name=_("khoản phí"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fee_error = models.CharField(_("lỗi tính phí"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    called_at = models.DateTimeField(_("gọi vào lúc"), null=True, blank=True)
    yard_in_at = models.DateTimeField(_("vào bãi lúc"), null=True, blank=True)
    crossed_at = models.DateTimeField(_("qua cửa khẩu lúc"), null=True, blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người khai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("tờ khai phương tiện")
        verbose_name_plural = _("tờ khai phương tiện")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="declaration_one_active_per_vehicle",
            ),
            models.UniqueConstraint(
                fields=["gate", "direction", "queue_number"],
                condition=Q(queue_number__isnull=False),
                name="declaration_unique_queue_number",
            ),
            models.CheckConstraint(
                condition=~Q(trailer=models.F("vehicle")), name="declaration_trailer_not_vehicle"
            ),
        ]
        indexes = [
            models.Index(fields=["gate", "status"], name="decl_gate_status"),
            models.Index(fields=["status", "vehicle"], name="decl_status_vehicle"),
            # The trade app's nightly refresh of computed turnover reads crossings by day.
            models.Index(fields=["crossed_at"], name="decl_crossed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.vehicle.plate if self.vehicle_id else ''}".strip()

    @property
    def number(self) -> str:
        return f"TK{self.pk:06d}" if self.pk else "TK—"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def overstay_hours(self) -> int:
        return 36 if self.two_way else 24
