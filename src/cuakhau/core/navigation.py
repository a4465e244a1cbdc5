"""The navigation: each app registers its entry in AppConfig.ready() with the policy question that
decides who sees it (`"<app>.open"`, answered by the app's `may_open`); core adds its own pages.
A module not built yet leads to a page that says so plainly; nothing invents figures for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from . import policy


@dataclass(frozen=True)
class Module:
    key: str
    label: Any
    url_name: str | None  # None: not built yet
    question: str  # the policy question that shows the entry: "<app>.open"
    order: int = 100
    issue: str = ""  # what will build it, for the "not built yet" page
    description: Any = ""


_modules: dict[str, Module] = {}


def register(module: Module) -> None:
    _modules[module.key] = module


def modules() -> list[Module]:
    return sorted(_modules.values(), key=lambda m: (m.order, m.key))


register(Module("dashboard", _("Tổng quan"), "dashboard", "core.open_dashboard", order=0))
register(Module("calendar", _("Lịch làm việc"), "core:calendar", "core.open_calendar", order=200))
register(Module("audit", _("Nhật ký hệ thống"), "core:audit", "core.open_audit", order=210))
register(Module("tokens", _("Khóa API"), "core:tokens", "core.open_tokens", order=220))


def menu_for(user) -> list[dict]:
    items = []
    for module in modules():
        if not policy.may(user, module.question):
            continue
        if module.url_name:
            try:
                url = reverse(module.url_name)
            except NoReverseMatch:
                url = reverse("module_planned", args=[module.key])
        else:
            url = reverse("module_planned", args=[module.key])
        items.append({"key": module.key, "label": module.label, "url": url, "built": bool(module.url_name)})
    return items


def module(key: str) -> Module | None:
    return _modules.get(key)
