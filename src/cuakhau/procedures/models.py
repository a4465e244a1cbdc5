"""One-stop administrative procedures: a versioned catalogue, dossiers with their files, the steps they
pass through (each hand-off timed), the daily code counter, the apology letter and the warnings sent.
Who sees which dossier is decided by `permissions.dossier_scope`."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet
from cuakhau.core.sealed import BlindIndexField, SealedField
from cuakhau.parties.models import mask_id

from . import permissions


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    DAYS = "days", _("ngày (theo lịch)")
    WORKING_HOURS = "working_hours", _("giờ làm việc")


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    DESK = "desk", _("Trực tiếp tại Bộ phận một cửa")


class Status(models.TextChoices):
    NEW = "new", _("Mới nộp, chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    PROCESSING = "processing", _("Đang giải quyết")
    SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
    FEE_DUE = "fee_due", _("Chờ nộp phí, lệ phí")
    PROCESSED = "processed", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    WITHDRAWN = "withdrawn", _("Xin rút hồ sơ")
    STOPPED = "stopped", _("Dừng giải quyết")


# The clock runs in these statuses; it is paused while the applicant supplements the dossier.
RUNNING = frozenset({Status.RECEIVED, Status.PROCESSING, Status.FEE_DUE})
OPEN = frozenset({Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.FEE_DUE})
FINISHED = frozenset({Status.PROCESSED, Status.RETURNED})


class Timing(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class ProcedureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_active=True)


class Procedure(models.Model):
    """A procedure's lasting identity; what it requires lives in its versions."""

    code = models.SlugField(_("mã thủ tục"), max_length=40, unique=True)
    field = models.CharField(_("lĩnh vực"), max_length=120)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    order = models.PositiveSmallIntegerField(default=100)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        current = self.current_version()
        return current.name if current else self.code

    def current_version(self, at=None):
        at = at or timezone.now()
        return self.versions.filter(valid_from__lte=at).order_by("-valid_from", "-number").first()


