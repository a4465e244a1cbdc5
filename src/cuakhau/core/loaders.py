"""Reference-data and demo-data loaders. Each app registers its own in AppConfig.ready(); the
`cuakhau reference load` and `cuakhau demo load` commands run them in order. Every loader must be
idempotent: running `make run` twice leaves the same data."""

from __future__ import annotations

from collections.abc import Callable

_reference: list[tuple[int, str, Callable]] = []
_demo: list[tuple[int, str, Callable]] = []


def _add(registry, order: int, name: str, fn: Callable) -> None:
    if all(existing != name for _, existing, _ in registry):
        registry.append((order, name, fn))
        registry.sort(key=lambda item: (item[0], item[1]))


def register_reference(name: str, fn: Callable, *, order: int = 100) -> None:
    _add(_reference, order, name, fn)


def register_demo(name: str, fn: Callable, *, order: int = 100) -> None:
    _add(_demo, order, name, fn)


def reference_loaders() -> list[tuple[str, Callable]]:
    return [(name, fn) for _, name, fn in _reference]


def demo_loaders() -> list[tuple[str, Callable]]:
    return [(name, fn) for _, name, fn in _demo]
