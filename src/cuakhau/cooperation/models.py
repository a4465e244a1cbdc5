"""Cross-border cooperation with Guangxi (China): counterpart organisations, meetings with bilingual
minutes, agreements and memoranda whose commitments are followed as tracked actions, and the
milestones of the Đồng Đăng – Bằng Tường (同登–凭祥) cross-border economic cooperation zone.
Who sees which row is decided by `permissions`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from . import permissions


class BoardQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.board_scope(user, action)


class CounterpartKind(models.TextChoices):
    GOVERNMENT = "government", _("Chính quyền địa phương")
    COMMERCE = "commerce", _("Cơ quan thương mại")
    PORT = "port", _("Quản lý cửa khẩu")
    CUSTOMS = "customs", _("Hải quan")
    BORDER = "border", _("Quản lý biên giới, xuất nhập cảnh")
    ZONE = "zone", _("Khu kinh tế, khu hợp tác")
    OTHER = "other", _("Khác")


class Counterpart(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name_vi = models.CharField(_("tên tiếng Việt"), max_length=255)
    name_zh = models.CharField(_("tên tiếng Trung"), max_length=255)
    kind = models.CharField(_("loại"), max_length=16, choices=CounterpartKind.choices)
    region = models.CharField(_("địa phương"), max_length=120, default="Quảng Tây (广西)")
    notes = models.TextField(_("ghi chú"), blank=True)
    is_active = models.BooleanField(_("đang quan hệ"), default=True)

    objects = BoardQuerySet.as_manager()

    class Meta:
        verbose_name = _("đối tác phía Trung Quốc")
        verbose_name_plural = _("đối tác phía Trung Quốc")
        ordering = ["name_vi"]

    def __str__(self) -> str:
        return f"{self.name_vi} ({self.name_zh})"


class Meeting(models.Model):
    """A meeting or talks with the Chinese side, with minutes in both languages."""

    title = models.CharField(_("tiêu đề"), max_length=255)
    held_on = models.DateField(_("ngày"))
    place = models.CharField(_("địa điểm"), max_length=255)
    counterparts = models.ManyToManyField(Counterpart, verbose_name=_("đối tác"), related_name="meetings")
    participants_vn = models.TextField(_("thành phần phía Việt Nam"))
    participants_cn = models.TextField(_("thành phần phía Trung Quốc"))
    minutes_vi = models.TextField(_("biên bản (tiếng Việt)"), blank=True)
    minutes_zh = models.TextField(_("biên bản (tiếng Trung)"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    objects = BoardQuerySet.as_manager()

    class Meta:
        verbose_name = _("hội đàm, làm việc")
        verbose_name_plural = _("hội đàm, làm việc")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} · {self.title}"


class FileLanguage(models.TextChoices):
    VI = "vi", _("Tiếng Việt")
    ZH = "zh", _("Tiếng Trung")
    BOTH = "both", _("Song ngữ")


class Document(models.Model):
    """A file attached to a meeting (signed minutes, slides) or to an agreement (the signed text)."""

    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    agreement = models.ForeignKey(
        "Agreement", null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("tên tài liệu"), max_length=255)
    language = models.CharField(_("ngôn ngữ"), max_length=4, choices=FileLanguage.choices)
    file = models.FileField(_("tệp"), upload_to="cooperation/%Y/", max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = BoardQuerySet.as_manager()

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, agreement__isnull=True)
                | Q(meeting__isnull=True, agreement__isnull=False),
                name="document_one_parent",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AgreementKind(models.TextChoices):
    AGREEMENT = "agreement", _("Thỏa thuận hợp tác")
    MEMORANDUM = "memorandum", _("Bản ghi nhớ")
    MINUTES = "minutes", _("Biên bản thỏa thuận hội đàm")
    PLAN = "plan", _("Kế hoạch, chương trình hợp tác")


class Agreement(models.Model):
    kind = models.CharField(_("loại văn bản"), max_length=16, choices=AgreementKind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    title_vi = models.CharField(_("tên (tiếng Việt)"), max_length=255)
    title_zh = models.CharField(_("tên (tiếng Trung)"), max_length=255, blank=True)
    signed_on = models.DateField(_("ngày ký"))
    signed_place = models.CharField(_("nơi ký"), max_length=255, blank=True)
    parties_vn = models.CharField(_("bên Việt Nam"), max_length=500)
    counterparts = models.ManyToManyField(
        Counterpart, verbose_name=_("bên Trung Quốc"), related_name="agreements"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("ký tại cuộc hội đàm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    text_vi = models.TextField(_("nội dung (tiếng Việt)"), blank=True)
    text_zh = models.TextField(_("nội dung (tiếng Trung)"), blank=True)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    objects = BoardQuerySet.as_manager()

    class Meta:
        verbose_name = _("thỏa thuận, bản ghi nhớ")
        verbose_name_plural = _("thỏa thuận, bản ghi nhớ")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("signed_on")),
                name="agreement_valid_after_signed",
            )
        ]

    def __str__(self) -> str:
        return self.title_vi


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Không thực hiện nữa")


OPEN_ACTION = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})


class CommitmentQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.commitment_scope(user, action)

    def overdue(self, day=None):
        day = day or timezone.localdate()
        return self.filter(status__in=OPEN_ACTION, due_on__lt=day)


class Commitment(models.Model):
    """One commitment of an agreement, followed as an action: an owner unit on the Vietnamese side,
    a due date, a status and its updates."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="commitments")
    text_vi = models.TextField(_("cam kết (tiếng Việt)"))
    text_zh = models.TextField(_("cam kết (tiếng Trung)"), blank=True)
    owner_unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("đơn vị chủ trì"),
        on_delete=models.PROTECT,
        related_name="cooperation_actions",
    )
    due_on = models.DateField(_("hạn"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("hoàn thành ngày"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("cam kết, nhiệm vụ theo dõi")
        verbose_name_plural = _("cam kết, nhiệm vụ theo dõi")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text_vi[:80]

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_ACTION and self.due_on is not None and self.due_on < timezone.localdate()


class CommitmentUpdate(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    note = models.TextField()
    actor = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.status}"


class MilestoneStatus(models.TextChoices):
    ACHIEVED = "achieved", _("Đã đạt")
    PLANNED = "planned", _("Dự kiến")
    DELAYED = "delayed", _("Chậm so với dự kiến")


class Milestone(models.Model):
    """A step of the Đồng Đăng – Bằng Tường cross-border economic cooperation zone."""

    on = models.DateField(_("ngày (hoặc ngày dự kiến)"))
    title_vi = models.CharField(_("mốc (tiếng Việt)"), max_length=255)
    title_zh = models.CharField(_("mốc (tiếng Trung)"), max_length=255, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=MilestoneStatus.choices)
    source = models.CharField(_("nguồn"), max_length=500, blank=True)
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("văn bản liên quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
    )

    objects = BoardQuerySet.as_manager()

    class Meta:
        verbose_name = _("mốc khu hợp tác kinh tế qua biên giới")
        verbose_name_plural = _("mốc khu hợp tác kinh tế qua biên giới")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} · {self.title_vi}"
