"""Quarterly and monthly reports, and the one-page leader's summary of any period."""

import datetime as dt
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command

from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.reports import documents, figures, services
from cuakhau.reports.models import Report
from cuakhau.trade import selectors
from cuakhau.trade.formatting import amount_text
from cuakhau.trade.models import Series
from cuakhau.trade.periods import Period
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def months(reference_data):
    """The published series and three years of month statistics (declared_at_langson_customs)."""
    from cuakhau.trade.demo import load_demo
    from cuakhau.trade.reference import load_reference

    with acting_as(None, channel="cli"):
        load_reference()
        load_demo()


def test_quarter_figures_add_up_the_months_with_growth_on_the_same_quarter(months):
    series = Series.objects.get(code="declared_at_langson_customs")
    q1 = selectors.totals(series=series, period=Period.quarter(2024, 1))
    q1_before = selectors.totals(series=series, period=Period.quarter(2023, 1))
    figs = figures.for_period(Period.quarter(2024, 1))
    assert Decimal(figs.customs_total.amount) == q1.total and figs.customs_total.origin == "months"
    assert Decimal(figs.customs_total.growth) == selectors.growth(q1.total, q1_before.total)
    assert figs.tasks is None and figs.next_tasks == []  # key tasks are evaluated by the year
    text = " ".join(figures.sentences(figs)["results"])
    assert f"đạt {amount_text(q1.total)}" in text and "so với cùng kỳ năm trước" in text
    # a quarter without every month of statistics has no figure (2021 has none)
    assert figures.for_period(Period.quarter(2021, 1)).customs_total is None


def test_monthly_and_quarterly_reports_are_drafted_and_rendered(months):
    staff = UserFactory(role="department_staff")
    quarterly = services.report_draft(
        year=2024, kind="periodic", period_kind="quarter", period_number=1, actor=staff
    )
    monthly = services.report_draft(
        year=2024, kind="periodic", period_kind="month", period_number=3, actor=staff
    )
    assert (
        str(quarterly) == "Báo cáo định kỳ (tháng, quý) Quý I/2024" and monthly.period_label == "Tháng 3/2024"
    )
    md = documents.render(quarterly, "md")[0].decode()
    assert "Kết quả công tác quý I năm 2024, nhiệm vụ trọng tâm quý II năm 2024" in md
    assert (
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ I NĂM 2024" in md
        and "III. NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2024" in md
    )
    assert "Riêng hàng hóa làm thủ tục tại Hải quan Lạng Sơn" in md
    assert "tháng 3 năm 2024" in documents.render(monthly, "md")[0].decode()
    assert documents.filename(quarterly, "pdf") == "bao-cao-dinh-ky-2024-q1.pdf"
    with pytest.raises(ServiceError):  # one report per kind and period
        services.report_draft(actor=None, year=2024, kind="periodic", period_kind="quarter", period_number=1)
    # the same quarter a year earlier is another report
    services.report_draft(actor=None, year=2023, kind="periodic", period_kind="quarter", period_number=1)


@pytest.mark.parametrize(
    "kind,period_kind,number,field",
    [
        ("annual", "quarter", 1, "period_kind"),
        ("periodic", "year", 0, "period_kind"),
        ("periodic", "quarter", 5, "period_number"),
        ("periodic", "month", 13, "period_number"),
        ("summary", "month", 0, "period_number"),
    ],
)
def test_bad_periods_are_refused_by_field(months, kind, period_kind, number, field):
    with pytest.raises(ServiceError) as exc:
        services.report_draft(actor=None, year=2024, kind=kind, period_kind=period_kind, period_number=number)
    assert field in exc.value.message_dict
    assert not Report.objects.exists()


def test_leaders_summary_fits_one_page(months, tmp_path):
    report = documents.unsaved(2023, "summary")
    md = documents.render(report, "md")[0].decode()
    assert "BÁO CÁO TÓM TẮT" in md and "Số liệu chủ yếu năm 2023" in md
    assert "tăng" in md  # 2023 against 2022, from the published figures
    quarter = documents.unsaved(2024, "summary", "quarter", 2)
    assert "Số liệu chủ yếu quý II năm 2024" in documents.render(quarter, "md")[0].decode()
    pdf = documents.render(report, "pdf")[0]
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert re.search(r"^Pages:\s+1$", info, re.M), info


def test_cli_periodic_and_summary(months, tmp_path):
    out = tmp_path / "q.md"
    call_command(
        "report", "periodic", "--year", "2024", "--quarter", "1", "--format", "md", "--out", str(out),
        stdout=io.StringIO(),
    )  # fmt: skip
    assert "quý I năm 2024" in out.read_text()
    pdf = tmp_path / "s.pdf"
    call_command(
        "report", "summary", "--year", "2024", "--month", "3", "--format", "pdf", "--out", str(pdf),
        stdout=io.StringIO(),
    )  # fmt: skip
    assert pdf.read_bytes().startswith(b"%PDF")


def test_page_drafts_a_quarterly_report(client, months):
    client.force_login(UserFactory(role="board_leader"))
    response = client.post(
        "/reports/", {"kind": "periodic", "year": 2024, "period_kind": "quarter", "period_number": 2}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.period_kind, report.period_number) == ("quarter", 2)
    assert "Quý II/2024" in client.get(f"/reports/{report.pk}/").content.decode()
    bad = client.post("/reports/", {"kind": "periodic", "year": 2024, "period_kind": "year"})
    assert bad.status_code == 400 and Report.objects.count() == 1


def test_a_draft_page_has_its_edit_fields_and_marks_sections_without_content(client, months):
    staff = UserFactory(role="department_staff")
    with_data = services.report_draft(
        actor=None, year=2024, kind="periodic", period_kind="quarter", period_number=1
    )
    without = services.report_draft(
        actor=None, year=2021, kind="periodic", period_kind="month", period_number=5
    )
    client.force_login(staff)
    page = client.get(f"/reports/{with_data.pk}/").content.decode()
    for name in ("results_text", "shortcomings_text", "next_text", "recipients", "signer_name"):
        assert f'name="{name}"' in page, name
    # quarter I has figures (section I) but nothing yet on shortcomings or next quarter's tasks
    assert page.count('data-testid="empty-section"') == 2
    page = client.get(f"/reports/{without.pk}/").content.decode()
    assert page.count('data-testid="empty-section"') == 3
    services.report_issue(
        report=with_data,
        actor=UserFactory(role="board_leader"),
        number="1/BC-BQL",
        issued_on=dt.date(2024, 4, 5),
    )
    page = client.get(f"/reports/{with_data.pk}/").content.decode()
    assert 'data-testid="empty-section"' not in page and 'name="results_text"' not in page


def test_the_list_names_each_report_plainly_newest_period_first(client, months):
    for kind, period_kind, number in (
        ("periodic", "quarter", 1),
        ("periodic", "month", 3),
        ("summary", "quarter", 2),
    ):
        services.report_draft(actor=None, year=2024, kind=kind, period_kind=period_kind, period_number=number)
    services.report_draft(actor=None, year=2023, kind="annual")
    client.force_login(UserFactory(role="provincial_leader"))
    page = client.get("/reports/").content.decode()
    titles = re.findall(r'<a href="/reports/\d+/">([^<]+)</a>', page)
    assert titles == [
        "Tóm tắt một trang cho lãnh đạo Quý II/2024",
        "Báo cáo tháng 3/2024",
        "Báo cáo quý I/2024",
        "Báo cáo tổng kết năm 2023",
    ]
