"""One way to scope reads and writes: `Model.objects.for_user(user, action)`.

Modelled on NetBox's RestrictedQuerySet.restrict(user, action). Every scoped model's manager is built
from `ScopedQuerySet` and implements `scope(user, action)`, returning a Q (or a queryset) that limits
the rows this user may see or act on. Pages, API handlers and selectors all start from `for_user`, and
an object outside the scope is answered with 404 (`get_for_user_or_404`), never 403, so that its
existence does not leak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.http import Http404

from .roles import READ_ONLY_ROLES, Role

if TYPE_CHECKING:
    from .models import User

VIEW = "view"
CHANGE = "change"
ADD = "add"
DELETE = "delete"
READ_ACTIONS = frozenset({VIEW})


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user: User | None, action: str = VIEW) -> ScopedQuerySet:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser or user.role == Role.ADMIN:
            return self.all()
        if user.role in READ_ONLY_ROLES and action not in READ_ACTIONS:
            return self.none()
        condition = self.scope(user, action)
        if condition is None or condition is False:
            return self.none()
        if condition is True:
            return self.all()
        if isinstance(condition, Q):
            return self.filter(condition)
        return condition

    def scope(self, user: User, action: str) -> Q | bool | None | ScopedQuerySet:
        """Return True (all rows), False/None (no row), a Q, or a queryset made from this one.
        Override per model.
        A condition that crosses a to-many relation must be written as `pk__in=<subquery>` so that
        rows are never duplicated (no DISTINCT needed on every list)."""
        raise NotImplementedError(f"{self.model.__name__} must define its scope")


def scoped(model: type[models.Model]) -> ScopedQuerySet:
    """All rows of a scoped model, as the queryset `for_user` narrows."""
    queryset = model._default_manager.all()
    if not isinstance(queryset, ScopedQuerySet):
        raise TypeError(f"{model._meta.label} has no scope (see core.checks.UNSCOPED_MODELS)")
    return queryset


def get_for_user_or_404(queryset_or_model: Any, user: User, action: str = VIEW, **lookup: Any) -> Any:
    """The object if it is in the user's scope for this action; 404 otherwise (never 403)."""
    queryset = queryset_or_model
    if isinstance(queryset_or_model, type) and issubclass(queryset_or_model, models.Model):
        queryset = scoped(queryset_or_model)
    try:
        return queryset.for_user(user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can(user: User, action: str, obj: models.Model) -> bool:
    """Whether the user may perform action on this object, by the model's own scope."""
    return scoped(type(obj)).for_user(user, action).filter(pk=obj.pk).exists()


def may_add(user: User | None, model: type[models.Model]) -> bool:
    """Whether the user may create objects of this model (its scope answers True for ADD)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    if user.role in READ_ONLY_ROLES:
        return False
    return scoped(model).scope(user, ADD) is True


# -- core's own policy questions (core.policy: "core.<question>") --------------------------------

STAFF_ROLES = frozenset(Role.values) - {Role.ENTERPRISE_USER, Role.DRIVER}
AUDIT_ROLES = frozenset({Role.INSPECTOR, Role.ADMIN})


def _acting_role(user: User) -> str:
    return Role.ADMIN if user.is_superuser else user.role


def may_open_dashboard(user: User) -> bool:
    return True


def may_open_calendar(user: User) -> bool:
    return _acting_role(user) in STAFF_ROLES


def may_open_audit(user: User) -> bool:
    """The audit log and the personal-data register: inspectors and administrators."""
    return _acting_role(user) in AUDIT_ROLES


def may_open_tokens(user: User) -> bool:
    return may_issue_keys(user)


def may_open_personal_data(user: User) -> bool:
    """The personal-data register (export, erasure): inspectors and administrators, never a device."""
    return not user.is_service_account and may_open_audit(user)


def may_manage_users(user: User) -> bool:
    """The users page and the services that create and change units and accounts: administrators."""
    return _acting_role(user) == Role.ADMIN


may_reset_second_factor = may_manage_users  # a lost phone: an administrator resets the devices


def role_is_staff(role: str) -> bool:
    """Whether an account of this role gets Django's staff flag (the admin site): administrators."""
    return role == Role.ADMIN


def may_enter_calendar(user: User) -> bool:
    """Whether the user may enter or replace a year's official calendar: the CalendarYear change scope."""
    from .models import CalendarYear

    return not CalendarYear.objects.for_user(user, CHANGE).query.is_empty()


# -- API keys (core.keys): who may hold one, who may issue one ----------------------------------------


def may_hold_key(account: User) -> bool:
    """Whether a bearer key may act as this account (checked again on every call it makes)."""
    from .roles import SERVICE_ACCOUNT_ROLES

    return (
        account.is_service_account
        and account.is_active
        and not account.is_superuser
        and not account.is_staff
        and account.role in SERVICE_ACCOUNT_ROLES
        and account.unit_id is not None
    )


def may_issue_keys(user: User) -> bool:
    """Who opens the tokens page: the Board's zone-wide roles (admins, leaders, departments)."""
    from .roles import ZONE_WIDE_ROLES

    if not getattr(user, "is_authenticated", False) or user.is_service_account:
        return False
    return user.role in ZONE_WIDE_ROLES or user.is_superuser


def may_open_module(user: User, module: Any) -> bool:
    """Whether the user sees a module of the menu (its entry's policy question)."""
    from . import policy

    return policy.may(user, module.question)
