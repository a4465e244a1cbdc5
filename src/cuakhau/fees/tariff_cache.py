"""The tariff table in force, cached per process: every gate-in quotes a fee (selectors.fee_quote), and
the table in force changes a few times a year. Reads tariffs through fees.selectors (tariff_for,
tariff_table); the cache is cleared by any save or delete of a tariff, a rule or a resolution."""

from __future__ import annotations

import threading
import time

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from .engine import TariffTable
from .models import Resolution, Tariff, TariffRule

# Every gate-in quotes a fee, and the table in force changes a few times a year: each process keeps
# the (tariff, table) in force per code and day for TABLE_TTL seconds. A save or delete of a tariff, a
# rule or a resolution in this process clears it at once; another process sees the change within
# TABLE_TTL seconds. A tariff in force is never edited in place (a revision is a new version), so what
# a cached entry can miss is only a version that starts applying in that window.
TABLE_TTL = 30.0
_tables: dict[tuple, tuple[float, Tariff, TariffTable]] = {}
_tables_lock = threading.Lock()
_tables_generation = 0


def clear_table_cache(*_args, **_kwargs) -> None:
    global _tables_generation
    with _tables_lock:
        _tables.clear()
        _tables_generation += 1


for _model in (Tariff, TariffRule, Resolution):
    post_save.connect(clear_table_cache, sender=_model, dispatch_uid=f"fees.tables.save.{_model.__name__}")
    post_delete.connect(
        clear_table_cache, sender=_model, dispatch_uid=f"fees.tables.delete.{_model.__name__}"
    )
post_migrate.connect(clear_table_cache, dispatch_uid="fees.tables.flush")


def table_in_force(*, code: str = "", on) -> tuple[Tariff, TariffTable]:
    """`tariff_for` and its `tariff_table`, cached per process (see TABLE_TTL). Only what is committed
    is cached: read inside a transaction, the entry is stored when it commits (never if it rolls back,
    so a tariff created and rolled back is never served), and not if the cache was cleared meanwhile."""
    from .selectors import tariff_for, tariff_table, zone_province

    key = (code, "" if code else zone_province(), on)
    hit = _tables.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1], hit[2]
    generation = _tables_generation
    tariff = tariff_for(code=code, on=on)
    table = tariff_table(tariff)

    def store() -> None:
        if connection.in_atomic_block:
            return  # still inside an outer transaction (a test's): not committed
        with _tables_lock:
            if _tables_generation == generation:
                _tables[key] = (time.monotonic() + TABLE_TTL, tariff, table)

    if connection.in_atomic_block:
        transaction.on_commit(store)
    else:
        store()
    return tariff, table
