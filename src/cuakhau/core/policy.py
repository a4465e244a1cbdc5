"""One policy per app: who may do what is answered in the app's `permissions.py`, and nowhere else.

Modelled on NetBox's `restrict(user, action)`. An app's policy module holds:

* the scopes its models' managers call (`Model.objects.for_user(user, action)`, core.permissions);
* `may_<question>(user, obj=None) -> bool` functions for what a scope cannot say (may this user open
  the module, reveal an ID, collect cash at this gate);

and registers itself in its AppConfig.ready():

    policy.register("incidents", permissions)

Views, the API and templates ask, never compare roles themselves:

    policy.may(request.user, "incidents.open")                 # may_open(user)
    policy.may(request.user, "incidents.manage", incident)     # may_manage(user, obj), or the scope
    policy.require(actor, "cooperation.record", meeting)       # ServiceError 403 when not
    {% may "fees.collect" gate as can_collect %}               # core_tags, in templates

A question the module does not answer with a `may_` function falls back to the object's scope
(`for_user(user, action)` holds the object), so `may(user, "incidents.manage", incident)` needs no
function of its own.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from .errors import ServiceError

_policies: dict[str, ModuleType] = {}


def register(app_label: str, module: ModuleType) -> None:
    _policies[app_label] = module


def registered() -> dict[str, ModuleType]:
    return dict(_policies)


def _split(question: str) -> tuple[ModuleType, str]:
    app_label, _dot, action = question.partition(".")
    if not action or app_label not in _policies:
        raise LookupError(f"no policy answers {question!r} (apps: {', '.join(sorted(_policies))})")
    return _policies[app_label], action


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def may(user: Any, question: str, obj: Any = None) -> bool:
    """Whether `user` may do `question` ("<app>.<action>"), on `obj` when given."""
    module, action = _split(question)
    answer = getattr(module, f"may_{action}", None)
    if answer is not None:
        if not _signed_in(user):
            return bool(getattr(answer, "public", False)) and bool(
                answer(user) if obj is None else answer(user, obj)
            )
        return bool(answer(user) if obj is None else answer(user, obj))
    if isinstance(obj, models.Model):
        manager = type(obj)._default_manager
        return manager.all().for_user(user, action).filter(pk=obj.pk).exists()
    raise LookupError(f"{module.__name__} has no may_{action} and no object to scope")


def require(user: Any, question: str, obj: Any = None, *, message: str = "") -> None:
    """Refuse with 403 unless `may(user, question, obj)`."""
    if not may(user, question, obj):
        raise ServiceError(
            message or _("Bạn không có quyền thực hiện thao tác này."), code="forbidden", status=403
        )


def public(func: Any) -> Any:
    """Mark a `may_` answer that also answers for a visitor who is not signed in."""
    func.public = True
    return func
