import pytest

from cuakhau.core.models import Unit
from cuakhau.core.roles import Role
from cuakhau.gates.models import Gate
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(reference_data):
    """One user per role that matters here, in the real units of the Hữu Nghị gate (and one at Tân
    Thanh, to see that gates do not see each other's incidents)."""

    def unit(code):
        return Unit.objects.get(code=code)

    return {
        "operator": UserFactory(role=Role.GATE_OPERATOR, unit=unit("ttqlck-huu-nghi")),
        "cashier": UserFactory(role=Role.GATE_CASHIER, unit=unit("ttqlck-huu-nghi")),
        "other_operator": UserFactory(role=Role.GATE_OPERATOR, unit=unit("ttqlck-tan-thanh")),
        "customs": UserFactory(role=Role.AGENCY_OFFICER, unit=unit("hq-huu-nghi")),
        "border_guard": UserFactory(role=Role.AGENCY_OFFICER, unit=unit("bp-huu-nghi")),
        "department": UserFactory(role=Role.DEPARTMENT_STAFF, unit=unit("phong-ke-hoach")),
        "leader": UserFactory(role=Role.BOARD_LEADER, unit=unit("ban-lanh-dao")),
        "inspector": UserFactory(role=Role.INSPECTOR, unit=unit("phong-ke-hoach")),
        "province": UserFactory(role=Role.PROVINCIAL_LEADER, unit=unit("ubnd-tinh")),
        "enterprise": UserFactory(role=Role.ENTERPRISE_USER),
        "driver": UserFactory(role=Role.DRIVER),
    }


@pytest.fixture
def huunghi(reference_data):
    return Gate.objects.get(code="HUUNGHI")


@pytest.fixture
def tanthanh(reference_data):
    return Gate.objects.get(code="TANTHANH")
