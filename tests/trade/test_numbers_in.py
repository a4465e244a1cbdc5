"""Numbers in customs-statistics and rate files (issue 12): text read the way of the uploader's language
(the page's for web uploads, --lang for the CLI, Vietnamese by default), Excel number cells taken as
numbers, what reads two ways or is malformed refused naming line and column; our own reference file is
code's, in machine form."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from cuakhau.trade import services
from cuakhau.trade.models import ExchangeRate, Series, StatRow
from tests.factories import UserFactory, trade_csv

pytestmark = pytest.mark.django_db
LS = "declared_at_langson_customs"


def _series():
    return Series.objects.get(code=LS)


def _values(year: int) -> list[Decimal]:
    return sorted(StatRow.objects.filter(period_start__year=year).values_list("value", flat=True))


def test_a_csv_reads_vietnamese_numbers_and_refuses_what_reads_two_ways(trade_data, tmp_path):
    path = tmp_path / "vi.csv"
    rows = [
        ("2035-01", "HUUNGHI", "export", "", "08", "1.200", "usd"),
        ("2035-02", "HUUNGHI", "export", "", "08", "1.200,5", "usd"),
        ("2035-03", "HUUNGHI", "export", "", "08", "0,5", "usd"),
    ]
    path.write_text(trade_csv(rows + [("2035-04", "HUUNGHI", "export", "", "08", "1,200", "usd")]))
    with pytest.raises(services.ImportRefused) as info:
        services.stats_import(actor=None, series=_series(), path=path)
    [error] = info.value.line_errors
    assert (error.line, error.column) == (5, "value")
    assert "1.200" in error.message and "1,2" in error.message
    assert not StatRow.objects.filter(period_start__year=2035).exists()
    path.write_text(trade_csv(rows))
    services.stats_import(actor=None, series=_series(), path=path)
    assert _values(2035) == [Decimal("0.5"), Decimal(1200), Decimal("1200.5")]


def test_a_malformed_grouping_is_refused_with_the_reading_it_may_mean(trade_data, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(trade_csv([("2035-01", "HUUNGHI", "export", "", "08", "12.34", "usd")]))
    with pytest.raises(services.ImportRefused) as info:
        services.stats_import(actor=None, series=_series(), path=path)
    [error] = info.value.line_errors
    assert (error.line, error.column) == (2, "value") and "12,34" in error.message
    assert "dòng 2, cột value" in str(error)


def test_excel_number_cells_are_numbers_and_text_cells_are_read(trade_data, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["period", "gate", "direction", "hs_chapter", "value", "unit", "yoy_percent"])
    ws.append(["2036-01", "CHIMA", "import", "85", 1200, "usd", 27.1])
    ws.append(["2036-02", "CHIMA", "import", "85", "1.200", "usd", "27,1"])
    ws.append(["2036-03", "CHIMA", "import", "85", 1200.5, "usd", None])
    path = tmp_path / "s.xlsx"
    wb.save(path)
    services.stats_import(actor=None, series=_series(), path=path)
    assert _values(2036) == [Decimal(1200), Decimal(1200), Decimal("1200.5")]
    assert sorted(
        StatRow.objects.filter(period_start__year=2036, yoy_percent__isnull=False).values_list(
            "yoy_percent", flat=True
        )
    ) == [Decimal("27.1"), Decimal("27.1")]
    ws.append(["2036-04", "CHIMA", "import", "85", "12.34", "usd", None])
    wb.save(path)
    with pytest.raises(services.ImportRefused) as info:
        services.stats_import(actor=None, series=_series(), path=path)
    assert [(e.line, e.column) for e in info.value.line_errors] == [(5, "value")]


def test_an_english_file_reads_the_english_way(trade_data, tmp_path):
    path = tmp_path / "en.csv"
    path.write_text(trade_csv([("2037-01", "HUUNGHI", "export", "", "08", "1,200.5", "usd")]))
    services.stats_import(actor=None, series=_series(), path=path, lang="en")
    assert _values(2037) == [Decimal("1200.5")]
    # The same text in a Vietnamese file breaks its rules: refused, never read as 1.2005 or 12005.
    path.write_text(trade_csv([("2037-02", "HUUNGHI", "export", "", "08", "1,200.5", "usd")]))
    with pytest.raises(services.ImportRefused):
        services.stats_import(actor=None, series=_series(), path=path, lang="vi")


def test_a_web_import_reads_in_the_uploaders_language_whoever_runs_the_chunks(trade_data):
    staff = UserFactory(role="department_staff")
    content = trade_csv([("2038-01", "HUUNGHI", "export", "", "08", "1,200.5", "usd")]).encode()
    with translation.override("en"):
        batch = services.batch_create(
            series=_series(), upload=SimpleUploadedFile("en.csv", content), actor=staff
        )
    assert batch.number_language == "en"
    with translation.override("vi"):  # the worker, or a Vietnamese page polling it
        batch = services.batch_run(actor=None, batch_id=batch.pk)
    assert batch.status == "done", batch.errors
    assert _values(2038) == [Decimal("1200.5")]


def test_the_web_upload_page_reads_the_pages_language(client, trade_data):
    client.force_login(UserFactory(role="department_staff"))
    upload = SimpleUploadedFile(
        "w.csv", trade_csv([("2039-01", "CHIMA", "export", "", "", "1.200", "usd")]).encode()
    )
    response = client.post("/trade/imports/", {"series": _series().pk, "file": upload})
    assert response.status_code == 302
    services.batch_run(actor=None, batch_id=int(response["Location"].rstrip("/").split("/")[-1]))
    assert _values(2039) == [Decimal(1200)]


def test_the_cli_reads_vietnamese_by_default_and_english_with_lang(trade_data, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(trade_csv([("2040-01", "CHIMA", "export", "", "", "1.200", "usd")]))
    call_command("trade", "import", str(path), "--series", LS, "--quiet", stdout=io.StringIO())
    assert _values(2040) == [Decimal(1200)]
    path.write_text(trade_csv([("2040-01", "CHIMA", "export", "", "", "1.200", "usd")]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("trade", "import", str(path), "--series", LS, "--quiet", "--lang", "en", stderr=err)
    assert "dòng 2, cột value" in err.getvalue() and "1,200" in err.getvalue()
    path.write_text(trade_csv([("2040-02", "CHIMA", "export", "", "", "1,200.5", "usd")]))
    call_command(
        "trade", "import", str(path), "--series", LS, "--quiet", "--lang", "en", stdout=io.StringIO()
    )
    assert _values(2040) == [Decimal(1200), Decimal("1200.5")]


def test_rates_from_the_cli_are_read_in_its_language(trade_data, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "day,currency,vnd_per_unit,source\n2040-01-02,USD,25.450,5,SBV\n".replace("25.450,5", '"25.450,5"')
    )
    call_command("trade", "rates", str(path), stdout=io.StringIO())
    assert ExchangeRate.objects.get(day=dt.date(2040, 1, 2), currency="USD").vnd_per_unit == Decimal(
        "25450.5"
    )
    path.write_text('day,currency,vnd_per_unit,source\n2040-01-03,USD,"25,450.5",SBV\n')
    with pytest.raises(CommandError):
        call_command("trade", "rates", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    call_command("trade", "rates", str(path), "--lang", "en", stdout=io.StringIO())
    assert ExchangeRate.objects.get(day=dt.date(2040, 1, 3), currency="USD").vnd_per_unit == Decimal(
        "25450.5"
    )


def test_our_reference_file_is_read_in_machine_form(trade_data):
    # data/turnover_series.csv says 645.262 billion đồng of fees in 2017: not 645262 billion.
    row = StatRow.objects.get(
        series__code="fees", metric="infrastructure_fee_revenue", period_start=dt.date(2017, 1, 1)
    )
    assert row.value == Decimal("645.262") and row.amount == Decimal("645262000000")
