import datetime as dt
import io
import shutil
import subprocess

import pytest
from docx import Document as Docx

from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent
from cuakhau.reports import documents, figures, services
from cuakhau.reports.models import Report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TURNOVER = "5.250 triệu USD, tăng 27,1% so với năm 2016"
FEES = "645,262 tỷ đồng, tăng 32,2%"
EXPORTS = "2.950 triệu USD, tăng 22,9%"


@pytest.fixture
def series(reference_data):
    from cuakhau.trade.reference import load_reference

    with acting_as(None, channel="cli"):
        load_reference()


def _docx_text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for cell in table._cells:
            parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def test_sentences_from_the_2016_and_2017_figures(series):
    text = " ".join(figures.sentences(figures.annual(2017))["results"])
    assert TURNOVER in text and FEES in text and EXPORTS in text
    # without the plans module's evaluation, from the published 'tasks' series
    assert (
        "1/7 nhiệm vụ hoàn thành có kết quả rõ nét, 6/7 nhiệm vụ hoàn thành nhưng chưa có kết quả rõ nét"
        in text
    )
    assert "9 nhiệm vụ" in " ".join(figures.sentences(figures.annual(2017))["next"])


def test_without_data_the_sentences_are_left_out(series):
    assert figures.sentences(figures.annual(2010))["results"] == []


def test_markdown_docx_and_pdf_say_the_same(series):
    report = documents.unsaved(2017)
    md = documents.render(report, "md")[0].decode()
    docx_text = _docx_text(documents.render(report, "docx")[0])
    for text in (md, docx_text):
        assert TURNOVER in text and FEES in text and EXPORTS in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
        assert (
            "/BC-BQL" in text
            and "Nơi nhận:" in text
            and "Tổng kết công tác năm 2017, phương hướng nhiệm vụ năm 2018" in text
        )
    pdf = documents.render(report, "pdf")[0]
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        flat = " ".join(text.split())
        assert TURNOVER in flat and FEES in flat and EXPORTS in flat
    else:
        html = documents.render_html(documents.build(report))
        assert TURNOVER in html and FEES in html


def test_docx_layout_is_decree_30(series):
    doc = Docx(io.BytesIO(documents.render(documents.unsaved(2017), "docx")[0]))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size.pt in (
        13,
        14,
    )
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and 'w:val="center"' in header_xml
    assert "PAGE" not in section.first_page_header._element.xml
    motto = doc.tables[0].rows[0].cells[1].paragraphs
    assert motto[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and motto[0].runs[0].bold
    assert motto[3].text.startswith("Lạng Sơn, ngày") and motto[3].runs[0].italic
    assert "Số:" in doc.tables[0].rows[0].cells[0].text
    body_runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    assert all(r.font.name == "Times New Roman" and 11 <= r.font.size.pt <= 14 for r in body_runs)


def test_draft_edit_issue_freeze_and_audit(series):
    staff = UserFactory(role="department_staff")
    leader = UserFactory(role="board_leader")
    report = services.report_draft(year=2017, actor=staff)
    assert TURNOVER in report.results_text
    with pytest.raises(ServiceError):
        services.report_draft(year=2017, actor=staff)
    services.report_update(actor=staff, report=report, shortcomings_text="Hạ tầng bãi còn thiếu.")
    report = services.report_issue(
        report=report,
        number="15/BC-BQL",
        issued_on=dt.date(2018, 1, 16),
        signer_name="Nguyễn Văn A",
        actor=leader,
    )
    assert report.is_issued
    with pytest.raises(ServiceError):
        services.report_update(actor=staff, report=report, results_text="x")
    with pytest.raises(ServiceError):
        services.report_refresh(report=report, actor=staff)
    doc = documents.build(Report.objects.get(pk=report.pk))
    assert (
        doc.number == "Số: 15/BC-BQL"
        and doc.place_date == "Lạng Sơn, ngày 16 tháng 01 năm 2018"
        and not doc.draft
    )
    actions = list(AuditEvent.objects.filter(object_type="reports.report").values_list("action", flat=True))
    assert {"reports.report.draft", "reports.report.update", "reports.report.issue"} <= set(actions)


def test_cli_writes_each_format(series, tmp_path):
    from django.core.management import call_command

    for fmt in ("md", "docx", "pdf"):
        out = tmp_path / f"r.{fmt}"
        call_command(
            "report", "annual", "--year", "2017", "--format", fmt, "--out", str(out), stdout=io.StringIO()
        )
        assert out.stat().st_size > 500
    assert TURNOVER in (tmp_path / "r.md").read_text()


@pytest.mark.parametrize(
    "role,status",
    [
        ("board_leader", 200),
        ("department_staff", 200),
        ("provincial_leader", 200),
        ("inspector", 200),
        ("admin", 200),
        ("gate_operator", 404),
        ("enterprise_user", 404),
        ("driver", 404),
    ],
)
def test_report_pages_scope(client, series, role, status):
    report = services.report_draft(actor=None, year=2017)
    client.force_login(UserFactory(role=role))
    assert client.get("/reports/").status_code == status
    assert client.get(f"/reports/{report.pk}/").status_code == status
    assert client.get(f"/reports/{report.pk}/download.md").status_code == status
    assert client.get("/api/v1/reports/annual-figures?year=2017").status_code == status


def test_leader_drafts_and_issues_through_pages(client, series):
    client.force_login(UserFactory(role="board_leader"))
    response = client.post("/reports/", {"kind": "annual", "year": 2017})
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    page = client.get(f"/reports/{pk}/").content.decode()
    assert TURNOVER in page
    docx = client.get(f"/reports/{pk}/download.docx")
    assert TURNOVER in _docx_text(docx.content)
    client.post(f"/reports/{pk}/issue/", {"number": "3/BC-BQL", "issued_on": "2018-01-16"})
    assert Report.objects.get(pk=pk).is_issued
    provincial = UserFactory(role="provincial_leader")
    client.force_login(provincial)
    assert client.post(f"/reports/{pk}/", {"results_text": "x"}).status_code == 404
