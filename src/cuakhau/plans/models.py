"""The Board's own management: annual work plans with their tasks, indicators, progress and the
province's evaluation; leaders' directives followed as tracked actions; in-app notifications; and
the public's ratings of the service they got. Who sees which row is decided by each model's `scope`
(see permissions.py)."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from . import permissions


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ACTIVE = "active", _("Đang thực hiện")
    CLOSED = "closed", _("Đã kết thúc năm")


class TaskKind(models.TextChoices):
    KEY = "key", _("Nhiệm vụ trọng tâm")
    SOLUTION = "solution", _("Nhiệm vụ và giải pháp")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã báo cáo hoàn thành")


class Evaluation(models.TextChoices):
    """The province's three levels for a key task."""

    CLEAR = "clear", _("Hoàn thành có kết quả rõ nét")
    UNCLEAR = "unclear", _("Hoàn thành nhưng chưa có kết quả rõ nét")
    NOT_COMPLETED = "not_completed", _("Không hoàn thành")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Hủy bỏ")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
FINISHED_ACTION_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)


# --- plans -------------------------------------------------------------------------------------------


class PlanQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.plan_scope(user, action)


class Plan(models.Model):
    """The Board's work plan for one year."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    title = models.CharField(_("tên kế hoạch"), max_length=255)
    reference = models.CharField(
        _("số, ký hiệu văn bản"), max_length=80, blank=True, help_text=_("Ví dụ: 15/KH-BQLKKTCK.")
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=PlanStatus.choices, default="draft")
    evaluation_reference = models.CharField(
        _("văn bản đánh giá của tỉnh"),
        max_length=120,
        blank=True,
        help_text=_("Số, ký hiệu văn bản của UBND tỉnh đánh giá kết quả thực hiện."),
    )
    evaluated_on = models.DateField(_("ngày đánh giá"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch công tác năm")
        verbose_name_plural = _("kế hoạch công tác năm")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="plan_year_range"),
        ]

    def __str__(self) -> str:
        return str(self.title)


class TaskQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.task_scope(user, action)


class Task(models.Model):
    """A key task (nhiệm vụ trọng tâm) or a task-and-solution of a plan, led by one unit with others
    cooperating."""

    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="tasks")
    kind = models.CharField(_("loại"), max_length=10, choices=TaskKind.choices, default=TaskKind.KEY)
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    description = models.TextField(_("nội dung, giải pháp"), blank=True)
    lead_unit = models.ForeignKey(
        "core.Unit", verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="plan_tasks_led"
    )
    cooperating_units = models.ManyToManyField(
        "core.Unit", verbose_name=_("đơn vị phối hợp"), blank=True, related_name="plan_tasks_cooperating"
    )
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    status = models.CharField(
        _("tiến độ"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(_("tỷ lệ hoàn thành (%)"), default=0)
    completed_on = models.DateField(_("ngày báo cáo hoàn thành"), null=True, blank=True)
    evaluation = models.CharField(
        _("đánh giá của tỉnh"), max_length=16, choices=Evaluation.choices, blank=True
    )
    evaluation_note = models.TextField(_("nhận xét đánh giá"), blank=True)
    evaluated_at = models.DateTimeField(_("đánh giá lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan__year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "number"], name="task_number_unique_in_plan"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="task_percent_lte_100"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.deadline and self.deadline < today and self.status != TaskStatus.DONE)


class Indicator(models.Model):
    """A measurable target of a task. When `statistic_key` names a statistic that an app provides
    (see indicators.py), the actual value comes from it; otherwise staff enter it."""

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("chỉ tiêu"), max_length=255)
    measure = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    target = models.DecimalField(_("chỉ tiêu kế hoạch"), max_digits=18, decimal_places=3)
    statistic_key = models.CharField(_("số liệu thống kê liên kết"), max_length=64, blank=True)
    statistic_year = models.PositiveSmallIntegerField(_("năm số liệu"), null=True, blank=True)
    actual_entered = models.DecimalField(
        _("kết quả (nhập tay)"), max_digits=18, decimal_places=3, null=True, blank=True
    )
    actual_source = models.CharField(_("nguồn số liệu"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["task", "id"]

    def __str__(self) -> str:
        return str(self.name)


def evidence_path(instance, filename: str) -> str:
    # The stored name is ours (a random token), never the uploader's: no path tricks, no collisions.
    import secrets

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    today = timezone.localdate()
    return f"plans/evidence/{today:%Y/%m}/{secrets.token_hex(12)}.{suffix}"


class ProgressUpdate(models.Model):
    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        "core.User", verbose_name=_("người báo cáo"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        "core.Unit", verbose_name=_("đơn vị"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("nội dung báo cáo"))
    status = models.CharField(_("tiến độ"), max_length=12, choices=TaskStatus.choices)
    percent = models.PositiveSmallIntegerField(_("tỷ lệ hoàn thành (%)"), default=0)
    created_at = models.DateTimeField(_("báo cáo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.get_status_display()}"


class Evidence(models.Model):
    update = models.ForeignKey(
        ProgressUpdate, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("tệp minh chứng"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("tệp minh chứng")
        verbose_name_plural = _("tệp minh chứng")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.original_name)


# --- directives ---------------------------------------------------------------------------------------


class DirectiveQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.directive_scope(user, action)


class Directive(models.Model):
    """A leader's directive (who, when, at which meeting, what), followed through its actions."""

    leader = models.CharField(_("người chỉ đạo"), max_length=150)
    leader_title = models.CharField(_("chức vụ"), max_length=255, blank=True)
    given_on = models.DateField(_("ngày chỉ đạo"))
    meeting = models.CharField(_("cuộc họp, hội nghị"), max_length=255, blank=True)
    reference = models.CharField(
        _("văn bản truyền đạt"), max_length=120, blank=True, help_text=_("Ví dụ: Thông báo số 25/TB-UBND.")
    )
    text = models.TextField(_("nội dung chỉ đạo"))
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("ý kiến chỉ đạo")
        verbose_name_plural = _("ý kiến chỉ đạo")
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.leader} ({self.given_on:%d/%m/%Y})"


class ActionQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.action_scope(user, action)

    def overdue(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)


class Action(models.Model):
    """One tracked action of a directive: an owner unit, a due date, a state."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("chỉ đạo"), on_delete=models.PROTECT, related_name="actions"
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("việc cần làm"), max_length=500)
    owner_unit = models.ForeignKey(
        "core.Unit", verbose_name=_("đơn vị chủ trì"), on_delete=models.PROTECT, related_name="actions_owned"
    )
    cooperating_units = models.ManyToManyField(
        "core.Unit", verbose_name=_("đơn vị phối hợp"), blank=True, related_name="actions_cooperating"
    )
    due_date = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    result = models.TextField(_("kết quả"), blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("việc thực hiện chỉ đạo")
        verbose_name_plural = _("việc thực hiện chỉ đạo")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["directive", "number"], name="action_number_unique_in_directive"),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in OPEN_ACTION_STATUSES and self.due_date < today

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def finished_late(self) -> bool:
        return self.status == ActionStatus.DONE and bool(
            self.completed_on and self.completed_on > self.due_date
        )


class ActionUpdate(models.Model):
    action = models.ForeignKey(
        Action, verbose_name=_("việc"), on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        "core.User", verbose_name=_("người cập nhật"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=ActionStatus.choices)
    note = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("cập nhật việc")
        verbose_name_plural = _("cập nhật việc")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.get_status_display()}"


# --- notifications ------------------------------------------------------------------------------------


class NotificationQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return Q(user_id=user.pk)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notice to one person (core has none yet; this one is generic enough to move there).
    `key` makes a reminder idempotent: the same reminder is never sent twice to the same person."""

    user = models.ForeignKey(
        "core.User", verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="plan_notifications"
    )
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    key = models.CharField(max_length=120)
    message = models.CharField(_("nội dung"), max_length=500)
    url = models.CharField(_("đường dẫn"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]

    def __str__(self) -> str:
        return str(self.message)


# --- feedback on staff ----------------------------------------------------------------------------------


class FeedbackQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.feedback_scope(user, action)


class Feedback(models.Model):
    """A citizen's or enterprise's rating of the service they got, from a signed link (core/feedback.py).
    One rating per subject (a receipt, a pass, a result). The sender's address is kept only as a
    keyed hash, for rate limiting."""

    subject_type = models.CharField(_("loại việc"), max_length=32)
    subject_id = models.CharField(_("mã việc"), max_length=64)
    unit = models.ForeignKey(
        "core.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="service_feedback"
    )
    staff = models.ForeignKey(
        "core.User",
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_feedback",
    )
    rating = models.PositiveSmallIntegerField(_("mức hài lòng"))
    comment = models.TextField(_("ý kiến"), blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    sender_hash = models.CharField(max_length=64, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá phục vụ")
        verbose_name_plural = _("đánh giá phục vụ")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_1_5"),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "unit"], name="feedback_once_per_subject"
            ),
        ]
        indexes = [models.Index(fields=["sender_hash", "submitted_at"], name="feedback_sender_time")]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} ★{self.rating}"
