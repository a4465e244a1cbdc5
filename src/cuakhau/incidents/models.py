"""Incidents at the gate areas: security and order, environmental hygiene, congestion, suspected
smuggling and others. Reported by gate-centre staff or by the public, triaged, handed to a functional
force and followed to closure. Who sees which row is decided by `permissions.incident_scope`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from . import permissions


class Kind(models.TextChoices):
    SECURITY = "security", _("An ninh, trật tự")
    ENVIRONMENT = "environment", _("Vệ sinh môi trường")
    CONGESTION = "congestion", _("Ùn tắc giao thông")
    SMUGGLING = "smuggling", _("Nghi buôn lậu, gian lận thương mại")
    OTHER = "other", _("Khác")


class Severity(models.TextChoices):
    LOW = "low", _("Thấp")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Cao")
    CRITICAL = "critical", _("Khẩn cấp")


class Source(models.TextChoices):
    PUBLIC = "public", _("Người dân phản ánh")
    STAFF = "staff", _("Cán bộ cửa khẩu ghi nhận")


class Status(models.TextChoices):
    REPORTED = "reported", _("Mới tiếp nhận")
    TRIAGED = "triaged", _("Đã phân loại")
    HANDED = "handed", _("Đã chuyển lực lượng chức năng")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    RESOLVED = "resolved", _("Đã xử lý xong")
    CLOSED = "closed", _("Đã đóng")
    REJECTED = "rejected", _("Không thụ lý")


OPEN_STATUSES = frozenset({Status.REPORTED, Status.TRIAGED, Status.HANDED, Status.IN_PROGRESS})


class ForceKind(models.TextChoices):
    """The functional forces an incident is handed to. Units of kind agency map onto them through
    their `agency_kind`; police and environment may have no unit in the system yet."""

    BORDER_GUARD = "border_guard", _("Biên phòng")
    CUSTOMS = "customs", _("Hải quan")
    POLICE = "police", _("Công an")
    QUARANTINE = "quarantine", _("Kiểm dịch")
    ENVIRONMENT = "environment", _("Môi trường (vệ sinh, thu gom rác)")


AGENCY_FORCE = {
    "customs": ForceKind.CUSTOMS,
    "border_guard": ForceKind.BORDER_GUARD,
    "medical_quarantine": ForceKind.QUARANTINE,
    "plant_quarantine": ForceKind.QUARANTINE,
    "animal_quarantine": ForceKind.QUARANTINE,
    "traffic_police": ForceKind.POLICE,
}


class RejectReason(models.TextChoices):
    SPAM = "spam", _("Tin rác, không có nội dung")
    DUPLICATE = "duplicate", _("Trùng với vụ việc đã tiếp nhận")
    OUT_OF_SCOPE = "out_of_scope", _("Không thuộc khu vực, thẩm quyền")
    UNFOUNDED = "unfounded", _("Kiểm tra không có sự việc")


class IncidentQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.incident_scope(user, action)


class Incident(models.Model):
    tracking_code = models.CharField(_("mã tra cứu"), max_length=12, unique=True)
    source = models.CharField(_("nguồn"), max_length=8, choices=Source.choices)
    kind = models.CharField(_("loại vụ việc"), max_length=16, choices=Kind.choices)
    severity = models.CharField(_("mức độ"), max_length=8, choices=Severity.choices, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.REPORTED)
    description = models.TextField(_("nội dung"))
    gate = models.ForeignKey(
        "gates.Gate", verbose_name=_("cửa khẩu"), on_delete=models.PROTECT, related_name="incidents"
    )
    yard = models.ForeignKey(
        "traffic.Yard",
        verbose_name=_("bãi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    place = models.CharField(_("vị trí cụ thể"), max_length=255, blank=True)
    latitude = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    occurred_at = models.DateTimeField(_("xảy ra lúc"), null=True, blank=True)
    reported_at = models.DateTimeField(_("tiếp nhận lúc"), default=timezone.now, db_index=True)
    # The reporter: a staff account, or a member of the public's (optional) contact details.
    reported_by = models.ForeignKey(
        "core.User",
        verbose_name=_("cán bộ ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reporter_name = models.CharField(_("người phản ánh"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("điện thoại người phản ánh"), max_length=20, blank=True)
    gate_confirmed = models.BooleanField(_("đã xác nhận cửa khẩu"), default=False)
    force_kind = models.CharField(_("lực lượng xử lý"), max_length=16, choices=ForceKind.choices, blank=True)
    force_unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("đơn vị xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handed_incidents",
    )
    handed_at = models.DateTimeField(_("chuyển lúc"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    resolution = models.TextField(_("kết quả xử lý (nội bộ)"), blank=True)
    public_note = models.TextField(
        _("trả lời người phản ánh"),
        blank=True,
        help_text=_("Hiện khi tra cứu bằng mã; không ghi thông tin nội bộ."),
    )
    reject_reason = models.CharField(
        _("lý do không thụ lý"), max_length=16, choices=RejectReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("trùng với"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("vụ việc")
        verbose_name_plural = _("vụ việc")
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["gate", "reported_at"], name="incident_gate_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="incident_coordinates_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""), name="incident_rejected_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} · {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def force_label(self) -> str:
        if self.force_unit_id:
            return self.force_unit.name
        return self.get_force_kind_display() if self.force_kind else ""


class IncidentPhoto(models.Model):
    """A photo, re-encoded on upload so that no EXIF block (GPS position, camera serial) is stored."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("ảnh"), upload_to="incidents/%Y/%m/", max_length=200)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ảnh vụ việc")
        verbose_name_plural = _("ảnh vụ việc")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.file.name


class IncidentEvent(models.Model):
    """One step of an incident's life, shown to staff as its history (notes here are internal)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    actor = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.from_status} → {self.to_status}"
