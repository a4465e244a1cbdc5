import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from cuakhau.core.models import AuditEvent
from cuakhau.trade import selectors, services
from cuakhau.trade.models import ExchangeRate, Series, StatRollup, StatRow
from cuakhau.trade.periods import Period, PeriodError, from_params, parse_file_period
from cuakhau.trade.rates import RateMissing, RateTable
from cuakhau.trade.reference import load_reference_series
from tests.factories import UserFactory, trade_csv

pytestmark = pytest.mark.django_db
LS = "declared_at_langson_customs"


# --- periods --------------------------------------------------------------------------------------


def test_period_math():
    assert Period.year(2017).previous() == Period.year(2016)
    assert Period.quarter(2017, 1).previous() == Period.quarter(2016, 4)
    assert Period.month(2017, 1).same_last_year() == Period.month(2016, 1)
    custom = Period.custom(2024, 1, 2024, 10)
    assert custom.same_last_year() == Period.custom(2023, 1, 2023, 10)
    assert custom.previous() == Period.custom(2023, 3, 2023, 12)
    assert (Period.quarter(2024, 1).start, Period.quarter(2024, 1).end) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 3, 31),
    )
    assert Period.month(2024, 2).end == dt.date(2024, 2, 29)
    assert Period.quarter(2017, 3).label == "Quý III/2017"
    with pytest.raises(PeriodError):
        Period.custom(2024, 5, 2024, 4)
    assert from_params({"kind": "custom", "from": "2024-01", "to": "2024-10"}, default_year=2020) == custom
    assert parse_file_period("jan-oct", "2024") == ("period", dt.date(2024, 1, 1), dt.date(2024, 10, 31))
    assert parse_file_period("2017-Q2") == ("quarter", dt.date(2017, 4, 1), dt.date(2017, 6, 30))


def test_growth_rounding_from_the_published_figures():
    assert selectors.growth(Decimal("5250"), Decimal("4130.6")) == Decimal("27.1")
    assert selectors.growth(Decimal("645.262"), Decimal("488.096")) == Decimal("32.2")
    assert selectors.growth(Decimal("2950"), Decimal("2400.3")) == Decimal("22.9")
    assert selectors.growth(Decimal("90"), Decimal("100")) == Decimal("-10.0")
    assert selectors.growth(Decimal("1"), Decimal("0")) is None


# --- reference data: series never mixed -------------------------------------------------------------


def test_reference_series_keep_derived_and_source(trade_data):
    row = StatRow.objects.get(
        series__code="all_through_gates", metric="turnover_total", period_start=dt.date(2016, 1, 1)
    )
    assert row.derived and "1.271" in row.source and row.amount == Decimal("4130600000")
    assert (
        StatRow.objects.filter(
            series__code="fees", derived=False, metric="infrastructure_fee_revenue"
        ).count()
        == 3
    )
    # 2023: the two series are different figures, never added together
    big = selectors.annual_figure("all_through_gates", "turnover_total", 2023)
    small = selectors.annual_figure(LS, "turnover_total", 2023)
    assert big.amount == Decimal("51990563000") and small.amount == Decimal("4975000000")


def test_reference_load_is_idempotent(trade_data):
    before = StatRow.objects.count()
    load_reference_series()
    assert StatRow.objects.count() == before


def test_demo_months_add_up_to_the_published_2023_figures(trade_data):
    series = Series.objects.get(code=LS)
    totals = selectors.totals(series=series, period=Period.year(2023))
    assert totals.export == Decimal("2750000000") and totals.import_ == Decimal("2225000000")
    assert totals.months_with_data == 12


# --- import -----------------------------------------------------------------------------------------


def _series(code=LS):
    return Series.objects.get(code=code)


