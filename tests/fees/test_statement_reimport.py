"""A bank statement imported twice (issue 12): the page says that nothing new was imported and how many
lines were already there, instead of a success that counts them again; a statement that overlaps an
earlier one names the new lines and the ones skipped."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cuakhau.core.roles import Role
from cuakhau.fees.models import AssessmentStatus, BankStatement, LineStatus, StatementLine
from tests.factories import UserFactory, fee_assessment, fee_gate

pytestmark = pytest.mark.django_db


def _csv(rows):
    head = "Ngày giao dịch,Số tiền,Nội dung,Mã giao dịch,Người chuyển\n"
    return (head + "\n".join(",".join(r) for r in rows)).encode("utf-8")


def _post(client, name, rows):
    """The import's redirect and the messages the next page shows."""
    upload = SimpleUploadedFile(name, _csv(rows), content_type="text/csv")
    response = client.post(reverse("fees:payments"), {"file": upload})
    shown = client.get(response.url)
    return response, [(m.level_tag, str(m)) for m in shown.context["messages"]]


def test_a_statement_imported_twice_says_nothing_new_was_imported(client):
    gate, _centre = fee_gate()
    due = fee_assessment(gate, amount=500_000)
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    rows = [
        ["02/03/2026", "500000", f"{due.payment_reference} phi", "FT201", "CONG TY A"],
        ["02/03/2026", "1200000", "chuyen tien hang", "FT202", "CONG TY B"],
    ]
    first, said = _post(client, "sao-ke-0203.csv", rows)
    assert first.url == reverse("fees:unmatched")  # FT202 has no reference: matched by hand
    assert said == [("success", "Đã nhập 2 dòng, khớp 1.")]
    due.refresh_from_db()
    assert due.status == AssessmentStatus.PAID

    again, said = _post(client, "sao-ke-0203.csv", rows)
    assert again.url == reverse("fees:payments")
    assert said == [
        (
            "warning",
            "Không có giao dịch mới nào được nhập: cả 2 dòng của sao kê “sao-ke-0203.csv” đã được nhập từ trước.",
        )
    ]
    assert StatementLine.objects.exclude(status=LineStatus.DUPLICATE).count() == 2
    assert BankStatement.objects.count() == 2  # the attempt is on record, its lines marked duplicate


def test_an_overlapping_statement_names_the_new_lines_and_the_skipped_ones(client):
    fee_gate()
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    _post(client, "a.csv", [["02/03/2026", "1000", "x", "FT301", "A"]])
    response, said = _post(
        client,
        "b.csv",
        [["02/03/2026", "1000", "x", "FT301", "A"], ["03/03/2026", "2000", "y", "FT302", "B"]],
    )
    assert said == [("success", "Đã nhập 1 dòng, khớp 0. 1 dòng đã được nhập từ trước nên bỏ qua.")]
    assert response.url == reverse("fees:unmatched")
