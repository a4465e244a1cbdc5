"""Synthetic data for `cuakhau trade generate` (the future `cuakhau demo generate`): a registry of
generators, each writing ten years of realistic rows for its own app.

    from cuakhau.trade.generators import register_generator
    register_generator("traffic", generate_trips, order=10)

`fn(*, start: date, end: date, vehicles_per_day: int, seed: int, stdout) -> str` writes its rows
(trips per gate shaped by border_gates.csv volumes, fruit-harvest seasons, weekends, Tết) and returns
a one-line summary. trade registers the customs-statistics generator itself (`synthetic.py`); traffic
(trips, declarations, goods lines) and fees (assessments, receipts) register theirs when their models
are ready.
"""

from __future__ import annotations

from collections.abc import Callable

_generators: list[tuple[int, str, Callable]] = []


def register_generator(name: str, fn: Callable, *, order: int = 100) -> None:
    if all(existing != name for _, existing, _ in _generators):
        _generators.append((order, name, fn))
        _generators.sort(key=lambda item: (item[0], item[1]))


def generators() -> list[tuple[str, Callable]]:
    return [(name, fn) for _, name, fn in _generators]
