"""Regulation: a gate's daily capacity, its time slots and the queue counter."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from .. import permissions
from .declarations import Direction


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
