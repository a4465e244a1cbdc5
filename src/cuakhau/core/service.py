"""The service contract: every write goes through a service that

* takes the acting user as a required keyword, `actor` (None only for the public or the system, and
  then explicitly), and checks its own permission: a view or the API does not check for it;
* runs in one transaction, durable at the outermost service (`@service`), so a service never commits
  half of a change and nothing outside it holds its transaction open;
* writes one audit event whose action is registered by its app (`core.actions.audit_actions`), with
  before/after values from `core.audit.snapshot` or `model_update`;
* takes typed keyword arguments, never a dict of fields.

    @service
    def meeting_record(*, actor: User, meeting: Meeting, minutes: str, held_on: date) -> Meeting:
        policy.require(actor, "record", meeting)
        change = model_update(meeting, minutes=minutes, held_on=held_on)
        audit_record(action="cooperation.meeting.record", obj=meeting, actor=actor, **change.audit)
        return meeting

`services_without_actor()` lists the public functions of the apps' services modules that break the
contract; a system check reports them (core.checks).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.db import models, transaction

from .audit import jsonable

P = ParamSpec("P")
R = TypeVar("R")

_depth: contextvars.ContextVar[int] = contextvars.ContextVar("cuakhau_service_depth", default=0)


def takes_actor(func: Callable[..., Any]) -> bool:
    """Whether `func` has a keyword-only `actor` parameter without a default."""
    try:
        parameter = inspect.signature(func).parameters.get("actor")
    except (TypeError, ValueError):
        return False
    return (
        parameter is not None
        and parameter.kind is inspect.Parameter.KEYWORD_ONLY
        and parameter.default is inspect.Parameter.empty
    )


def service(func: Callable[P, R]) -> Callable[P, R]:
    """Run `func` as a service: one transaction, durable when no other service is running (a
    service called by another joins its transaction). Refuses, at import, a function without a
    required keyword `actor`."""
    if not takes_actor(func):
        raise TypeError(f"service {func.__module__}.{func.__qualname__} must take a required keyword `actor`")

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        depth = _depth.get()
        token = _depth.set(depth + 1)
        try:
            with transaction.atomic(durable=depth == 0):
                return func(*args, **kwargs)
        finally:
            _depth.reset(token)

    wrapper.__cuakhau_service__ = True  # type: ignore[attr-defined]
    return wrapper


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """One transaction around several services (a loader, a command that must be all or nothing):
    the services inside join it instead of asking for a durable transaction of their own."""
    token = _depth.set(_depth.get() + 1)
    try:
        with transaction.atomic():
            yield
    finally:
        _depth.reset(token)


def in_service() -> bool:
    return _depth.get() > 0


@dataclass(frozen=True)
class Change:
    """What `model_update` changed: the fields and their values before and after."""

    fields: tuple[str, ...]
    before: dict[str, Any]
    after: dict[str, Any]

    def __bool__(self) -> bool:
        return bool(self.fields)

    @property
    def audit(self) -> dict[str, Any]:
        """`before=` and `after=` for `audit_record`."""
        return {"before": self.before, "after": self.after}


def model_update(obj: models.Model, *, save: bool = True, **values: Any) -> Change:
    """Set the given fields on `obj` and save only those that changed (with `updated_at` when the
    model keeps one). Returns the change, for the audit event. In the HackSoft style, but typed:
    the caller names each field."""
    names = {f.name: f for f in obj._meta.concrete_fields}
    changed: list[str] = []
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in values.items():
        field = names.get(name)
        if field is None:
            raise TypeError(f"{type(obj).__name__} has no field {name!r}")
        if field.is_relation:
            current = getattr(obj, field.attname)
            wanted = value.pk if isinstance(value, models.Model) else value
        else:
            current, wanted = getattr(obj, name), value
        if current == wanted:
            continue
        before[name] = jsonable(current)
        setattr(obj, name, value)
        after[name] = jsonable(wanted)
        changed.append(field.attname if field.is_relation else name)
    if changed and save:
        update_fields = list(changed)
        if "updated_at" in names and "updated_at" not in update_fields:
            update_fields.append("updated_at")
        obj.save(update_fields=update_fields)
    return Change(tuple(changed), before, after)


def services_modules() -> Iterator[Any]:
    """The services modules of the cuakhau apps (a `services.py`, or each module of a `services/`
    package)."""
    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("cuakhau."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.services":
                raise
            continue
        yield module
        if hasattr(module, "__path__"):
            for info in pkgutil.iter_modules(module.__path__):
                yield importlib.import_module(f"{module.__name__}.{info.name}")


def public_services() -> list[Callable[..., Any]]:
    """Every public function defined in the apps' services modules (not re-exported ones)."""
    found: dict[str, Callable[..., Any]] = {}
    for module in services_modules():
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            target = inspect.unwrap(value)
            if target.__module__ != module.__name__:
                continue
            found[f"{target.__module__}.{target.__qualname__}"] = value
    return [found[key] for key in sorted(found)]


def services_without_actor() -> list[str]:
    return [f"{inspect.unwrap(f).__module__}.{f.__name__}" for f in public_services() if not takes_actor(f)]
