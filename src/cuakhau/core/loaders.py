"""Reference-data and demo-data loaders, and synthetic-data generators. Each app registers its own in
AppConfig.ready(); `cuakhau reference load`, `cuakhau demo load` and `cuakhau demo generate` run them
in order, so core calls them without importing any app. Every loader must be idempotent: running
`make run` twice leaves the same data.

A generator writes years of synthetic rows for its own app (benchmarks, load tests):

    register_generator("traffic", "cuakhau.traffic.generate.generate_trips", order=10)

`fn(*, start: date, end: date, vehicles_per_day: int, seed: int, stdout) -> str` writes its rows for
the days from `start` to `end` and returns a one-line summary. Generators run in order, each in its
own transactions, and may read what earlier ones wrote (fees receipts the assessments traffic wrote).
"""

from __future__ import annotations

from collections.abc import Callable

_reference: list[tuple[int, str, Callable]] = []
_demo: list[tuple[int, str, Callable]] = []
_generators: list[tuple[int, str, Callable | str]] = []  # a dotted path is imported when run


def _add(registry, order: int, name: str, fn: Callable | str) -> None:
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


def register_generator(name: str, fn: Callable | str, *, order: int = 100) -> None:
    """`fn` may be a dotted path, imported when the generator runs (generators are big modules that
    a web process never needs)."""
    _add(_generators, order, name, fn)


def generators() -> list[tuple[str, Callable]]:
    from django.utils.module_loading import import_string

    return [(name, import_string(fn) if isinstance(fn, str) else fn) for _, name, fn in _generators]


# --- helpers for generators (synthetic data) and other bulk rebuilds -------------------------------


def reserve_ids(model, n: int) -> list[int]:
    """`n` primary keys for rows a generator writes with explicit ids (so that rows of several tables
    can point at each other before any is written). PostgreSQL draws them from the table's sequence;
    SQLite, which has no sequence, continues after the highest id (generators run alone)."""
    from django.db import connection

    if n <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + n))


def bulk_write(model, columns: list[str], rows, *, batch_size: int = 5000) -> int:
    """Write rows (tuples in the order of `columns`, the fields' attnames such as `gate_id`) as fast as
    the database allows: COPY on PostgreSQL, bulk_create elsewhere. No save(), no signals, no audit:
    for generators of synthetic data, which say so and write one audit event per run, and for a service
    that rebuilds a derived table whole (trade's computed turnover: its own audit event)."""
    from django.db import connection

    count = 0
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        fields = {f.attname: f for f in model._meta.concrete_fields}
        json_columns = {i for i, c in enumerate(columns) if fields[c].get_internal_type() == "JSONField"}
        names = ", ".join(f'"{fields[c].column}"' for c in columns)
        copy_sql = f'COPY "{model._meta.db_table}" ({names}) FROM STDIN'
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                if json_columns:
                    row = tuple(Jsonb(v) if i in json_columns else v for i, v in enumerate(row))
                copy.write_row(row)
                count += 1
        return count
    chunk = []
    for row in rows:
        chunk.append(model(**dict(zip(columns, row, strict=True))))
        if len(chunk) >= batch_size:
            model.objects.bulk_create(chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        model.objects.bulk_create(chunk)
        count += len(chunk)
    return count


def analyze(*models) -> None:
    """Refresh the planner's statistics of tables a generator filled (PostgreSQL): after millions of
    bulk-written rows, plans made on the old estimates (a few hundred rows) are badly wrong until
    autovacuum gets there."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
