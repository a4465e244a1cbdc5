import pytest

from cuakhau.core.context import acting_as


@pytest.fixture
def tariffs(db):
    """Both tariffs the product ships (Cao Bằng 39/2019, Lạng Sơn 09/2025), loaded as `reference load` does."""
    from cuakhau.fees.reference import load_tariffs

    with acting_as(None, channel="cli"):
        load_tariffs()
