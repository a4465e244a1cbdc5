import pytest

from cuakhau.core.models import Unit
from cuakhau.core.roles import Role
from tests.factories import (
    EnterpriseFactory,
    GateFactory,
    UserFactory,
    enterprise_user,
    user_at_gate,
)


class World:
    """The zone's real units; a gate centre (Hữu Nghị) that leads tasks and actions, another (Tân Thanh)
    that cooperates, a third (Cốc Nam) with nothing; one user per role."""


@pytest.fixture
def world(reference_data):
    w = World()
    w.planning = Unit.objects.get(code="phong-ke-hoach")
    w.huu_nghi = Unit.objects.get(code="ttqlck-huu-nghi")
    w.tan_thanh = Unit.objects.get(code="ttqlck-tan-thanh")
    w.coc_nam = Unit.objects.get(code="ttqlck-coc-nam")
    enterprise = EnterpriseFactory()
    w.users = {
        "board_leader": UserFactory(role=Role.BOARD_LEADER, unit=Unit.objects.get(code="ban-lanh-dao")),
        "department_staff": UserFactory(role=Role.DEPARTMENT_STAFF, unit=w.planning),
        "admin": UserFactory(role=Role.ADMIN, unit=Unit.objects.get(code="van-phong")),
        "inspector": UserFactory(role=Role.INSPECTOR, unit=w.planning),
        "provincial_leader": UserFactory(
            role=Role.PROVINCIAL_LEADER, unit=Unit.objects.get(code="ubnd-tinh")
        ),
        "huu_nghi": UserFactory(role=Role.GATE_OPERATOR, unit=w.huu_nghi),
        "tan_thanh": UserFactory(role=Role.GATE_CASHIER, unit=w.tan_thanh),
        "coc_nam": UserFactory(role=Role.GATE_OPERATOR, unit=w.coc_nam),
        "agency": user_at_gate(Role.AGENCY_OFFICER, GateFactory()),
        "enterprise": enterprise_user(enterprise),
        "driver": UserFactory(role=Role.DRIVER, unit=enterprise.unit),
    }
    return w


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
