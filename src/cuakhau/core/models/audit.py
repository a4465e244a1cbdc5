"""The audit log: append-only events, sealed into a hash chain shortly after commit."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..permissions import VIEW, ScopedQuerySet
from ..roles import Role

# The only columns that may ever change on a stored event, once, while it is unsealed.
SEAL_FIELDS = frozenset({"chain_seq", "prev_hash", "hash"})

_sealing: contextvars.ContextVar[bool] = contextvars.ContextVar("cuakhau_audit_sealing", default=False)


F = TypeVar("F", bound=Callable[..., Any])


def _alters_data(func: F) -> F:
    """Marked as Django marks its own writers: templates never call it."""
    marked: Any = func
    marked.alters_data = True
    return func


def _queryset_only(func: F) -> F:
    """Kept off the manager, as Django keeps QuerySet.delete: `Model.objects.delete()` does not exist."""
    marked: Any = func
    marked.queryset_only = True
    return func


class AppendOnlyError(Exception):
    """An attempt to change or remove a stored audit event."""


@contextlib.contextmanager
def sealer_writes():
    """Lets the sealer (core.audit_chain) write SEAL_FIELDS of unsealed events with bulk_update."""
    token = _sealing.set(True)
    try:
        yield
    finally:
        _sealing.reset(token)


class AuditEventQuerySet(ScopedQuerySet):
    """Append-only in code: no delete, no update except the sealer's. PostgreSQL enforces the same
    with a trigger (migration 0002), for writes that do not come through this code."""

    def scope(self, user, action):
        # Inspectors (and admins, handled by for_user) read the log; nobody changes it.
        return action == VIEW and user.role == Role.INSPECTOR

    @_queryset_only
    @_alters_data
    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted")

    @_alters_data
    def update(self, **kwargs):
        if not _sealing.get() or not set(kwargs) <= SEAL_FIELDS:
            raise AppendOnlyError("audit events cannot be changed")
        # Even the sealer may only fill in events that are not sealed yet.
        return super(AuditEventQuerySet, self.filter(chain_seq__isnull=True)).update(**kwargs)

    @_alters_data
    def bulk_create(self, objs, *args, **kwargs):
        if kwargs.get("update_conflicts"):
            raise AppendOnlyError("audit events cannot be upserted")
        return super().bulk_create(objs, *args, **kwargs)


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "core.User",
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("tài khoản"), max_length=150, blank=True)
    actor_role = models.CharField(_("vai trò"), max_length=32, blank=True)
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("hành động"), max_length=80, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    request_id = models.CharField(_("mã yêu cầu"), max_length=64, blank=True)
    client_ip = models.GenericIPAddressField(_("địa chỉ máy"), null=True, blank=True)
    channel = models.CharField(_("kênh"), max_length=16, blank=True)  # web, api, cli, task
    # The legal fields of the business rows this event wrote, as stored ("app.model:pk" -> {field: value}),
    # so that the chain seals them and `audit verify` can compare them with the rows (core.sealed_rows).
    rows = models.JSONField(_("dữ liệu đã niêm phong"), null=True, blank=True)
    # Set once by the sealer: position in the chain and the hash linking to the event before it.
    chain_seq = models.BigIntegerField(null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "occurred_at"]),
            models.Index(fields=["chain_seq"], condition=Q(chain_seq__isnull=True), name="audit_unsealed"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_repr}"

    @_alters_data
    def save(self, *args, **kwargs):
        if self._state.adding:
            # A new event is always an INSERT, even when a primary key is given: never an overwrite.
            kwargs["force_insert"] = True
            kwargs.pop("force_update", None)
            return super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or not set(update_fields) <= SEAL_FIELDS:
            raise AppendOnlyError("audit events cannot be changed")
        values = {name: getattr(self, name) for name in update_fields}
        with sealer_writes():
            changed = type(self).objects.filter(pk=self.pk).update(**values)
        if changed != 1:
            raise AppendOnlyError("a sealed audit event cannot be changed")

    @_alters_data
    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")


class AuditSeal(models.Model):
    """The chain's head (one row, id=1): the last sealed position and hash. Sealers lock it."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    sealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đầu chuỗi nhật ký")

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:16]}"


class AnchorKind(models.TextChoices):
    HOURLY = "hourly", _("Hằng giờ")
    DAILY = "daily", _("Cuối ngày")


class AuditAnchor(models.Model):
    """The chain's head as published outside the database (public page, open data, e-mail to the
    inspectors, optionally an RFC 3161 timestamp): rewriting history then contradicts a published
    hash (`cuakhau audit verify --anchors`). Written by `cuakhau audit anchor`; never changed except
    to add a timestamp token on a later retry."""

    seq = models.BigIntegerField(_("số thứ tự chuỗi"))
    hash = models.CharField(_("mã băm"), max_length=64)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    kind = models.CharField(_("loại"), max_length=8, choices=AnchorKind.choices, default=AnchorKind.HOURLY)
    emailed_to = models.CharField(_("đã gửi thư tới"), max_length=500, blank=True)
    tsa_url = models.CharField(_("máy chủ dấu thời gian"), max_length=300, blank=True)
    tsa_token = models.TextField(_("dấu thời gian RFC 3161 (base64)"), blank=True)
    tsa_at = models.DateTimeField(_("thời điểm đóng dấu"), null=True, blank=True)
    tsa_error = models.CharField(_("lỗi đóng dấu thời gian"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("neo nhật ký kiểm toán")
        verbose_name_plural = _("neo nhật ký kiểm toán")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.seq} {self.hash[:16]}"
