import pytest

from cuakhau.core.context import acting_as


@pytest.fixture
def reference_data(db):
    """The real reference data the product ships: the zone's units and the 9 Lạng Sơn gates."""
    from cuakhau.core.reference import load_units
    from cuakhau.gates.reference import load_gates

    with acting_as(None, channel="cli"):
        load_units()
        load_gates()


@pytest.fixture
def demo_data(reference_data):
    from cuakhau.core.reference import load_demo_users

    with acting_as(None, channel="cli"):
        load_demo_users()


@pytest.fixture(autouse=True)
def _fresh_working_calendar():
    """The working calendar caches each year's days in memory; no test may see another's."""
    from cuakhau.core.workcal.calendar import reset_cache

    reset_cache()
    yield
    reset_cache()


@pytest.fixture(autouse=True)
def _vietnamese():
    """Each test starts in Vietnamese: a request in another language leaves its language active in the
    thread (LocaleMiddleware does not reset it), which must not leak into the next test."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()