class ProcedureVersion(models.Model):
    """What a procedure requires from a date on. A dossier keeps the version in force when received."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("phiên bản"))
    valid_from = models.DateTimeField(_("áp dụng từ"))
    name = models.CharField(_("tên thủ tục"), max_length=300)
    legal_basis = models.TextField(_("căn cứ pháp lý"))
    deadline = models.DecimalField(_("thời hạn giải quyết"), max_digits=6, decimal_places=1)
    deadline_unit = models.CharField(_("đơn vị thời hạn"), max_length=16, choices=DeadlineUnit.choices)
    deadline_note = models.TextField(_("cách tính thời hạn"), blank=True)
    fee = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), default=0)
    fee_note = models.CharField(_("ghi chú phí"), max_length=300, blank=True)
    # [{"name": ..., "copies": 1, "template": "Mẫu A.I.1"}]
    documents = models.JSONField(_("thành phần hồ sơ"), default=list)
    # [{"key": ..., "name": ..., "unit": <unit code>, "days": "1.5"}]; the shares add up to the deadline
    steps = models.JSONField(_("quy trình"), default=list)
    result_document = models.CharField(_("kết quả"), max_length=300)
    handling_unit = models.ForeignKey(
        "core.Unit", verbose_name=_("đơn vị giải quyết"), on_delete=models.PROTECT, related_name="+"
    )
    to_be_confirmed = models.BooleanField(_("chờ Ban xác nhận"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique"),
            models.CheckConstraint(condition=Q(deadline__gt=0), name="procedure_deadline_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    @property
    def deadline_value(self):
        """10 rather than 10.0; 2.5 stays 2.5."""
        return int(self.deadline) if self.deadline == int(self.deadline) else self.deadline

    @property
    def step_rows(self) -> list[dict]:
        """The steps with their share as a number (stored as text in JSON), for pages to format."""
        rows = []
        for step in self.steps or []:
            try:
                days = Decimal(str(step.get("days") or 0))
            except ArithmeticError:
                days = None
            rows.append({**step, "days": days})
        return rows


class DossierCounter(models.Model):
    """The day's dossier sequence for one agency code; the row is the counter, locked for update inside
    the transaction that writes the dossier, so numbers run 1, 2, 3 without gaps or repeats."""

    agency_code = models.CharField(max_length=40)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency_code", "day"], name="dossier_counter_day")]

    def __str__(self) -> str:
        return f"{self.agency_code} {self.day}: {self.last_number}"


# No 0/O, 1/I/L: read off paper and typed back without confusion. 10 characters of 31: about 49 bits,
# out of reach of guessing behind the public lookup's per-address limit.
LOOKUP_KEY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LOOKUP_KEY_LENGTH = 10


def new_lookup_key() -> str:
    return "".join(secrets.choice(LOOKUP_KEY_ALPHABET) for _ in range(LOOKUP_KEY_LENGTH))


class DossierQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.dossier_scope(user, action)

    def open(self):
        return self.filter(status__in=OPEN)


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True)
    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    channel = models.CharField(_("hình thức nộp"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.NEW)
    enterprise = models.ForeignKey(
        "parties.Enterprise",
        verbose_name=_("doanh nghiệp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    applicant_name = models.CharField(_("người nộp hồ sơ"), max_length=200)
    # The number the applicant proves the dossier is theirs with: the tax code, or an ID/passport number.
    # Sealed at rest (core.sealed); found by its blind index (the personal-data export), never by text.
    applicant_id = SealedField(_("mã số thuế / số giấy tờ tùy thân"))
    applicant_id_index = BlindIndexField(source="applicant_id")
    # The secret printed on the receipt slip (form 01) beside the code: the public lookup needs both, so
    # that sequential codes and public tax codes are not enough to read another applicant's dossier.
    lookup_key = models.CharField(_("mã tra cứu"), max_length=16, default=new_lookup_key, editable=False)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    subject = models.CharField(_("nội dung đề nghị"), max_length=500)

    submitted_at = models.DateTimeField(_("nộp lúc"), default=timezone.now)
    submitted_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    received_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clock_start = models.DateTimeField(_("bắt đầu tính hạn"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True, db_index=True)
    first_due_at = models.DateTimeField(_("hẹn lần đầu"), null=True, blank=True)
    # The date told to the applicant: the due moment, or the one new appointment of an apology letter.
    appointment_at = models.DateTimeField(_("hẹn trả (đã báo)"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    # What was left of the deadline when the clock paused, in the version's unit (days, or hours).
    paused_remaining = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    paused_total = models.DecimalField(_("thời gian tạm dừng"), max_digits=8, decimal_places=2, default=0)
    handling_unit = models.ForeignKey(
        "core.Unit", verbose_name=_("đơn vị đang xử lý"), on_delete=models.PROTECT, related_name="+"
    )
    step_index = models.PositiveSmallIntegerField(default=0)
    step_started_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        "core.User",
        verbose_name=_("cán bộ thụ lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fee_amount = models.PositiveBigIntegerField(_("phí, lệ phí phải nộp"), default=0)
    fee_paid_at = models.DateTimeField(null=True, blank=True)
    fee_paid_online = models.BooleanField(default=False)
    processed_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    finished_timing = models.CharField(
        _("tiến độ"), max_length=8, choices=Timing.choices, blank=True, db_index=True
    )
    result_summary = models.TextField(_("kết quả giải quyết"), blank=True)
    refuse_reason = models.TextField(_("lý do từ chối"), blank=True)
    stop_reason = models.TextField(_("lý do dừng"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"], name="dossier_status_due")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def masked_applicant_id(self) -> str:
        """The applicant's tax code or ID number as lists, pages, the API and documents show it; the
        full number is read through services.dossier_reveal_applicant_id, which audits each reading."""
        return mask_id(self.applicant_id)

    @property
    def lookup_key_display(self) -> str:
        """ABCDE-FGHJK: the lookup key as printed (the lookup reads it with or without the dash)."""
        key = self.lookup_key or ""
        return f"{key[:5]}-{key[5:]}" if len(key) == LOOKUP_KEY_LENGTH else key

    @property
    def procedure(self):
        return self.version.procedure

    @property
    def is_overdue(self) -> bool:
        return self.status in RUNNING and self.due_at is not None and self.due_at < timezone.now()

    @property
    def step(self) -> dict | None:
        steps = self.version.steps or []
        return steps[self.step_index] if self.step_index < len(steps) else None

    @property
    def reappointed(self) -> bool:
        return hasattr(self, "apology")


class DossierFile(models.Model):
    class Kind(models.TextChoices):
        APPLICATION = "application", _("Hồ sơ nộp")
        SUPPLEMENT = "supplement", _("Hồ sơ bổ sung")
        RESULT = "result", _("Kết quả")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.APPLICATION)
    document = models.CharField(_("giấy tờ"), max_length=300, blank=True)
    file = models.FileField(upload_to="procedures/%Y/%m/", max_length=200)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class DossierEvent(models.Model):
    """One step in a dossier's life: a status change or a hand-off between units (form 06). The public
    lookup shows `public_note` only; `internal_note` stays inside the Board."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    step_name = models.CharField(max_length=200, blank=True)
    from_unit = models.ForeignKey(
        "core.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "core.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    step_due_at = models.DateTimeField(null=True, blank=True)
    timing = models.CharField(max_length=8, choices=Timing.choices, blank=True)
    actor = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    public_note = models.TextField(blank=True)
    internal_note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.action} → {self.to_status}"


class ApologyLetter(models.Model):
    """Form 04: the apology for a late dossier with its one new appointment. One per dossier: a second
    re-appointment is refused (Decree 61/2018/ND-CP Art. 19(3)(c))."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology")
    reason = models.TextField(_("lý do quá hạn"))
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField(_("hẹn lại"))
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("phiếu xin lỗi và hẹn lại")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại")

    def __str__(self) -> str:
        return f"{self.dossier.code}: {self.new_due_at:%d/%m/%Y}"


class DueWarning(models.Model):
    """A warning sent to the handling unit that a dossier is due within a working day; one per due
    moment, so the daily run may be repeated."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="warnings")
    due_at = models.DateTimeField()
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "due_at"], name="due_warning_once")]

    def __str__(self) -> str:
        return f"{self.dossier.code} {self.due_at}"
