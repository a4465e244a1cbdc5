"""Yards and what devices see at them: gate events, a vehicle's stay in a yard, and the exceptions
operators resolve."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from .. import permissions
from .declarations import Declaration


class GateScopedQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.gate_object_scope(user, action)


class Yard(models.Model):
    gate = models.ForeignKey(
        "gates.Gate", verbose_name=_("cửa khẩu"), on_delete=models.PROTECT, related_name="yards"
    )
    code = models.SlugField(_("mã bãi"), max_length=40, unique=True)
    name = models.CharField(_("tên bãi"), max_length=255)
    capacity = models.PositiveIntegerField(_("sức chứa (xe)"))
    is_border_yard = models.BooleanField(
        _("bãi cửa khẩu (tính phí khi vào)"),
        default=True,
        help_text=_("Phí hạ tầng đến hạn khi xe vào bãi này."),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    objects = GateScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bãi xe")
        verbose_name_plural = _("bãi xe")
        ordering = ["gate__sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    IN = "in", _("Vào")
    OUT = "out", _("Ra")


class MatchedBy(models.TextChoices):
    QR = "qr", _("Mã QR")
    PLATE = "plate", _("Biển số")
    MANUAL = "manual", _("Điều hành viên")
    NONE = "", _("Chưa khớp")


class GateEvent(models.Model):
    """A vehicle seen by a device (plate camera, QR scanner) entering or leaving a yard or crossing
    the border line (yard empty). Recorded once per idempotency key."""

    gate = models.ForeignKey(
        "gates.Gate", verbose_name=_("cửa khẩu"), on_delete=models.PROTECT, related_name="gate_events"
    )
    yard = models.ForeignKey(
        Yard, verbose_name=_("bãi"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("loại"), max_length=4, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("lúc"))
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)
    plate = models.CharField(_("biển số đọc được"), max_length=32, blank=True)
    plate_key = models.CharField(_("biển số chuẩn hóa"), max_length=16, blank=True, db_index=True)
    declaration = models.ForeignKey(
        Declaration,
        verbose_name=_("tờ khai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    matched_by = models.CharField(_("khớp theo"), max_length=8, choices=MatchedBy.choices, blank=True)
    result = models.CharField(_("kết quả"), max_length=32, blank=True)
    detail = models.CharField(_("chi tiết"), max_length=500, blank=True)
    token = models.ForeignKey(
        "core.ApiToken", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("core.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = GateScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện cổng")
        verbose_name_plural = _("sự kiện cổng")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["gate", "-occurred_at"], name="gateevent_gate_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.plate or '—'} {self.occurred_at:%d/%m %H:%M}"


class YardStay(models.Model):
    """A vehicle's time in a yard, from its gate-in to its gate-out."""

    yard = models.ForeignKey(Yard, on_delete=models.PROTECT, related_name="stays")
    plate = models.CharField(_("biển số"), max_length=32)
    plate_key = models.CharField(max_length=16)
    declaration = models.ForeignKey(
        Declaration, null=True, blank=True, on_delete=models.PROTECT, related_name="stays"
    )
    two_way = models.BooleanField(_("xe hai chiều"), default=False)
    entered_at = models.DateTimeField(_("vào lúc"))
    left_at = models.DateTimeField(_("ra lúc"), null=True, blank=True)
    in_event = models.ForeignKey(GateEvent, on_delete=models.PROTECT, related_name="+")
    out_event = models.ForeignKey(
        GateEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("lượt lưu bãi")
        verbose_name_plural = _("lượt lưu bãi")
        ordering = ["entered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["yard", "plate_key"],
                condition=Q(left_at__isnull=True),
                name="yardstay_one_open_per_plate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plate} @ {self.yard_id}"

    @property
    def limit_hours(self) -> int:
        """Overstay limit: 24 hours, 36 for two-way trucks (which wait for their return load)."""
        return 36 if self.two_way else 24


class ExceptionStatus(models.TextChoices):
    OPEN = "open", _("Chờ xử lý")
    RESOLVED = "resolved", _("Đã gắn tờ khai")
    DISMISSED = "dismissed", _("Đã đóng")
    RELEASED = "released", _("Cho ra khi chưa nộp phí")


class ExceptionReason(models.TextChoices):
    UNMATCHED = "unmatched", _("Không khớp tờ khai")
    BLOCKED = "blocked", _("Không được qua")
    UNPAID = "unpaid", _("Chưa nộp phí")


class GateException(models.Model):
    """An event the system could not apply: an unmatched plate, or a vehicle that may not pass (a check
    not passed, or a fee the gate's exit rule wants paid first). A supervisor's release of an unpaid
    exit is kept here too (status released, the reason in `note`), listed with the gate's exceptions."""

    event = models.OneToOneField(GateEvent, on_delete=models.PROTECT, related_name="exception")
    gate = models.ForeignKey("gates.Gate", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("lý do"), max_length=16, choices=ExceptionReason.choices)
    message = models.CharField(_("nội dung"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ExceptionStatus.choices, default=ExceptionStatus.OPEN
    )
    declaration = models.ForeignKey(
        Declaration, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("ghi chú xử lý"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = GateScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ngoại lệ tại cổng")
        verbose_name_plural = _("ngoại lệ tại cổng")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.event.plate}"
