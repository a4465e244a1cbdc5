"""`cuakhau demo generate`: the generators registered by traffic, fees and trade write a year of
synthetic trips, fees, receipts and customs statistics that keep the services' invariants."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Min, Sum

# The year is generated once for the module (a few thousand trips: every test reads the same year and
# none keeps a change, each running in its own savepoint inside the module's transaction); `make test`
# distributes by module (--dist loadscope), so the year is generated on one worker only.
pytestmark = [pytest.mark.django_db(transaction=False)]

# Enough trips a day for the year's shape (weekends, Tết, the fruit season) to show; the size itself is
# not what these tests check.
VEHICLES = 60


def _generate(*args):
    out = io.StringIO()
    call_command("demo", "generate", "--years", "1", "--vehicles-per-day", str(VEHICLES), *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    from django.db import transaction

    from cuakhau.core.context import acting_as
    from cuakhau.core.reference import load_units
    from cuakhau.core.service import batch
    from cuakhau.fees.reference import load_tariffs
    from cuakhau.gates.reference import load_gates
    from cuakhau.trade.reference import load_reference

    with django_db_blocker.unblock(), batch():  # the loaders' services join it
        with acting_as(None, channel="cli"):
            load_units()
            load_gates()
            load_tariffs()
            load_reference()
        yield _generate("--until", "2024")
        transaction.set_rollback(True)


def test_generators_run_in_order_and_print_progress(generated):
    from cuakhau.core.loaders import generators

    assert [name for name, _fn in generators()][:2] == ["traffic", "fees"]
    lines = generated.splitlines()
    assert lines[0].startswith(f"generating 01/01/2024–31/12/2024, {VEHICLES} vehicles a day")
    assert "  traffic 01/2024:" in generated and "  fees 12/2024:" in generated
    assert [line.split(":")[0] for line in lines if not line.startswith(" ")][1:4] == [
        "traffic",
        "fees",
        "trade",
    ]


def test_trips_are_final_shaped_by_gates_weekends_and_tet(generated):
    from cuakhau.core.workcal.lunar import lunar_new_year
    from cuakhau.traffic.models import ACTIVE_STATUSES, Declaration, GateEvent, GoodsLine

    trips = Declaration.objects.filter(note="[synthetic]")
    n = trips.count()
    assert 0.9 * VEHICLES * 366 < n < 1.1 * VEHICLES * 366  # the year averages VEHICLES a day
    assert not trips.filter(status__in=ACTIVE_STATUSES).exists()  # never two active per vehicle
    assert set(trips.values_list("status", flat=True).distinct()) == {"completed", "cancelled"}
    crossed = trips.filter(status="completed")
    assert GateEvent.objects.filter(declaration__in=crossed).count() == 2 * crossed.count()
    assert GoodsLine.objects.filter(declaration__in=trips).count() >= n
    by_gate = dict(crossed.values_list("gate__code").annotate(c=Count("id")))
    assert by_gate["HUUNGHI"] > by_gate["TANTHANH"] > by_gate["CHIMA"] > by_gate["COCNAM"] > by_gate["NANUA"]
    per_day = {}
    for at in crossed.values_list("yard_in_at", flat=True):
        day = at.astimezone(dt.timezone(dt.timedelta(hours=7))).date()
        per_day[day] = per_day.get(day, 0) + 1
    tet = lunar_new_year(2024)
    weekdays = [v for d, v in per_day.items() if d.weekday() < 5 and abs((d - tet).days) > 12]
    sundays = [v for d, v in per_day.items() if d.weekday() == 6 and abs((d - tet).days) > 12]
    assert sum(sundays) / len(sundays) < 0.85 * sum(weekdays) / len(weekdays)
    assert per_day.get(tet + dt.timedelta(days=1), 0) < 0.2 * sum(weekdays) / len(weekdays)
    # the fruit harvest: longan and lychee cross in summer, not in winter
    fruit = GoodsLine.objects.filter(declaration__in=crossed, hs_code__in=("08109010", "08109020"))
    summer = fruit.filter(declaration__yard_in_at__month__in=(6, 7, 8)).count()
    winter = fruit.filter(declaration__yard_in_at__month__in=(12, 1, 2)).count()
    assert summer > 3 * winter


def test_fees_and_receipts_are_gapless_per_series_and_year(generated):
    from cuakhau.core.models import AuditEvent
    from cuakhau.fees.models import FeeAssessment, Receipt, ReceiptSeries
    from cuakhau.fees.selectors import verify_sequence
    from cuakhau.traffic.models import Declaration

    crossed = Declaration.objects.filter(note="[synthetic]", status="completed")
    assessments = FeeAssessment.objects.filter(source="traffic.synthetic")
    assert assessments.count() == crossed.count() == crossed.exclude(fee_assessment=None).count()
    assert not assessments.filter(status="due").exists()
    assert verify_sequence(year=2024) == []
    for series in ReceiptSeries.objects.filter(year=2024):
        numbers = Receipt.objects.filter(series=series).aggregate(
            lo=Min("number"), hi=Max("number"), n=Count("id")
        )
        assert (numbers["lo"], numbers["hi"], numbers["n"]) == (1, series.last_number, series.last_number)
    paid = assessments.filter(status="paid").aggregate(s=Sum("amount"))["s"]
    assert Receipt.objects.aggregate(s=Sum("amount"))["s"] == paid > 0
    # one audit event per generator run, not one per row
    for action in ("traffic.trips.generate", "fees.receipts.generate"):
        assert AuditEvent.objects.filter(action=action).count() == 1
    assert AuditEvent.objects.filter(action="fees.assessment.assess").count() == 0


def test_trade_statistics_and_the_report_read_the_generated_year(generated):
    from cuakhau.reports import figures
    from cuakhau.trade.models import ComputedTurnover, Series, StatRollup
    from cuakhau.trade.periods import Period

    series = Series.objects.get(code="synthetic_customs")
    assert StatRollup.objects.filter(series=series, month__year=2024).exists()  # rollups refreshed
    assert ComputedTurnover.objects.filter(month__year=2024, by_enterprise=False).count() > 100
    figs = figures.for_period(Period.quarter(2024, 3))
    assert figs.computed_total is not None and Decimal(figs.computed_total.amount) > 0
    assert figs.fee_revenue.origin == "fees"


def test_a_range_is_not_written_twice_and_unknown_names_are_refused(generated):
    from cuakhau.traffic.models import Declaration

    before = Declaration.objects.count()
    out = _generate("--until", "2024", "--only", "traffic")
    assert "kept" in out and Declaration.objects.count() == before
    with pytest.raises(CommandError, match="no generator nope"):
        call_command("demo", "generate", "--only", "nope", stdout=io.StringIO())
