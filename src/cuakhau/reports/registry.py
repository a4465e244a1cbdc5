"""Deprecated: nothing in reports reads this registry any more. The reports import the other apps'
selectors directly (reports.sources): reports is downstream of every app, and an app that registered
here had to import reports, which the dependency rule forbids (nothing reads reports).

It stays only because plans' AppConfig.ready() still registers its providers here (and
tests/plans/test_report_providers.py reads them back); the same selectors are what reports.sources
calls. Delete this module together with that `_provide_to_reports` hook.
"""

from __future__ import annotations

from collections.abc import Callable

KINDS = ("task_evaluation", "next_tasks", "incidents", "fee_revenue")
_providers: dict[str, Callable] = {}


def register(kind: str, fn: Callable) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown report provider kind {kind!r}; one of {KINDS}")
    _providers[kind] = fn


def unregister(kind: str) -> None:
    _providers.pop(kind, None)


def call(kind: str, **kwargs):
    fn = _providers.get(kind)
    if fn is None:
        return None
    return fn(**kwargs)
