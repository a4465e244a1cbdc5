"""core.sequences.take_next: the one way numbers are taken from a counter row."""

import datetime as dt

import pytest
from django.db import transaction

from cuakhau.core import sequences
from cuakhau.procedures.models import DossierCounter

pytestmark = pytest.mark.django_db(transaction=True)
DAY = dt.date(2026, 11, 26)


def take(**kw):
    with transaction.atomic():
        return sequences.take_next(DossierCounter, key={"agency_code": "A", "day": DAY}, **kw)


def test_numbers_follow_on_from_a_created_row():
    assert take(create=True) == {"last_number": 1}
    assert take(create=True)["last_number"] == 2
    assert DossierCounter.objects.get(agency_code="A", day=DAY).last_number == 2
    other = dt.date(2026, 11, 27)
    with transaction.atomic():
        assert sequences.take_next(DossierCounter, key={"agency_code": "A", "day": other}, create=True) == {
            "last_number": 1
        }


def test_a_missing_row_is_none_unless_created():
    assert take() is None
    assert not DossierCounter.objects.exists()


def test_a_rollback_gives_the_number_back():
    take(create=True)
    with pytest.raises(RuntimeError, match="boom"), transaction.atomic():
        assert sequences.take_next(DossierCounter, key={"agency_code": "A", "day": DAY})["last_number"] == 2
        raise RuntimeError("boom")
    assert take()["last_number"] == 2


def test_the_limit_stops_the_counter_and_fields_come_back():
    DossierCounter.objects.create(agency_code="A", day=DAY, last_number=9)
    assert take(limit=10, returning=["agency_code"]) == {"last_number": 10, "agency_code": "A"}
    assert take(limit=10) is None
    assert DossierCounter.objects.get().last_number == 10


def test_it_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        sequences.take_next(DossierCounter, key={"agency_code": "A", "day": DAY}, create=True)
