"""Security finding M3 for bank statements (fees, and the auctions' deposit account that reads them
the same way): a statement is read within core.uploads' limits (STATEMENT_MAX_ROWS, the upload size,
the uncompressed size and ratio, columns) before the import's transaction opens."""

import time

import pytest

from cuakhau.core.errors import ServiceError
from cuakhau.fees import services, statement_files
from cuakhau.fees.models import BankStatement
from tests.xlsx_bombs import empty_rows_xlsx

pytestmark = pytest.mark.django_db

HEADER = ("Ngày", "Số tiền", "Nội dung", "Mã giao dịch")


@pytest.mark.parametrize(("numbered", "limit"), [(False, "UPLOAD_MAX_ZIP_RATIO"), (True, "UPLOAD_MAX_ROWS")])
def test_two_million_empty_rows_are_refused_at_once(numbered, limit):
    packed = empty_rows_xlsx(2_000_000, numbered=numbered, header=HEADER)
    started = time.perf_counter()
    with pytest.raises(ServiceError) as refused:
        services.statement_import(actor=None, file_name="sao-ke.xlsx", content=packed)
    assert time.perf_counter() - started < 1.0
    assert limit in str(refused.value.messages) and refused.value.status in (413, 422)
    assert not BankStatement.objects.exists()


def test_csv_statements_have_row_and_size_limits(settings):
    text = "Ngày,Số tiền,Nội dung,Mã giao dịch\n" + "".join(
        f"01/03/2030,1000000,CK PHI,FT{n:08d}\n" for n in range(40)
    )
    settings.STATEMENT_MAX_ROWS = 30
    with pytest.raises(ServiceError) as rows:
        statement_files.parse_statement(file_name="sao-ke.csv", content=text.encode())
    assert "UPLOAD_MAX_ROWS" in str(rows.value.messages)
    settings.UPLOAD_MAX_BYTES = 200
    with pytest.raises(ServiceError) as size:
        statement_files.parse_statement(file_name="sao-ke.csv", content=text.encode())
    assert "UPLOAD_MAX_BYTES" in str(size.value.messages)


def test_the_statement_is_read_before_the_transaction_opens(monkeypatch):
    from django.db import connection

    depth = []

    def parse(**kwargs):
        depth.append(len(connection.atomic_blocks))
        raise ServiceError("stop", field="file")

    from cuakhau.fees.services import statements

    monkeypatch.setattr(statements, "parse_statement", parse)
    with pytest.raises(ServiceError):
        services.statement_import(actor=None, file_name="sao-ke.csv", content=b"")
    assert depth == [1]  # only pytest-django's own test transaction
