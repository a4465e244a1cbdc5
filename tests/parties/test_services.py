"""Services: what they accept, what they refuse (and that a refusal changes nothing), their audit."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent, Unit
from cuakhau.core.roles import Role, UnitKind
from cuakhau.parties import services
from cuakhau.parties.models import AgencyMandate, Driver, Enterprise, IdKind, Vehicle, VehicleKind
from tests.factories import DriverFactory, EnterpriseFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

# The vectors of ../shared/data/tax_codes.csv (copied: the suite does not read ../shared).
TAX_CODES = [
    ("0100233488", True, "10-digit enterprise code with a correct check digit"),
    ("0314409058-002", True, "branch (dependent unit) code: 10 digits + 3-digit suffix"),
    ("0100233480", False, "wrong check digit"),
    ("0314409058-000", False, "branch suffix 000 is not allowed"),
    ("01002334", False, "too short"),
]
REFUSAL_REASON = {
    "0100233480": "chữ số kiểm tra",
    "0314409058-000": "001 đến 999",
    "01002334": "10 chữ số",
}


@pytest.mark.parametrize(("tax_code", "valid", "why"), TAX_CODES)
def test_tax_codes_from_the_shared_vectors(tax_code, valid, why):
    if valid:
        enterprise = services.enterprise_register(actor=None, tax_code=tax_code, name=f"Công ty {why}")
        assert enterprise.tax_code == tax_code
        assert enterprise.unit.kind == UnitKind.ENTERPRISE
        assert enterprise.unit.code == f"dn-{tax_code}"
        assert enterprise.is_branch == ("-" in tax_code)
    else:
        with pytest.raises(ServiceError) as exc:
            services.enterprise_register(actor=None, tax_code=tax_code, name="Công ty X")
        assert exc.value.field == "tax_code"
        assert REFUSAL_REASON[tax_code] in exc.value.messages[0]
        assert not Enterprise.objects.exists() and not Unit.objects.filter(kind=UnitKind.ENTERPRISE).exists()


def test_tax_code_is_normalised_so_two_spellings_are_one_enterprise():
    enterprise = services.enterprise_register(actor=None, tax_code=" 0314409058002 ", name="Chi nhánh A")
    assert enterprise.tax_code == "0314409058-002"
    with pytest.raises(ServiceError, match="đã được đăng ký") as exc:
        services.enterprise_register(actor=None, tax_code="0314409058 - 002", name="Chi nhánh B")
    assert exc.value.field == "tax_code"


def test_enterprise_register_writes_one_event_and_links_an_existing_unit():
    unit = UnitFactory(code="dn-x", kind=UnitKind.ENTERPRISE)
    enterprise = services.enterprise_register(
        actor=None, tax_code="0100233488", name="Công ty Demo", unit=unit, is_customs_agent=True
    )
    assert enterprise.unit == unit and enterprise.is_customs_agent
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["parties.enterprise.register"]
    with pytest.raises(ServiceError, match="đã gắn") as exc:
        services.enterprise_register(actor=None, tax_code="0314409058-002", name="Khác", unit=unit)
    assert exc.value.field == "unit"


def test_enterprise_register_refuses_a_unit_that_is_not_an_enterprise():
    with pytest.raises(ServiceError) as exc:
        services.enterprise_register(
            actor=None, tax_code="0100233488", name="X", unit=UnitFactory(kind=UnitKind.GATE_CENTRE)
        )
    assert exc.value.field == "unit"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "  "}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "abc"}, "phone"),
        ({"tax_code": "0100233480"}, "tax_code"),
    ],
)
def test_enterprise_update_refusals_change_nothing(data, field):
    enterprise = EnterpriseFactory(name="Tên cũ")
    with pytest.raises(ServiceError) as exc:
        services.enterprise_update(actor=None, enterprise=enterprise, **data)
    assert exc.value.field == field
    enterprise.refresh_from_db()
    assert enterprise.name == "Tên cũ"
    assert not AuditEvent.objects.exists()


def test_enterprise_update_follows_into_the_unit_and_audits_before_after():
    enterprise = EnterpriseFactory(name="Tên cũ")
    services.enterprise_update(
        actor=None, enterprise=enterprise, **{"name": "Tên mới", "tax_code": "0314409058002"}
    )
    enterprise.refresh_from_db()
    assert enterprise.tax_code == "0314409058-002" and enterprise.unit.name == "Tên mới"
    assert enterprise.unit.tax_code == "0314409058002"
    event = AuditEvent.objects.get(action="parties.enterprise.update")
    assert event.before["name"] == "Tên cũ" and event.after["name"] == "Tên mới"
    services.enterprise_update(actor=None, enterprise=enterprise, **{"name": "Tên mới"})
    assert AuditEvent.objects.filter(action="parties.enterprise.update").count() == 1  # no change, no event


# --- mandates ------------------------------------------------------------------------------------


def test_mandate_grant_and_revoke():
    agent = EnterpriseFactory(is_customs_agent=True)
    client = EnterpriseFactory()
    today = timezone.localdate()
    mandate = services.mandate_grant(
        actor=None, agent=agent, client=client, valid_from=today, valid_to=None, reference="HĐ 1"
    )
    assert mandate.is_valid_on(today)
    assert AgencyMandate.objects.valid_on(today).count() == 1
    with pytest.raises(ServiceError, match="trong thời gian đó"):
        services.mandate_grant(
            actor=None, agent=agent, client=client, valid_from=today + datetime.timedelta(days=10)
        )
    with pytest.raises(ServiceError) as exc:
        services.mandate_revoke(actor=None, mandate=mandate, reason=" ")
    assert exc.value.field == "reason"
    services.mandate_revoke(actor=None, mandate=mandate, reason="Hết hợp tác")
    assert AgencyMandate.objects.valid_on(today).count() == 0
    with pytest.raises(ServiceError, match="đã chấm dứt"):
        services.mandate_revoke(actor=None, mandate=mandate, reason="Lần hai")
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "parties.mandate.grant",
        "parties.mandate.revoke",
    ]


def test_mandate_refusals():
    agent = EnterpriseFactory(is_customs_agent=True)
    not_agent = EnterpriseFactory()
    today = timezone.localdate()
    with pytest.raises(ServiceError) as exc:
        services.mandate_grant(actor=None, agent=not_agent, client=agent, valid_from=today)
    assert exc.value.field == "agent"
    with pytest.raises(ServiceError) as exc:
        services.mandate_grant(actor=None, agent=agent, client=agent, valid_from=today)
    assert exc.value.field == "client"
    with pytest.raises(ServiceError) as exc:
        services.mandate_grant(
            actor=None,
            agent=agent,
            client=not_agent,
            valid_from=today,
            valid_to=today - datetime.timedelta(days=1),
        )
    assert exc.value.field == "valid_to"
    assert not AgencyMandate.objects.exists()


def test_an_agent_with_a_valid_mandate_cannot_drop_its_agent_status():
    agent = EnterpriseFactory(is_customs_agent=True)
    services.mandate_grant(
        actor=None, agent=agent, client=EnterpriseFactory(), valid_from=timezone.localdate()
    )
    with pytest.raises(ServiceError) as exc:
        services.enterprise_update(actor=None, enterprise=agent, **{"is_customs_agent": False})
    assert exc.value.field == "is_customs_agent"


# --- vehicles ------------------------------------------------------------------------------------


def test_vehicle_register_normalises_and_audits():
    owner = EnterpriseFactory()
    vehicle = services.vehicle_register(
        actor=None, plate="12c 123.45", kind=VehicleKind.TRUCK, tonnage="15,5", owner=owner
    )
    assert (vehicle.plate, vehicle.plate_key, vehicle.country) == ("12C-123.45", "12C12345", "VN")
    assert vehicle.tonnage == Decimal("15.50") and not vehicle.is_trailer
    event = AuditEvent.objects.get(action="parties.vehicle.register")
    assert event.after["plate_key"] == "12C12345"


@pytest.mark.parametrize("again", ["12C12345", "12C-123.45", "12C 123.45", "12c-123 45"])
def test_a_plate_is_registered_once_whatever_its_spelling(again):
    services.vehicle_register(actor=None, plate="12C-123.45", kind=VehicleKind.TRUCK)
    with pytest.raises(ServiceError, match="đã được đăng ký") as exc:
        services.vehicle_register(actor=None, plate=again, kind=VehicleKind.TRUCK)
    assert exc.value.field == "plate"
    assert Vehicle.objects.count() == 1


def test_guangxi_spellings_are_one_vehicle():
    services.vehicle_register(actor=None, plate="桂F·12345", kind=VehicleKind.TRUCK)
    with pytest.raises(ServiceError, match="đã được đăng ký"):
        services.vehicle_register(actor=None, plate="GX-F12345", kind=VehicleKind.TRUCK)
    assert Vehicle.objects.get().country == "CN"


def test_vehicle_update_cannot_take_another_vehicles_plate():
    services.vehicle_register(actor=None, plate="12C-123.45", kind=VehicleKind.TRUCK)
    other = services.vehicle_register(actor=None, plate="12C-543.21", kind=VehicleKind.TRUCK)
    with pytest.raises(ServiceError) as exc:
        services.vehicle_update(actor=None, vehicle=other, **{"plate": "12C12345"})
    assert exc.value.field == "plate"
    other.refresh_from_db()
    assert other.plate_key == "12C54321"


@pytest.mark.parametrize(
    ("plate", "kind", "tonnage", "field"),
    [
        ("12C-ABC.DE", VehicleKind.TRUCK, None, "plate"),
        ("", VehicleKind.TRUCK, None, "plate"),
        ("12C-123.45", "boat", None, "kind"),
        ("12C-123.45", VehicleKind.SEMI_TRAILER, None, "kind"),  # a trailer needs an R or 挂 plate
        ("12R-001.23", VehicleKind.TRUCK, None, "kind"),  # an R plate is a trailer's
        ("桂F·1234挂", VehicleKind.TRACTOR, None, "kind"),
        ("12C-123.45", VehicleKind.TRUCK, "-1", "tonnage"),
        ("12C-123.45", VehicleKind.TRUCK, "nhiều", "tonnage"),
        ("12C-123.45", VehicleKind.TRUCK, "1000", "tonnage"),
    ],
)
def test_vehicle_refusals(plate, kind, tonnage, field):
    with pytest.raises(ServiceError) as exc:
        services.vehicle_register(actor=None, plate=plate, kind=kind, tonnage=tonnage)
    assert exc.value.field == field
    assert not Vehicle.objects.exists() and not AuditEvent.objects.exists()


def test_trailers():
    vn = services.vehicle_register(actor=None, plate="12R-001.23", kind=VehicleKind.SEMI_TRAILER)
    cn = services.vehicle_register(actor=None, plate="桂F1234挂", kind=VehicleKind.TRAILER)
    assert vn.is_trailer and cn.is_trailer and cn.plate == "桂F·1234挂"


# --- drivers ---------------------------------------------------------------------------------------


def test_driver_register_checks_the_document_and_keeps_the_number_out_of_the_log():
    driver = services.driver_register(
        actor=None,
        full_name="  Hà   Văn Sơn ",
        id_kind=IdKind.CCCD,
        id_number="020 085 001 234",
        phone="0912 345 678",
    )
    assert (
        driver.full_name == "Hà Văn Sơn" and driver.id_number == "020085001234" and driver.nationality == "VN"
    )
    event = AuditEvent.objects.get(action="parties.driver.register")
    assert event.after["id_number_masked"] == "0200******34"
    assert "020085001234" not in str(event.after) and "020085001234" not in event.object_repr


def test_chinese_id_is_checked_with_its_check_digit():
    driver = services.driver_register(
        actor=None, full_name="黄志强", id_kind=IdKind.CN_ID, id_number="452101198003151239"
    )
    assert driver.nationality == "CN"
    with pytest.raises(ServiceError) as exc:
        services.driver_register(
            actor=None, full_name="李", id_kind=IdKind.CN_ID, id_number="452101198003151238"
        )
    assert exc.value.field == "id_number"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"full_name": " "}, "full_name"),
        ({"id_number": "12345"}, "id_number"),  # a CCCD has 12 digits
        ({"id_number": "999085001234"}, "id_number"),  # province 999 does not exist
        ({"nationality": "CN"}, "nationality"),  # a CCCD is Vietnamese
        ({"id_kind": IdKind.PASSPORT, "id_number": "C1234567", "nationality": ""}, "nationality"),
        ({"id_kind": IdKind.PASSPORT, "id_number": "C1234567", "nationality": "XX"}, "nationality"),
        ({"id_kind": IdKind.PASSPORT, "id_number": "C-12#", "nationality": "CN"}, "id_number"),
        ({"id_kind": "licence"}, "id_kind"),
        ({"phone": "gọi tôi"}, "phone"),
    ],
)
def test_driver_refusals(data, field):
    values = {
        "full_name": "Lái xe",
        "id_kind": IdKind.CCCD,
        "id_number": "020085001234",
        "nationality": "VN",
    } | data
    with pytest.raises(ServiceError) as exc:
        services.driver_register(actor=None, **values)
    assert exc.value.field == field
    assert not Driver.objects.exists()


def test_one_document_one_driver_and_the_message_does_not_repeat_the_number():
    services.driver_register(
        actor=None, full_name="A", id_kind=IdKind.PASSPORT, id_number="e1234567", nationality="CN"
    )
    with pytest.raises(ServiceError) as exc:
        services.driver_register(
            actor=None, full_name="B", id_kind=IdKind.PASSPORT, id_number="E1234567", nationality="CN"
        )
    assert exc.value.field == "id_number" and "E1234567" not in exc.value.messages[0]
    # The same passport number from another country is another document.
    services.driver_register(
        actor=None, full_name="C", id_kind=IdKind.PASSPORT, id_number="E1234567", nationality="LA"
    )


def test_driver_user_link_must_be_a_driver_account_and_only_once():
    account = UserFactory(role=Role.DRIVER)
    services.driver_register(
        actor=None, full_name="A", id_kind=IdKind.CCCD, id_number="020085001234", user=account
    )
    with pytest.raises(ServiceError) as exc:
        services.driver_register(
            actor=None, full_name="B", id_kind=IdKind.CCCD, id_number="020085001235", user=account
        )
    assert exc.value.field == "user"
    with pytest.raises(ServiceError) as exc:
        services.driver_register(
            actor=None,
            full_name="C",
            id_kind=IdKind.CCCD,
            id_number="020085001236",
            user=UserFactory(role=Role.DEPARTMENT_STAFF),
        )
    assert exc.value.field == "user"


def test_driver_update_records_that_the_number_changed_not_the_number():
    driver = DriverFactory(id_number="020085001234")
    services.driver_update(actor=None, driver=driver, **{"id_number": "020085009999"})
    event = AuditEvent.objects.get(action="parties.driver.update")
    assert event.after["id_number_changed"] is True
    assert "020085009999" not in str(event.after) and "020085001234" not in str(event.before)


# --- who may: each service checks its own permission (actor None is the system) ------------------


def test_services_refuse_a_role_that_may_not_register(world):
    operator = world.users["gate_operator"]
    calls = [
        lambda: services.enterprise_register(actor=operator, tax_code="0314409058-002", name="X"),
        lambda: services.vehicle_register(actor=operator, plate="12C-999.99", kind=VehicleKind.TRUCK),
        lambda: services.driver_register(
            actor=operator, full_name="X", id_kind=IdKind.CCCD, id_number="020085009999"
        ),
        lambda: services.mandate_grant(
            actor=operator, agent=world.c, client=world.b, valid_from=timezone.localdate()
        ),
    ]
    events = AuditEvent.objects.count()
    for call in calls:
        with pytest.raises(ServiceError) as exc:
            call()
        assert exc.value.status == 403
    assert AuditEvent.objects.count() == events
    assert not Vehicle.objects.filter(plate_key="12C99999").exists()


def test_an_enterprise_changes_only_its_own_records_and_not_the_boards_fields(world):
    user_b = world.users["user_b"]
    with pytest.raises(ServiceError) as exc:
        services.vehicle_update(actor=user_b, vehicle=world.vehicle_a, tonnage="9")
    assert exc.value.status == 403
    with pytest.raises(ServiceError) as exc:
        services.enterprise_update(actor=user_b, enterprise=world.b, is_customs_agent=True)
    assert (exc.value.status, exc.value.field) == (403, "is_customs_agent")
    services.enterprise_update(actor=user_b, enterprise=world.b, phone="0205 3851 234", is_active=True)
    world.b.refresh_from_db()
    assert world.b.phone == "0205 3851 234" and not world.b.is_customs_agent
    event = AuditEvent.objects.get(action="parties.enterprise.update")
    assert event.actor == user_b


def test_an_enterprise_names_only_an_owner_it_acts_for(world):
    user_b = world.users["user_b"]
    with pytest.raises(ServiceError) as exc:
        services.vehicle_register(actor=user_b, plate="12C-999.99", kind=VehicleKind.TRUCK)
    assert exc.value.field == "owner"
    with pytest.raises(ServiceError) as exc:
        services.vehicle_register(actor=user_b, plate="12C-999.99", kind=VehicleKind.TRUCK, owner=world.a)
    assert exc.value.field == "owner"
    vehicle = services.vehicle_register(
        actor=user_b, plate="12C-999.99", kind=VehicleKind.TRUCK, owner=world.b
    )
    assert vehicle.owner == world.b
    with pytest.raises(ServiceError) as exc:
        services.mandate_grant(actor=user_b, agent=world.c, client=world.a, valid_from=timezone.localdate())
    assert (exc.value.status, exc.value.field) == (403, "client")


def test_only_the_board_links_a_drivers_account(world):
    account = UserFactory(role=Role.DRIVER)
    with pytest.raises(ServiceError) as exc:
        services.driver_update(actor=world.users["user_b"], driver=world.driver_b, user=account)
    assert (exc.value.status, exc.value.field) == (403, "user")
    services.driver_update(actor=world.users["department_staff"], driver=world.driver_b, user=account)
    world.driver_b.refresh_from_db()
    assert world.driver_b.user == account


def test_own_enterprise_is_the_users_active_enterprise(world):
    from cuakhau.parties.selectors import own_enterprise

    assert own_enterprise(world.users["user_a"]) == world.a
    assert own_enterprise(world.users["department_staff"]) is None
    Enterprise.objects.filter(pk=world.a.pk).update(is_active=False)
    assert own_enterprise(world.users["user_a"]) is None
