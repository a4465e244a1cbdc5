"""fee_assess's INSERT, written once from the model and run without the query compiler.

At gate-in the assessment is inserted once per trip, inside the gate event's transaction; compiling
`FeeAssessment.objects.create` cost more CPU than PostgreSQL spent running it, and catching a repeat
through IntegrityError needed a savepoint (two statements) and a lookup before it. Here the statement is
built once per database vendor from the model's table and columns, values go through the fields' own
`pre_save` / `get_db_prep_save` as Model.save does, and `ON CONFLICT DO NOTHING` lets the unique
indexes on (source, source_id) and payment_reference answer a repeat without aborting the transaction
(PostgreSQL and SQLite ≥ 3.35 alike). No signals are sent for FeeAssessment, as none listen to it."""

from __future__ import annotations

import functools

from django.db import connection, models


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


@functools.cache
def _insert_sql(model, vendor: str) -> tuple[str, list]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    sql = (
        f"INSERT INTO {_q(model._meta.db_table)} ({', '.join(_q(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING "
        f"RETURNING {_q(model._meta.pk.column)}"
    )
    return sql, fields


def insert_unless_conflict(obj: models.Model) -> bool:
    """INSERT one new instance, or nothing if a unique index already holds its key. True if inserted
    (the instance then has its id and counts as saved)."""
    sql, fields = _insert_sql(type(obj), connection.vendor)
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding, obj._state.db = False, connection.alias
    return True
