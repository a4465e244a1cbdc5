"""Facts about this installation that its documents print: whether it is a demo."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..permissions import VIEW, ScopedQuerySet
from ..roles import Role


class InstallationQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        # Anyone signed in may read it (documents print it); only the administrators' services write it.
        return action == VIEW or user.role == Role.ADMIN


class Installation(models.Model):
    """One row (pk 1). `demo` is set once by `cuakhau demo load` (and `demo generate`) and never unset:
    the database holds invented people, trips and money, and every document it produces (receipts in
    PDF and signed XML, payment notices, the public verification page) says it is a sample with no
    legal value. Kept in the database, not in the environment, so that it travels with the data: a
    demo database served without `make run`'s environment is still marked."""

    demo = models.BooleanField(_("cài đặt trình diễn (dữ liệu mẫu)"), default=False)
    demo_since = models.DateTimeField(_("là cài đặt trình diễn từ"), null=True, blank=True)

    objects = InstallationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông tin cài đặt")
        verbose_name_plural = _("thông tin cài đặt")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="core_installation_one_row")]

    def __str__(self) -> str:
        return "demo" if self.demo else "production"
