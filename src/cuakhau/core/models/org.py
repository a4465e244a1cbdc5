"""Organisation: units, users with one role each, API tokens for devices and other systems."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..permissions import VIEW, ScopedQuerySet
from ..roles import GATE_BOUND_ROLES, READ_ONLY_ROLES, ZONE_WIDE_ROLES, AgencyKind, Role, UnitKind


class UnitQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        if action == VIEW and (user.role in ZONE_WIDE_ROLES or user.role in READ_ONLY_ROLES):
            return True
        if action == VIEW and user.role in GATE_BOUND_ROLES:
            # A gate's staff see the units working at their gates and the Board's own units.
            at_my_gates = Unit.objects.filter(gates__in=user.gate_ids()).values("pk")
            return (
                Q(pk=user.unit_id)
                | Q(pk__in=at_my_gates)
                | Q(kind__in=[UnitKind.BOARD_LEADERSHIP, UnitKind.BOARD_DEPARTMENT])
            )
        if action == VIEW:
            return Q(pk=user.unit_id)
        return False


class Unit(models.Model):
    """An organisational unit. Gate centres and agencies are tied to the gates they work at
    through `gates.Gate.units` (the gates app points here; core imports no app)."""

    code = models.SlugField(_("mã đơn vị"), max_length=40, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=32, choices=UnitKind.choices)
    agency_kind = models.CharField(_("lực lượng"), max_length=32, choices=AgencyKind.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=UnitKind.AGENCY) | Q(agency_kind=""), name="unit_agency_kind_only_for_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        if action == VIEW and (user.role in ZONE_WIDE_ROLES or user.role in READ_ONLY_ROLES):
            return True
        if action == VIEW and user.unit_id:
            return Q(unit_id=user.unit_id)
        return Q(pk=user.pk) if action == VIEW else False


class CuakhauUserManager(UserManager["User"]):
    """Django's UserManager over scoped querysets: what `from_queryset(UserQuerySet)` builds, written
    out so that the type checker follows it."""

    _queryset_class = UserQuerySet

    def get_queryset(self) -> UserQuerySet:
        queryset = super().get_queryset()
        if not isinstance(queryset, UserQuerySet):  # a subclass that changed _queryset_class
            raise TypeError("CuakhauUserManager needs a UserQuerySet")
        return queryset

    def for_user(self, user: User | None, action: str = VIEW) -> ScopedQuerySet:
        return self.get_queryset().for_user(user, action)


class User(AbstractUser):
    """A person, or a device or other system (a service account), using the platform. One role; one unit
    (drivers may have none). A service account never signs in with a password: it acts only through its
    own API keys, so what a device does is recorded as the device's, never as a person's."""

    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=10, default="vi")
    is_service_account = models.BooleanField(
        _("tài khoản thiết bị hoặc hệ thống"),
        default=False,
        help_text=_("Chỉ dùng khóa API, không đăng nhập bằng mật khẩu."),
    )

    objects: ClassVar[CuakhauUserManager] = CuakhauUserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_service_account=False) | Q(is_superuser=False, is_staff=False),
                name="user_service_account_not_staff",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def gate_ids(self) -> list[int]:
        """The gates this user acts at: their unit's gates for gate-bound roles, none otherwise."""
        cache = getattr(self, "_gate_ids", None)
        if cache is None:
            if self.role in GATE_BOUND_ROLES and self.unit_id and self.unit is not None:
                cache = list(self.unit.gates.values_list("pk", flat=True))
            else:
                cache = []
            self._gate_ids = cache
        return cache

    @property
    def is_board_staff(self) -> bool:
        return self.role in ZONE_WIDE_ROLES or self.role in GATE_BOUND_ROLES or self.role == Role.INSPECTOR


class ApiTokenQuerySet(ScopedQuerySet):
    def scope(self, user, action):
        if user.role in ZONE_WIDE_ROLES:
            return True
        return Q(user=user) if action == VIEW else False


class ApiToken(models.Model):
    """A bearer token for a device or another system. Only a SHA-256 of the secret is stored;
    the secret is shown once, at creation. A token acts as its service account (core.keys says which
    accounts may hold one and who may issue it), within that account's unit; `created_by` names the
    person who issued it."""

    name = models.CharField(_("tên"), max_length=120)
    prefix = models.CharField(_("tiền tố"), max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        User, verbose_name=_("tài khoản"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("người tạo")
    )
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
