"""Each gate's exit rule: whether a trip must have paid its fee before it leaves, set by the Board for a
period (effective dates, never overlapping at one gate, never edited once in force)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet

from .. import permissions


class ExitMode(models.TextChoices):
    MUST_PAY = "must_pay", _("Phải nộp xong phí mới được ra")
    DEPOSIT_OR_CREDIT = "deposit_or_credit", _("Được nợ nếu có ký quỹ đủ hoặc trong hạn mức nợ được duyệt")
    OPEN = "none", _("Không kiểm tra phí khi ra")


# Where a gate (and, for a route, its parent gate) has no rule for the day: an unpaid fee must not let a
# truck out silently, so the strictest rule applies until the Board sets one.
DEFAULT_EXIT_MODE = ExitMode.MUST_PAY


class ExitRuleQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        return permissions.exit_rule_scope(user, action)


class GateExitRule(models.Model):
    """A gate's exit rule from `effective_from` to `effective_to` (inclusive; open-ended when empty).
    A rule in force is only ever closed (its last day set) when the next one opens (traffic.services
    .exit_rule_set), so what applied on a past day stays what it was."""

    gate = models.ForeignKey(
        "gates.Gate", verbose_name=_("cửa khẩu"), on_delete=models.PROTECT, related_name="exit_rules"
    )
    mode = models.CharField(_("quy định khi xe ra"), max_length=24, choices=ExitMode.choices)
    effective_from = models.DateField(_("áp dụng từ ngày"))
    effective_to = models.DateField(_("đến hết ngày"), null=True, blank=True)
    decision = models.CharField(_("căn cứ (văn bản của Ban)"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đặt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("đặt lúc"), default=timezone.now)

    objects = ExitRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy định xe ra của cửa khẩu")
        verbose_name_plural = _("quy định xe ra của cửa khẩu")
        ordering = ["gate__sort_order", "gate__name", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["gate", "effective_from"], name="exitrule_one_start_per_gate"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="exitrule_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gate_id} {self.mode} {self.effective_from}"

    def applies_on(self, day) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)
