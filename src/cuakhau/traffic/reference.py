"""Per-process cache of the reference rows every gate event reads: yards and gates by code, a gate's
site (itself, its parent, its routes), whether it has active yards, the gates of a device's unit, and
the exit rule in force at a gate on a day.

These rows change a few times a year, and every gate event would otherwise read them again (five
queries of a gate-in's ~30). Entries live for TTL seconds; any save or delete of a gate, yard, exit
rule or gate-unit link in this process clears the whole cache at once, so a change made here (a page, a test)
is seen by the next event, and one made in another server process within TTL seconds. Only committed
rows are cached (see _Cache). Nothing here is mutated after it is cached: gate and yard instances are
only read."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from cuakhau.gates.models import Gate

from .models import DEFAULT_EXIT_MODE, GateExitRule, Yard

TTL = 30.0


class _Cache:
    """Entries stored only once what they were read from is committed: a value read inside a
    transaction is stored when that transaction commits (never if it rolls back, so a row created
    and rolled back is never served), and not at all if a clear() ran in between."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._entries: dict[tuple, tuple[float, Any]] = {}
        self._generation = 0

    def clear(self, *_args, **_kwargs) -> None:
        with self._lock:
            self._entries.clear()
            self._generation += 1

    def get(self, key: tuple, load: Callable[[], Any]) -> Any:
        hit = self._entries.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        generation = self._generation
        value = load()

        def store() -> None:
            if connection.in_atomic_block:
                return  # still inside an outer transaction (a test's): not committed
            with self._lock:
                if self._generation == generation:
                    self._entries[key] = (time.monotonic() + self.ttl, value)

        if connection.in_atomic_block:
            transaction.on_commit(store)
        else:
            store()
        return value


_cache = _Cache(TTL)
clear = _cache.clear
_cached = _cache.get


def yard_by_code(code: str) -> Yard | None:
    """The active yard with this code, its gate loaded (None if there is none)."""
    return _cached(
        ("yard", code),
        lambda: Yard.objects.select_related("gate").filter(code=code, is_active=True).first(),
    )


def gate_by_code(code: str, *, active_only: bool = True) -> Gate | None:
    def load():
        gates = Gate.objects.filter(code=code)
        return (gates.filter(is_active=True) if active_only else gates).first()

    return _cached(("gate", code, active_only), load)


def site_ids(gate: Gate) -> frozenset[int]:
    """A gate and the routes under it (or its parent) count as one site for matching."""

    def load():
        ids = {gate.pk}
        if gate.parent_id:
            ids.add(gate.parent_id)
        ids.update(Gate.objects.filter(parent_id=gate.pk).values_list("pk", flat=True))
        return frozenset(ids)

    return _cached(("site", gate.pk, gate.parent_id), load)


def has_active_yards(gate: Gate) -> bool:
    return _cached(("yards", gate.pk), lambda: gate.yards.filter(is_active=True).exists())


def unit_gate_ids(unit_id: int) -> frozenset[int]:
    return _cached(
        ("unit_gates", unit_id),
        lambda: frozenset(Gate.objects.filter(units=unit_id).values_list("pk", flat=True)),
    )


def exit_mode(gate: Gate, day) -> str:
    """The exit rule in force at `gate` on `day`: its own, else (a route) its parent gate's, else the
    default (models.exits.DEFAULT_EXIT_MODE)."""

    def load():
        for gate_id in (gate.pk, gate.parent_id):
            if gate_id is None:
                continue
            mode = (
                GateExitRule.objects.filter(gate_id=gate_id, effective_from__lte=day)
                .exclude(effective_to__lt=day)
                .values_list("mode", flat=True)
                .first()
            )
            if mode is not None:
                return mode
        return DEFAULT_EXIT_MODE.value

    return _cached(("exit_mode", gate.pk, gate.parent_id, day), load)


for _model in (Gate, Yard, GateExitRule):
    post_save.connect(clear, sender=_model, dispatch_uid=f"traffic.reference.save.{_model.__name__}")
    post_delete.connect(clear, sender=_model, dispatch_uid=f"traffic.reference.delete.{_model.__name__}")
m2m_changed.connect(clear, sender=Gate.units.through, dispatch_uid="traffic.reference.gate_units")
# A flush (between transactional tests, `cuakhau flush`) saves and deletes nothing one by one.
post_migrate.connect(clear, dispatch_uid="traffic.reference.flush")
