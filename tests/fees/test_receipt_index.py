"""The year's sum of issued receipts (year-end report, revenue) reads the partial covering index
fees_receipt_issued_amount: on PostgreSQL an index-only scan, never the receipts' heap."""

import datetime

import pytest
from django.db import connection

from cuakhau.fees.models import Receipt, ReceiptStatus

pytestmark = pytest.mark.django_db

INDEX = "fees_receipt_issued_amount"


def test_the_index_exists_on_issued_on():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Receipt._meta.db_table)
    assert INDEX in constraints
    assert constraints[INDEX]["columns"][0] == "issued_on" and constraints[INDEX]["index"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="INCLUDE and index-only scans: PostgreSQL")
def test_the_year_sum_is_an_index_only_scan_of_issued_receipts():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indexrelid = %s::regclass", [INDEX]
        )
        definition = cursor.fetchone()[0]
    assert "INCLUDE (amount)" in definition and "WHERE" in definition and "'issued'" in definition
    year = Receipt.objects.filter(
        status=ReceiptStatus.ISSUED,
        issued_on__gte=datetime.date(2025, 1, 1),
        issued_on__lte=datetime.date(2025, 12, 31),
    )
    with connection.cursor() as cursor:
        # The test database is small, where a sequential scan is cheaper: rule it out to see whether the
        # index can answer the query at all (what it does on millions of rows).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    plan = year.order_by().values("amount").explain()  # what SUM(amount) reads; aggregates do not sort
    assert f"Index Only Scan using {INDEX}" in plan, plan