def test_import_csv_replaces_same_months_and_refreshes_rollups(trade_data, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        trade_csv(
            [
                ("2030-01", "HUUNGHI", "export", "export", "08", "1000", "usd"),
                ("2030-01", "HUUNGHI", "import", "import", "84", "2", "thousand_usd"),
                ("2030-02", "TANTHANH", "export", "", "8", "500", "usd"),
            ]
        )
    )
    summary = services.stats_import(actor=None, series=_series(), path=path)
    assert summary["rows"] == 3 and summary["months"] == 2
    t = selectors.totals(series=_series(), period=Period.custom(2030, 1, 2030, 2))
    assert (t.export, t.import_) == (Decimal(1500), Decimal(2000))
    assert StatRollup.objects.filter(series=_series(), month=dt.date(2030, 2, 1), hs_chapter="08").exists()
    # the same months again replace, not add
    path.write_text(trade_csv([("2030-01", "HUUNGHI", "export", "export", "08", "10", "usd")]))
    summary = services.stats_import(actor=None, series=_series(), path=path)
    assert summary["replaced"] == 1
    t = selectors.totals(series=_series(), period=Period.month(2030, 1))
    assert (t.export, t.import_) == (Decimal(10), Decimal(2000))
    assert AuditEvent.objects.filter(action="trade.import.commit").count() >= 2


def test_bad_file_is_refused_with_every_line_and_column_and_leaves_nothing(trade_data, tmp_path):
    before = (StatRow.objects.count(), StatRollup.objects.count())
    path = tmp_path / "bad.csv"
    path.write_text(
        trade_csv(
            [
                ("2030-01", "HUUNGHI", "export", "", "08", "1000", "usd"),
                ("2030-13", "HUUNGHI", "export", "", "08", "1000", "usd"),
                ("2030-02", "NOWHERE", "export", "", "08", "1000", "usd"),
                ("2030-02", "HUUNGHI", "sideways", "", "08", "1000", "usd"),
                ("2030-02", "HUUNGHI", "export", "", "08", "12.34", "usd"),
                ("2030-02", "HUUNGHI", "export", "", "123", "-5", "usd"),
                ("2030-02", "HUUNGHI", "export", "", "08", "5", "billion_vnd"),
            ]
        )
    )
    with pytest.raises(services.ImportRefused) as info:
        services.stats_import(actor=None, series=_series(), path=path)
    got = {(e.line, e.column) for e in info.value.line_errors}
    assert {
        (3, "period"),
        (4, "gate"),
        (5, "direction"),
        (6, "value"),
        (7, "hs_chapter"),
        (7, "value"),
        (8, "unit"),
    } <= got
    assert 2 not in {e.line for e in info.value.line_errors}
    assert (StatRow.objects.count(), StatRollup.objects.count()) == before


