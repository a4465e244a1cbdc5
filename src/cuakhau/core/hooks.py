"""Facts that an upstream app announces and a downstream app acts on, without the upstream app
importing it (traffic never imports trade). Each hook is declared here with the facts it carries; an
app registers its listeners in AppConfig.ready(); the announcing service calls `announce_on_commit`
inside its transaction, and the listeners run once that transaction has committed (never for one
that rolls back), so what they enqueue or read sees the change.

    hooks.listen(hooks.TRIPS_CROSSED, on_trips_crossed)                       # trade's ready()
    hooks.announce_on_commit(hooks.TRIPS_CROSSED, gate_id=gate.pk, day=day)   # traffic's service

A listener must be cheap (it runs in the request that made the change, after its commit) and must not
raise: a failing listener is logged and skipped (`on_commit(robust=True)`), since the change it
follows has already been made.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db import transaction

# hook name -> the keyword facts its listeners receive
TRIPS_CROSSED = "traffic.trips_crossed"
HOOKS: dict[str, tuple[str, ...]] = {
    # Trips at a gate crossed on a day (Việt Nam's date of the crossing), or a crossed trip of that
    # day changed: what was counted as crossing that day may differ.
    TRIPS_CROSSED: ("gate_id", "day"),
}

_listeners: dict[str, list[Callable[..., None]]] = {name: [] for name in HOOKS}


def listen(name: str, listener: Callable[..., None]) -> None:
    """Register `listener(**facts)` for the hook `name` (once, however often ready() runs)."""
    if name not in HOOKS:
        raise KeyError(f"no hook {name!r}; known: {', '.join(HOOKS)}")
    if listener not in _listeners[name]:
        _listeners[name].append(listener)


def listeners(name: str) -> list[Callable[..., None]]:
    return list(_listeners[name])


def announce_on_commit(name: str, **facts) -> None:
    """Call the hook's listeners with `facts` after the current transaction commits (at once outside
    a transaction). Nothing is queued when no app listens."""
    expected = HOOKS[name]
    if set(facts) != set(expected):
        raise TypeError(f"hook {name} takes {', '.join(expected)}, got {', '.join(sorted(facts))}")
    for listener in _listeners[name]:
        transaction.on_commit(functools.partial(listener, **facts), robust=True)
