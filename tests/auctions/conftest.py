import pytest

from cuakhau.core.context import acting_as


@pytest.fixture(autouse=True)
def _auction_clock():
    """The auction clock is module state; every test starts and ends at real server time."""
    from cuakhau.auctions import clock

    clock.reset()
    yield
    clock.reset()


@pytest.fixture
def packs(reference_data):
    from cuakhau.auctions.rules import load_rule_packs

    with acting_as(None, channel="cli"):
        load_rule_packs()


@pytest.fixture
def staff(packs):
    from cuakhau.core.models import Unit
    from cuakhau.core.roles import Role
    from tests.factories import UserFactory

    return UserFactory(role=Role.DEPARTMENT_STAFF, unit=Unit.objects.get(code="phong-ke-hoach"))


@pytest.fixture
def board(staff):
    """Acting as the department's staff member for the services' audit events."""
    with acting_as(staff, channel="web"):
        yield staff


@pytest.fixture
def firms(db):
    from tests.factories import EnterpriseFactory

    return [EnterpriseFactory() for _ in range(3)]