def test_series_are_never_mixed(trade_data, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("series,period,direction,value,unit\nall_through_gates,2030-01,export,5,usd\n")
    with pytest.raises(services.ImportRefused) as info:
        services.stats_import(actor=None, series=_series(), path=path)
    assert info.value.line_errors[0].column == "series"
    # a fee figure cannot enter a turnover series
    path.write_text("period,metric,value,unit\n2030,infrastructure_fee_revenue,5,billion_vnd\n")
    with pytest.raises(services.ImportRefused) as info:
        services.stats_import(actor=None, series=_series(), path=path)
    assert info.value.line_errors[0].column == "metric"


def test_import_excel(trade_data, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["period", "gate", "direction", "hs_chapter", "value", "unit"])
    ws.append([dt.datetime(2031, 3, 1), "CHIMA", "import", 85, 2.5, "million_usd"])
    ws.append(["2031-04", "CHIMA", "import", "85", "abc", "million_usd"])
    path = tmp_path / "s.xlsx"
    wb.save(path)
    with pytest.raises(services.ImportRefused) as info:
        services.stats_import(actor=None, series=_series(), path=path)
    assert [(e.line, e.column) for e in info.value.line_errors] == [(3, "value")]
    ws.delete_rows(3)
    wb.save(path)
    services.stats_import(actor=None, series=_series(), path=path)
    assert selectors.totals(series=_series(), period=Period.month(2031, 3)).import_ == Decimal("2500000")


def test_web_import_in_chunks_all_or_nothing(trade_data, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = UserFactory(role="department_staff")
    rows = [(f"2032-{i % 12 + 1:02d}", "HUUNGHI", "export", "", "08", str(i + 1), "usd") for i in range(50)]
    bad = rows + [("2032-01", "HUUNGHI", "export", "", "08", "x", "usd")]
    batch = services.batch_create(
        series=_series(), upload=SimpleUploadedFile("b.csv", trade_csv(bad).encode()), actor=staff
    )
    assert batch.total_lines == 51
    step = services.batch_step(actor=None, batch_id=batch.pk, lines=20)
    assert step.status == "running" and step.processed_lines == 20
    batch = services.batch_run(actor=None, batch_id=batch.pk)
    assert batch.status == "refused" and batch.errors == [
        {"line": 52, "column": "value", "message": batch.errors[0]["message"]}
    ]
    assert not StatRow.objects.filter(period_start__year=2032).exists()
    good = services.batch_create(
        series=_series(), upload=SimpleUploadedFile("g.csv", trade_csv(rows).encode()), actor=staff
    )
    good = services.batch_run(actor=None, batch_id=good.pk)
    assert good.status == "done" and good.row_count == 50
    assert selectors.totals(series=_series(), period=Period.year(2032)).export == sum(
        Decimal(i + 1) for i in range(50)
    )


# --- rates and source (a) ---------------------------------------------------------------------------


def test_rates_convert_by_the_latest_rate_on_or_before_the_day(db):
    services.rate_set(actor=None, day=dt.date(2024, 1, 2), currency="USD", vnd_per_unit="24000")
    services.rate_set(actor=None, day=dt.date(2024, 1, 2), currency="cny", vnd_per_unit="3300")
    services.rate_set(actor=None, day=dt.date(2024, 2, 1), currency="USD", vnd_per_unit="25000")
    table = RateTable()
    assert table.to_usd(Decimal(240000), "VND", dt.date(2024, 1, 15)) == Decimal(10)
    assert table.to_usd(Decimal(100), "CNY", dt.date(2024, 2, 5)) == Decimal("13.2")
    with pytest.raises(RateMissing):
        table.to_usd(Decimal(1), "CNY", dt.date(2023, 12, 31))
    with pytest.raises(services.ServiceError):
        services.rate_set(actor=None, day=dt.date(2024, 1, 2), currency="USD", vnd_per_unit="0")
    assert ExchangeRate.objects.count() == 3


@pytest.fixture
def declared(demo_data):
    """Trips declared, called forward, gated in and out through the traffic services (its demo
    loader), central rates entered, and the computed turnover refreshed for this year."""
    from cuakhau.core.context import acting_as
    from cuakhau.parties.demo import load_demo as parties_demo
    from cuakhau.traffic.demo import load_demo as traffic_demo

    with acting_as(None, channel="cli"):
        parties_demo()
        traffic_demo()
    year = dt.date.today().year
    services.rate_set(actor=None, day=dt.date(year - 1, 12, 31), currency="USD", vnd_per_unit="25000")
    services.rate_set(actor=None, day=dt.date(year - 1, 12, 31), currency="CNY", vnd_per_unit="3500")
    summary = services.computed_refresh(actor=None, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    return year, summary


def _expected_usd(year):
    """The same figure done naively: every goods line of every trip that crossed, converted by hand."""
    from cuakhau.traffic.models import GoodsLine

    per = {"USD": Decimal(1), "CNY": Decimal(3500) / 25000, "VND": Decimal(1) / 25000}
    out = {}
    for line in GoodsLine.objects.filter(
        declaration__status__in=("crossed", "completed"), declaration__crossed_at__year=year
    ).select_related("declaration__enterprise"):
        d = line.declaration
        key = ("export" if d.direction == "exit" else "import", d.enterprise_id)
        out[key] = out.get(key, Decimal(0)) + line.value * per[line.currency]
    return out


def test_computed_turnover_comes_from_the_declarations_and_is_scoped(declared):
    from cuakhau.core.models import AuditEvent
    from cuakhau.parties.models import Enterprise
    from tests.factories import enterprise_user

    year, summary = declared
    expected = _expected_usd(year)
    assert expected and summary["lines"] > 0 and summary["unconverted"] == 0
    board = UserFactory(role="board_leader")
    period = Period.year(year)
    totals = selectors.computed_totals(user=board, period=period)
    assert totals.export.quantize(Decimal("0.01")) == sum(
        (v for (d, _e), v in expected.items() if d == "export"), Decimal(0)
    ).quantize(Decimal("0.01"))
    assert totals.import_.quantize(Decimal("0.01")) == sum(
        (v for (d, _e), v in expected.items() if d == "import"), Decimal(0)
    ).quantize(Decimal("0.01"))
    # the grain by enterprise adds up to the same figure, and each enterprise sees only its own rows
    by_ent = selectors.computed_table(user=board, period=period, by="enterprise")
    assert by_ent.total.quantize(Decimal("0.01")) == totals.total.quantize(Decimal("0.01"))
    ent = Enterprise.objects.get(pk=next(e for _d, e in expected))
    mine = selectors.computed_table(user=enterprise_user(ent), period=period, by="gate")
    own = sum((v for (_d, e), v in expected.items() if e == ent.pk), Decimal(0))
    assert mine.total.quantize(Decimal("0.01")) == own.quantize(Decimal("0.01")) < totals.total
    # source (a) never appears in an imported series, and the refresh is audited
    assert not StatRow.objects.filter(period_start__year=year).exists()
    assert AuditEvent.objects.filter(action="trade.computed.refresh").exists()
    # the report states it separately
    from cuakhau.reports import figures

    figs = figures.for_period(period)
    assert figs.computed_total.origin == "declarations"
    text = " ".join(figures.sentences(figs)["results"])
    assert "Theo tờ khai phương tiện" in text and "không cộng với các số trên" in text


def test_computed_turnover_counts_lines_without_a_rate(demo_data):
    from cuakhau.core.context import acting_as
    from cuakhau.parties.demo import load_demo as parties_demo
    from cuakhau.traffic.demo import load_demo as traffic_demo

    with acting_as(None, channel="cli"):
        parties_demo()
        traffic_demo()
    year = dt.date.today().year
    summary = services.computed_refresh(actor=None, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    # no central rate entered: the lines declared in đồng or yuan are counted as unconverted, not guessed
    assert 0 < summary["unconverted"] <= summary["lines"]


# --- statistics = API = Excel = raw rows -----------------------------------------------------------


def _raw(series, period, by):
    out = {}
    for r in StatRow.objects.filter(
        series=series, granularity="month", period_start__gte=period.start, period_start__lte=period.end
    ):
        key = {
            "gate": r.gate_code,
            "hs": r.hs_chapter,
            "flow": r.flow,
            "month": r.period_start.strftime("%Y-%m"),
            "direction": r.metric,
        }[by]
        out[key] = out.get(key, Decimal(0)) + r.amount
    return out


@pytest.mark.parametrize("by", ["gate", "hs", "month", "flow", "direction"])
def test_page_api_excel_and_raw_rows_agree(client, trade_data, by):
    from cuakhau.core.vnformat import format_number

    series = _series()
    period = Period.quarter(2023, 2)
    raw = _raw(series, period, by)
    table = selectors.table(series=series, period=period, by=by)
    assert {r.key: r.total for r in table.rows} == raw
    assert selectors.table(series=series, period=period, by=by, naive=True).total == table.total
    client.force_login(UserFactory(role="provincial_leader"))
    q = f"series={LS}&kind=quarter&year=2023&quarter=2"
    api = client.get(f"/api/v1/trade/series/{LS}/table?by={by}&{q}").json()
    assert {r["key"]: Decimal(r["total"]) for r in api["rows"]} == raw
    xlsx = client.get(f"/trade/?{q}&export={by}")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    *lines, total = ws.iter_rows(min_row=3, values_only=True)
    assert total[0] == "Tổng cộng" and Decimal(str(total[4])) == sum(raw.values())
    excel = {row[1] or "": Decimal(str(row[4])) for row in lines}
    assert excel == raw
    page = client.get(f"/trade/?{q}").content.decode()
    # a table's column has three decimals in every row (thousands of USD), the total too
    assert f'data-testid="table-{by}-total">{format_number(sum(raw.values()) / 1_000_000, 3)}<' in page


def test_summary_growth_against_same_period_and_previous(client, trade_data):
    series = _series()
    s = selectors.summary(series=series, period=Period.year(2023))
    total = next(line for line in s["lines"] if line["key"] == "total")
    assert total["current"] == Decimal("4975000000")
    assert total["growth_year"] == selectors.growth(
        Decimal("4975000000"), Decimal("1023065476") + Decimal("2037545788")
    )
    assert total["growth_year"] == Decimal("62.5")  # the published 62.6% is computed from rounded figures
    client.force_login(UserFactory(role="board_leader"))
    api = client.get(f"/api/v1/trade/series/{LS}/summary?kind=year&year=2023").json()
    assert Decimal(api["lines"][2]["growth_year"]) == total["growth_year"]
    page = client.get(f"/trade/?series={LS}&kind=year&year=2023").content.decode()
    assert "4.975" in page and "+62,5%" in page


def test_bad_period_is_a_clear_400(client, trade_data):
    client.force_login(UserFactory(role="board_leader"))
    response = client.get("/trade/?kind=custom&from=2024-05&to=2024-01")
    assert response.status_code == 400 and "Tháng kết thúc" in response.content.decode()
    assert client.get("/api/v1/trade/series/x/summary?kind=month&year=2024&month=13").status_code == 404
    assert client.get(f"/api/v1/trade/series/{LS}/summary?kind=month&year=2024&month=13").status_code == 422


@pytest.mark.parametrize(
    "role,series_status,computed_status",
    [
        ("board_leader", 200, 200),
        ("provincial_leader", 200, 200),
        ("department_staff", 200, 200),
        ("gate_operator", 200, 200),
        ("enterprise_user", 404, 200),
        ("driver", 404, 404),
    ],
)
def test_scopes(client, trade_data, role, series_status, computed_status):
    client.force_login(UserFactory(role=role))
    assert client.get(f"/api/v1/trade/series/{LS}/summary?kind=year&year=2023").status_code == series_status
    assert (
        client.get("/api/v1/trade/computed/table?by=gate&kind=year&year=2023").status_code == computed_status
    )
    assert client.get("/trade/computed/").status_code == computed_status
    assert client.get("/trade/published/").status_code == series_status


def test_cli_import_progress_and_errors(trade_data, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "c.csv"
    path.write_text(
        trade_csv(
            [
                ("2033-01", "CHIMA", "export", "", "", "7", "usd"),
                ("2033-01", "CHIMA", "up", "", "", "7", "usd"),
            ]
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("trade", "import", str(path), "--series", LS, stderr=err)
    assert "dòng 3, cột direction" in err.getvalue()
    path.write_text(trade_csv([("2033-01", "CHIMA", "export", "", "", "7", "usd")]))
    out, err = io.StringIO(), io.StringIO()
    call_command("trade", "import", str(path), "--series", LS, stdout=out, stderr=err)
    assert "1 rows imported" in out.getvalue() and "100.0%" in err.getvalue()


def test_web_import_page_polls_to_the_end(client, trade_data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(UserFactory(role="department_staff"))
    series = _series()
    upload = SimpleUploadedFile(
        "w.csv", trade_csv([("2034-01", "CHIMA", "export", "", "", "9", "usd")]).encode()
    )
    response = client.post("/trade/imports/", {"series": series.pk, "file": upload})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "hx-post" in detail
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    fragment = client.post(f"/trade/imports/{pk}/progress/").content.decode()
    assert 'data-status="done"' in fragment


def test_rows_csv_helper_round_trip():
    text = trade_csv([("2030-01", "HUUNGHI", "export", "", "08", "1", "usd")])
    assert list(csv.reader(io.StringIO(text)))[1][0] == "2030-01"
