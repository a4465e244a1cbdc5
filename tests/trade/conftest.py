import pytest

from cuakhau.core.context import acting_as


@pytest.fixture
def trade_data(reference_data):
    """The published series (turnover_series.csv) and the demo month statistics."""
    from cuakhau.trade.demo import load_demo
    from cuakhau.trade.reference import load_reference

    with acting_as(None, channel="cli"):
        load_reference()
        load_demo()
