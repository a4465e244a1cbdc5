"""The statistics page's figures (one rollup query per period) against sums done here on the raw rows,
under every combination of filters, and the page, API and Excel export against each other."""

import datetime as dt
import io
from decimal import Decimal
from itertools import combinations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from cuakhau.core.context import acting_as
from cuakhau.trade import selectors, services, synthetic
from cuakhau.trade.models import Granularity, Series, SeriesKind, StatRow
from cuakhau.trade.periods import Period
from tests.factories import UserFactory, trade_csv

pytestmark = pytest.mark.django_db
EXPORT, IMPORT = "turnover_export", "turnover_import"
CODE = "flows_test"
# 2031-01 .. 2032-10 with flows and chapters; 2032-11 and 2032-12 have no data; one row of 2032-03 is
# not broken down at all and one has a gate but no flow or chapter.
MISSING = {"2032-11", "2032-12"}


@pytest.fixture
def flows_series(reference_data, tmp_path):
    with acting_as(None, channel="cli"):
        series = services.series_ensure(actor=None, code=CODE, name="Flows", kind=SeriesKind.TURNOVER)
        items = [
            item
            for item in synthetic.rows(first_year=2031, years=2, vehicles_per_day=40, chapters=3, seed=3)
            if item[0] not in MISSING and item[1] in ("HUUNGHI", "TANTHANH", "CHIMA")
        ]
        items += [
            ("2032-03", "", "export", "", "", Decimal(777)),
            ("2032-03", "CHIMA", "import", "", "", Decimal(5)),
        ]
        path = tmp_path / "flows.csv"
        synthetic.write_csv(path, items)
        services.stats_import(actor=None, series=series, path=path)
    return series


def _raw(series, period: Period, filters: selectors.Filters, by: str | None) -> dict[str, dict[str, Decimal]]:
    """{key: {metric: amount}} added up here from the month rows, as a person would with a spreadsheet."""
    out: dict[str, dict[str, Decimal]] = {}
    for r in StatRow.objects.filter(
        series=series,
        granularity=Granularity.MONTH,
        period_start__gte=period.start,
        period_start__lte=period.end,
    ):
        if (filters.gate and r.gate_code != filters.gate) or (filters.flow and r.flow != filters.flow):
            continue
        if filters.hs and r.hs_chapter != filters.hs:
            continue
        key = {
            None: "",
            "gate": r.gate_code,
            "flow": r.flow,
            "hs": r.hs_chapter,
            "month": r.period_start.strftime("%Y-%m"),
            "direction": r.metric,
        }[by]
        bucket = out.setdefault(key, {})
        bucket[r.metric] = bucket.get(r.metric, Decimal(0)) + r.amount
    return out


def _total(data: dict | None) -> Decimal | None:
    return sum(data.values(), Decimal(0)) if data else None


FILTERS = [
    selectors.Filters(**dict(combo))
    for n in range(4)
    for combo in combinations((("gate", "CHIMA"), ("flow", "temp_import_reexport"), ("hs", "84")), n)
]


@pytest.mark.parametrize(
    "filters", FILTERS, ids=lambda f: "+".join(k for k in ("gate", "flow", "hs") if getattr(f, k)) or "none"
)
def test_every_table_under_every_filter_equals_the_raw_rows(flows_series, filters):
    period = Period.custom(2032, 1, 2032, 12)
    figures = selectors.statistics(series=flows_series, period=period, filters=filters)
    for by, table in figures.tables.items():
        raw = _raw(flows_series, period, filters, by)
        earlier = _raw(flows_series, period.same_last_year(), filters, by)
        if by == "month":
            earlier = {f"{int(k[:4]) + 1}{k[4:]}": v for k, v in earlier.items()}
        got = {r.key: (r.export, r.import_, r.previous_total) for r in table.rows}
        assert got == {
            k: (v.get(EXPORT, Decimal(0)), v.get(IMPORT, Decimal(0)), _total(earlier.get(k)))
            for k, v in raw.items()
        }, by
        # and the same as the table added up from the raw rows by the selector's own naive path
        naive = selectors.table(series=flows_series, period=period, by=by, filters=filters, naive=True)
        assert [(r.key, r.total, r.previous_total, r.share) for r in naive.rows] == [
            (r.key, r.total, r.previous_total, r.share) for r in table.rows
        ]
    lines = {line["key"]: line for line in figures.summary["lines"]}
    now, before = (
        _raw(flows_series, period, filters, None),
        _raw(flows_series, period.same_last_year(), filters, None),
    )
    assert lines["total"]["current"] == (_total(now.get("")) or Decimal(0))
    assert lines["export"]["current"] == now.get("", {}).get(EXPORT, Decimal(0))
    assert lines["total"]["same_period_last_year"] == _total(before.get(""))
    assert lines["total"]["growth_year"] == selectors.growth(_total(now.get("")), _total(before.get("")))
    # months with data count the series' months, whatever the filters: 2032-11 and 2032-12 have none
    assert figures.summary["months_with_data"] == 10


