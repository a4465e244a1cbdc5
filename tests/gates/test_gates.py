"""The gates register: pages, edits by the Board's departments, API."""

import pytest

from cuakhau.core.models import AuditEvent
from cuakhau.core.roles import Role
from cuakhau.gates.models import Gate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_gates_page_lists_the_nine_lang_son_gates(client, reference_data):
    client.force_login(UserFactory(role=Role.ENTERPRISE_USER))
    html = client.get("/gates/").content.decode()
    for name in [
        "Cửa khẩu quốc tế Hữu Nghị",
        "Cửa khẩu Tân Thanh",
        "Cửa khẩu chính Chi Ma",
        "Cửa khẩu Cốc Nam",
        "Ga đường sắt liên vận quốc tế Đồng Đăng",
        "Bình Nghi",
        "Na Hình",
        "Nà Nưa",
        "1119-1120",
    ]:
        assert name in html
    assert "Youyiguan (友谊关)" in html
    assert "870" in html


def test_gate_detail_shows_pair_route_and_units(client, reference_data):
    client.force_login(UserFactory(role=Role.GATE_OPERATOR))
    html = client.get("/gates/HUUNGHI/").content.decode()
    assert "Youyiguan" in html and "Specialised freight road markers 1119-1120" not in html
    assert "Chi cục Hải quan cửa khẩu Hữu Nghị" in html
    assert "Đường chuyên dụng vận chuyển hàng hóa mốc 1119-1120" in html
    assert client.get("/gates/NOPE/").status_code == 404


def test_department_staff_edits_a_gate_and_it_is_audited(client, reference_data):
    staff = UserFactory(role=Role.DEPARTMENT_STAFF)
    client.force_login(staff)
    gate = Gate.objects.get(code="CHIMA")
    form = client.get("/gates/CHIMA/edit/")
    assert form.status_code == 200
    data = {
        "code": "CHIMA",
        "name": gate.name,
        "name_en": gate.name_en,
        "kind": gate.kind,
        "mode": gate.mode,
        "paired_gate_cn": gate.paired_gate_cn,
        "daily_vehicles": "240",
        "sort_order": "50",
        "is_active": "on",
        "notes": "Cập nhật 2026",
        "units": list(gate.units.values_list("pk", flat=True)),
    }
    response = client.post("/gates/CHIMA/edit/", data)
    assert response.status_code == 302
    gate.refresh_from_db()
    assert gate.daily_vehicles == 240
    event = AuditEvent.objects.filter(action="gates.gate.update", object_id=str(gate.pk)).latest("id")
    assert event.actor == staff
    assert event.before["daily_vehicles"] == 230 and event.after["daily_vehicles"] == 240


def test_bad_gate_input_names_the_field_and_changes_nothing(client, reference_data):
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    count = Gate.objects.count()
    response = client.post(
        "/gates/new/", {"code": "bad code!", "name": "X", "kind": "main", "mode": "road", "sort_order": "1"}
    )
    assert response.status_code == 400
    assert "Mã cửa khẩu" in response.content.decode() or "code" in response.content.decode()
    response = client.post(
        "/gates/new/", {"code": "HUUNGHI", "name": "X", "kind": "main", "mode": "road", "sort_order": "1"}
    )
    assert response.status_code == 400
    response = client.post(
        "/gates/new/",
        {
            "code": "NEW_GATE",
            "name": "X",
            "kind": "main",
            "mode": "road",
            "sort_order": "1",
            "latitude": "95",
        },
    )
    assert response.status_code == 400 and "Vĩ độ" in response.content.decode()
    assert Gate.objects.count() == count


def test_department_staff_adds_a_gate(client, reference_data):
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    response = client.post(
        "/gates/new/",
        {
            "code": "LOI_MO_X",
            "name": "Lối mở X",
            "kind": "border_opening",
            "mode": "road",
            "sort_order": "90",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Gate.objects.filter(code="LOI_MO_X").exists()


@pytest.mark.parametrize(
    "role", [Role.GATE_OPERATOR, Role.ENTERPRISE_USER, Role.INSPECTOR, Role.BOARD_LEADER]
)
def test_other_roles_cannot_edit_gates(client, reference_data, role):
    client.force_login(UserFactory(role=role))
    assert client.get("/gates/CHIMA/edit/").status_code == 404
    assert client.get("/gates/new/").status_code == 404
    assert client.post("/gates/CHIMA/edit/", {"code": "CHIMA", "name": "Hacked"}).status_code == 404
    assert Gate.objects.get(code="CHIMA").name == "Cửa khẩu chính Chi Ma"


def test_gates_api(client, reference_data):
    client.force_login(UserFactory(role=Role.DRIVER, unit=None))
    data = client.get("/api/v1/gates/").json()
    assert len(data) == 9
    route = client.get("/api/v1/gates/ROUTE_1119_1120").json()
    assert route["parent"] == "HUUNGHI" and route["kind"] == "specialised_route"
