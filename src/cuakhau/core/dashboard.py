"""Dashboard cards. Each app registers a function that returns its cards for a user (real counts from
its selectors); core calls them without importing the apps."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class Card:
    title: str
    value: int | str
    url: str = ""
    hint: str = ""
    rows: list[tuple[str, int | str]] = field(default_factory=list)


_providers: list[tuple[int, Callable]] = []


def register(provider: Callable, *, order: int = 100) -> None:
    if all(p is not provider for _, p in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda item: item[0])


def cards_for(user) -> list[Card]:
    cards: list[Card] = []
    for _, provider in _providers:
        cards.extend(provider(user))
    return cards
