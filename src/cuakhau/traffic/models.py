"""Border-gate traffic: one declaration per trip (goods lines, containers), its regulation (queue
number, time slot, call forward), the agency checks it carries, yards, device gate events and the
exceptions operators resolve. Who sees which row is each queryset's `scope` (permissions.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet
from cuakhau.core.roles import AgencyKind

from . import permissions


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


# --- regulation ---------------------------------------------------------------------------------


class RegulationQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.regulation_scope(user, action)


class Capacity(models.Model):
    """How many vehicles a gate or route lets through a day in one direction (set by the Board)."""

    gate = models.ForeignKey(
        "gates.Gate", verbose_name=_("cửa khẩu"), on_delete=models.CASCADE, related_name="traffic_capacities"
    )
    direction = models.CharField(_("hướng"), max_length=8, choices=Direction.choices)
    daily_limit = models.PositiveIntegerField(_("số xe tối đa mỗi ngày"))
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = RegulationQuerySet.as_manager()

    class Meta:
        verbose_name = _("năng lực thông quan")
        verbose_name_plural = _("năng lực thông quan")
        ordering = ["gate__sort_order", "direction"]
        constraints = [
            models.UniqueConstraint(fields=["gate", "direction"], name="capacity_unique_gate_direction")
        ]

    def __str__(self) -> str:
        return f"{self.gate.code} {self.direction}: {self.daily_limit}"


class TimeSlot(models.Model):
    """A daily time window in which a number of vehicles is let through in one direction."""

    gate = models.ForeignKey(
        "gates.Gate", verbose_name=_("cửa khẩu"), on_delete=models.CASCADE, related_name="traffic_slots"
    )
    direction = models.CharField(_("hướng"), max_length=8, choices=Direction.choices)
    starts = models.TimeField(_("từ giờ"))
    ends = models.TimeField(_("đến giờ"))
    capacity = models.PositiveIntegerField(_("số xe"))

    objects = RegulationQuerySet.as_manager()

    class Meta:
        verbose_name = _("khung giờ")
        verbose_name_plural = _("khung giờ")
        ordering = ["gate", "direction", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="timeslot_ends_after_starts"
            ),
            models.UniqueConstraint(fields=["gate", "direction", "starts"], name="timeslot_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"

    @property
    def hours(self) -> float:
        return (self.ends.hour * 60 + self.ends.minute - self.starts.hour * 60 - self.starts.minute) / 60


class QueueCounter(models.Model):
    """The last queue number given at a gate in one direction; locked for update while a number is
    taken, so numbers follow the order of approval with no duplicate under concurrency."""

    gate = models.ForeignKey("gates.Gate", on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gate", "direction"], name="queuecounter_unique")]

    def __str__(self) -> str:
        return f"{self.gate_id}/{self.direction}: {self.last_number}"


# --- agency checks ------------------------------------------------------------------------------


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("Chờ kiểm tra")
    PASSED = "passed", _("Đạt")
    HELD = "held", _("Tạm giữ")


CHECK_AGENCIES = (
    AgencyKind.CUSTOMS,
    AgencyKind.BORDER_GUARD,
    AgencyKind.MEDICAL_QUARANTINE,
    AgencyKind.PLANT_QUARANTINE,
    AgencyKind.ANIMAL_QUARANTINE,
)


class AgencyCheckQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.check_scope(user, action)


class AgencyCheck(models.Model):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="checks")
    agency_kind = models.CharField(_("lực lượng"), max_length=32, choices=AgencyKind.choices)
    status = models.CharField(
        _("kết quả"), max_length=8, choices=CheckStatus.choices, default=CheckStatus.PENDING
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("lúc"), null=True, blank=True)

    objects = AgencyCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("kiểm tra của lực lượng chức năng")
        verbose_name_plural = _("kiểm tra của lực lượng chức năng")
        ordering = ["declaration", "id"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "agency_kind"], name="check_unique_agency")
        ]

    def __str__(self) -> str:
        return f"{self.get_agency_kind_display()}: {self.get_status_display()}"


# --- yards and gate events ----------------------------------------------------------------------


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


class IdempotencyRecord(models.Model):
    """The first response to a device call, kept under its Idempotency-Key (per caller)."""

    owner = models.CharField(max_length=40)
    key = models.CharField(max_length=128)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotency_unique_owner_key")]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"


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


class ExceptionReason(models.TextChoices):
    UNMATCHED = "unmatched", _("Không khớp tờ khai")
    BLOCKED = "blocked", _("Không được qua")


class GateException(models.Model):
    """An event the system could not apply: an unmatched plate, or a vehicle that may not pass."""

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
