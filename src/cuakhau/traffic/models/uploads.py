"""A declarations upload too long to check while the browser waits (more than
settings.UPLOAD_BACKGROUND_ROWS data rows): the file's bytes, kept for the background worker, its
progress (rows checked of the total) and its result (the drafts created, or every error by row)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from .. import permissions


class UploadStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    CHECKING = "checking", _("Đang kiểm tra")
    DONE = "done", _("Đã nhập")
    REFUSED = "refused", _("Bị từ chối")


class UploadJobQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.upload_job_scope(user, action)


class UploadJob(models.Model):
    enterprise = models.ForeignKey(
        "parties.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("doanh nghiệp")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("tệp"), max_length=255)
    content = models.BinaryField(_("nội dung tệp"))
    submit = models.BooleanField(_("gửi luôn"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=UploadStatus.choices, default=UploadStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    checked_rows = models.PositiveIntegerField(_("đã kiểm tra"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    created_ids = models.JSONField(_("tờ khai đã tạo"), default=list, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    objects = UploadJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần tải tờ khai")
        verbose_name_plural = _("lần tải tờ khai")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def finished(self) -> bool:
        return self.status in (UploadStatus.DONE, UploadStatus.REFUSED)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.finished else 0
        return min(100, round(100 * self.checked_rows / self.total_rows))
