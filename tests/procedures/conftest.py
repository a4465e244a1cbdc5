import pytest

from cuakhau.core.context import acting_as
from cuakhau.core.models import Unit
from cuakhau.core.roles import Role
from tests.factories import EnterpriseFactory, UserFactory, enterprise_user


@pytest.fixture
def catalogue(reference_data):
    """The Board's units, the official holidays (from the shipped copy of holidays_vn.csv) and the
    seeded procedure catalogue."""
    from cuakhau.core.workcal.reference import load_holidays
    from cuakhau.procedures.catalogue import load_catalogue

    with acting_as(None, channel="cli"):
        load_holidays()
        load_catalogue()


@pytest.fixture
def desk(catalogue):
    """A department officer at the one-stop desk (the Board's office)."""
    return UserFactory(
        role=Role.DEPARTMENT_STAFF, unit=Unit.objects.get(code="van-phong"), email="motcua@example.vn"
    )


@pytest.fixture
def leader(catalogue):
    return UserFactory(role=Role.BOARD_LEADER, unit=Unit.objects.get(code="ban-lanh-dao"))


@pytest.fixture
def enterprise(catalogue):
    return EnterpriseFactory(email="nhansu@example.vn")


@pytest.fixture
def applicant(enterprise):
    return enterprise_user(enterprise, email="nhansu@example.vn")
