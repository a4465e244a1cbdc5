"""What the reports read from apps that reports may not import directly. Each app registers its
providers in AppConfig.ready():

    from cuakhau.reports.registry import register
    register("task_evaluation", plans_selectors.key_task_counts)   # plans
    register("next_tasks", plans_selectors.next_year_tasks)        # plans
    register("incidents", incidents_selectors.year_summary)        # incidents
    register("fee_revenue", fees_selectors.revenue_total)          # fees

Signatures (all keyword-only, all may return None for "no data for that period"):
    task_evaluation(*, year) -> {"total", "clear_result", "completed_unclear", "not_completed"} (ints)
    next_tasks(*, year) -> list[str]            # the key tasks planned for `year`
    incidents(*, start, end) -> {"total": int, "resolved": int, "by_kind": [(label, count), ...]}
    fee_revenue(*, start, end) -> int           # đồng collected between two dates
Without a provider, the reports fall back on the published series (turnover_series.csv: 'tasks',
'fees') or leave the paragraph out.
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