def test_ten_year_range_with_growth_on_the_period_before(flows_series):
    period = Period.custom(2032, 1, 2032, 6)
    s = selectors.statistics(series=flows_series, period=period).summary
    total = next(line for line in s["lines"] if line["key"] == "total")
    before = _raw(flows_series, Period.custom(2031, 7, 2031, 12), selectors.Filters(), None)[""]
    assert s["previous_period"] == Period.custom(2031, 7, 2031, 12)
    assert total["previous_period"] == _total(before)
    assert total["growth_previous"] == selectors.growth(total["current"], _total(before))
    # a range longer than the data: the months that have none are counted as such, growth has no base
    long = selectors.statistics(series=flows_series, period=Period.custom(2023, 1, 2032, 12)).summary
    assert long["months"] == 120 and long["months_with_data"] == 22
    assert all(line["growth_previous"] is None for line in long["lines"])


@pytest.mark.parametrize(
    "query,rollup_queries",
    [
        ("kind=year&year=2032", 2),
        ("kind=quarter&year=2032&quarter=1", 3),
        ("kind=custom&from=2023-01&to=2032-12", 3),
    ],
)
def test_the_page_reads_the_rollups_once_per_period(client, flows_series, query, rollup_queries):
    """The period, the same period a year earlier, and the period just before when that is another one
    (a year's previous period is the year before): not one query per table (16 before)."""
    client.force_login(UserFactory(role="provincial_leader"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/trade/?series={CODE}&{query}")
    assert response.status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert sum("trade_statrollup" in q for q in sql) == rollup_queries
    # the published figures never read the month detail (a million rows at ten years)
    assert not any("trade_statrow" in q and "NOT" in q and "granularity" in q for q in sql)


def test_a_flow_filter_the_rollups_cannot_serve_falls_back_to_the_raw_rows_and_agrees(client, flows_series):
    """flow + chapter has no rollup grouping: the table by chapter under a flow filter is added up from the
    raw rows; the page, the API and the Excel export still show the same figures."""
    client.force_login(UserFactory(role="board_leader"))
    filters = selectors.Filters(flow="temp_import_reexport")
    period = Period.year(2032)
    raw = {k: _total(v) for k, v in _raw(flows_series, period, filters, "hs").items()}
    q = f"kind=year&year=2032&flow={filters.flow}"
    api = client.get(f"/api/v1/trade/series/{CODE}/table?by=hs&{q}").json()
    assert {r["key"]: Decimal(r["total"]) for r in api["rows"]} == raw
    ws = load_workbook(io.BytesIO(client.get(f"/trade/?series={CODE}&{q}&export=hs").content)).active
    assert {
        row[1]: Decimal(str(row[4])) for row in ws.iter_rows(min_row=3, values_only=True) if row[1]
    } == raw


def test_published_reads_headlines_only(trade_data, flows_series):
    user = UserFactory(role="board_leader")
    got = list(selectors.published(user=user).values_list("pk", flat=True))
    assert got and set(got) == set(
        StatRow.objects.exclude(granularity=Granularity.MONTH).values_list("pk", flat=True)
    )
    ls = Series.objects.get(code="declared_at_langson_customs")
    assert set(selectors.published(user=user, series=ls).values_list("series_id", flat=True)) == {ls.pk}


def test_the_page_opens_on_the_last_year_with_month_statistics(client, flows_series, tmp_path):
    assert selectors.latest_year(1999) == 2032
    path = tmp_path / "later.csv"
    path.write_text(trade_csv([("2035-04", "CHIMA", "export", "", "", "7", "usd")]))
    services.stats_import(actor=None, series=flows_series, path=path)
    assert selectors.latest_year(1999) == 2035
    client.force_login(UserFactory(role="board_leader"))
    page = client.get(f"/trade/?series={CODE}").content.decode()
    assert "Năm 2035" in page


def test_a_large_import_refreshes_the_planner_statistics_after_commit(
    reference_data, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from cuakhau.trade.services import imports

    monkeypatch.setattr(imports, "ANALYZE_AFTER_ROWS", 2)
    calls = []
    monkeypatch.setattr(imports, "analyze", lambda *models: calls.append({m.__name__ for m in models}))
    with acting_as(None, channel="cli"):
        series = services.series_ensure(actor=None, code="an", name="An", kind=SeriesKind.TURNOVER)
    path = tmp_path / "a.csv"
    path.write_text(trade_csv([("2030-01", "CHIMA", "export", "", "", "7", "usd")]))
    with django_capture_on_commit_callbacks(execute=True):
        services.stats_import(actor=None, series=series, path=path)
    assert calls == []  # one row: autovacuum's business
    path.write_text(trade_csv([(f"2030-{m:02d}", "CHIMA", "export", "", "", "7", "usd") for m in (1, 2, 3)]))
    with django_capture_on_commit_callbacks(execute=True):
        services.stats_import(actor=None, series=series, path=path)
    assert calls == [{"StatRow", "StatRollup"}]
    assert dt.date(2030, 3, 1) in set(
        StatRow.objects.filter(series=series).values_list("period_start", flat=True)
    )


def _computed(month, direction, usd, gate="CHIMA"):
    from cuakhau.trade.models import ComputedTurnover

    ComputedTurnover.objects.create(
        month=month, gate_code=gate, direction=direction, flow="export", hs_chapter="08", usd=Decimal(usd)
    )


def test_computed_page_shows_each_figure_with_its_unit_and_signed_growth(client, reference_data):
    _computed(dt.date(2030, 3, 1), "export", "2000000")
    _computed(dt.date(2030, 3, 1), "import", "1000000")
    _computed(dt.date(2029, 3, 1), "export", "1600000")
    _computed(dt.date(2029, 3, 1), "import", "1250000")
    client.force_login(UserFactory(role="provincial_leader"))
    page = client.get("/trade/computed/?kind=year&year=2030").content.decode()
    cards = page[page.index('data-testid="computed-summary"') : page.index('class="charts"')]
    assert cards.count("triệu USD") == 3 and cards.count("Năm 2029") == 3
    # 3.0 on 2.85: +5,3%; exports 2.0 on 1.6: +25,0%; imports 1.0 on 1.25: -20,0%, in red
    assert ">+5,3%<" in cards and ">+25,0%<" in cards
    assert '<strong class="down">-20,0%</strong>' in cards


def test_computed_page_without_trips_says_so_once(client, reference_data):
    _computed(dt.date(2030, 3, 1), "export", "2000000")
    client.force_login(UserFactory(role="board_leader"))
    page = client.get("/trade/computed/?kind=year&year=2019").content.decode()
    assert 'data-testid="computed-empty"' in page and "Năm 2019" in page
    assert "Không có số liệu trong kỳ này" not in page and 'data-testid="table-gate"' not in page
    assert 'data-testid="table-gate"' in client.get("/trade/computed/?kind=year&year=2030").content.decode()


def test_a_period_without_month_statistics_says_so_instead_of_showing_zeros(client, flows_series):
    client.force_login(UserFactory(role="board_leader"))
    page = client.get(f"/trade/?series={CODE}&kind=year&year=2020").content.decode()
    assert 'data-testid="statistics-empty"' in page and "Năm 2020" in page
    assert 'data-testid="summary-total"' not in page and 'data-testid="table-gate"' not in page
    page = client.get(f"/trade/?series={CODE}&kind=year&year=2032").content.decode()
    assert 'data-testid="statistics-empty"' not in page and 'data-testid="summary-total"' in page
