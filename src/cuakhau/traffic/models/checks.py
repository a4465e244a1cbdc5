"""The checks each agency records on a declaration."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cuakhau.core.permissions import ScopedQuerySet
from cuakhau.core.roles import AgencyKind

from .. import permissions
from .declarations import Declaration


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
