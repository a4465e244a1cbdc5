"""The permission matrix: every role against every page and endpoint of the foundation.
An object or page out of a role's scope answers 404 (not 403), so that its existence does not leak.
Later modules add their rows here."""

import pytest

from cuakhau.core.models import Unit
from cuakhau.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

R = Role
ALL = set(Role.values)
BOARD_MANAGERS = {R.ADMIN, R.BOARD_LEADER, R.DEPARTMENT_STAFF}

# url -> the roles that get 200; every other role gets 404 (or, for /admin/, a redirect to its login)
PAGES = {
    "/": ALL,
    "/gates/": ALL,
    "/gates/HUUNGHI/": ALL,
    "/gates/HUUNGHI/edit/": {R.ADMIN, R.DEPARTMENT_STAFF},
    "/gates/new/": {R.ADMIN, R.DEPARTMENT_STAFF},
    "/tokens/": BOARD_MANAGERS,
    "/users/": {R.ADMIN},
    "/api/v1/gates/": ALL,
    "/api/v1/gates/CHIMA": ALL,
    "/api/v1/core/me": ALL,
}

UNIT_FOR_ROLE = {
    R.BOARD_LEADER: "ban-lanh-dao",
    R.DEPARTMENT_STAFF: "phong-ke-hoach",
    R.GATE_OPERATOR: "ttqlck-huu-nghi",
    R.GATE_CASHIER: "ttqlck-huu-nghi",
    R.AGENCY_OFFICER: "hq-huu-nghi",
    R.INSPECTOR: "phong-ke-hoach",
    R.PROVINCIAL_LEADER: "ubnd-tinh",
    R.ADMIN: "van-phong",
}


@pytest.fixture
def users(reference_data):
    made = {}
    for role in Role.values:
        unit = Unit.objects.get(code=UNIT_FOR_ROLE[role]) if role in UNIT_FOR_ROLE else None
        made[role] = UserFactory(role=role, unit=unit) if unit else UserFactory(role=role)
    return made


@pytest.mark.parametrize("url", list(PAGES))
def test_matrix(client, users, url):
    for role, user in users.items():
        client.force_login(user)
        status = client.get(url).status_code
        expected = 200 if role in PAGES[url] else 404
        assert status == expected, f"{role} GET {url}: {status}, expected {expected}"


def test_django_admin_is_for_admins_only(client, users):
    client.force_login(users[R.ADMIN])
    assert client.get("/admin/").status_code == 200
    for role in ALL - {R.ADMIN}:
        client.force_login(users[role])
        assert client.get("/admin/").status_code == 302, role


def test_anonymous_gets_login_or_401(client, reference_data):
    for url in PAGES:
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        else:
            assert response.status_code == 302 and "/login/" in response["Location"], url


def test_traffic_matrix(client, users):
    """Traffic pages and endpoints: a declaration at Hữu Nghị by enterprise A. Another enterprise's user
    and another driver get 404, like roles the page is not for; A's user and A's driver see it."""
    from django.utils import timezone

    from cuakhau.gates.models import Gate
    from cuakhau.parties.models import IdKind, VehicleKind
    from cuakhau.parties.services import driver_register, vehicle_register
    from cuakhau.traffic import services as traffic
    from tests.factories import EnterpriseFactory, enterprise_user, goods_line

    a = EnterpriseFactory(name="Công ty A")
    user_a = enterprise_user(a)
    driver_user = UserFactory(role=R.DRIVER, unit=a.unit)
    vehicle = vehicle_register(plate="12C-777.77", kind=VehicleKind.TRUCK, owner=a)
    driver = driver_register(
        full_name="Lái xe A", id_kind=IdKind.CCCD, id_number="020085007777", employer=a, user=driver_user
    )
    d = traffic.declaration_create(
        actor=user_a,
        enterprise=a,
        vehicle=vehicle,
        driver=driver,
        gate=Gate.objects.get(code="HUUNGHI"),
        flow="export",
        planned_arrival=timezone.now() + timezone.timedelta(hours=2),
        lines=[goods_line()],
    )
    traffic.declaration_submit(actor=user_a, declaration=d)
    staff = ALL - {R.ENTERPRISE_USER, R.DRIVER}
    pages = {
        "/traffic/public/": ALL,
        f"/traffic/declarations/{d.pk}/": staff,
        f"/api/v1/traffic/declarations/{d.pk}": staff,
        "/traffic/board/HUUNGHI/": staff,
        "/traffic/yards/": staff - {R.PROVINCIAL_LEADER},
        "/traffic/checks/": {R.AGENCY_OFFICER, R.ADMIN},
        "/traffic/declarations/new/": {R.ENTERPRISE_USER},
        "/traffic/regulation/HUUNGHI/": {R.ADMIN, R.DEPARTMENT_STAFF, R.GATE_OPERATOR},
        "/traffic/exit-rules/": staff,
        "/api/v1/traffic/queue?gate=HUUNGHI": ALL,
    }
    for url, allowed in pages.items():
        for role, user in users.items():
            client.force_login(user)
            status = client.get(url).status_code
            expected = 200 if role in allowed else 404
            if url.startswith("/trade/?") and role == R.ENTERPRISE_USER:
                expected = 302  # to their own computed figures
            assert status == expected, f"{role} GET {url}: {status}, expected {expected}"
    for user in (user_a, driver_user):
        client.force_login(user)
        assert client.get(f"/traffic/declarations/{d.pk}/").status_code == 200
        assert client.get(f"/api/v1/traffic/declarations/{d.pk}").status_code == 200
    client.logout()
    assert client.get("/traffic/public/").status_code == 200
    assert client.get(f"/traffic/declarations/{d.pk}/").status_code == 302
    assert client.get(f"/api/v1/traffic/declarations/{d.pk}").status_code == 401


def test_plans_matrix(client, users):
    """Plans, directives and feedback on the demo year: the Board and the readers see everything; a gate
    centre's and an agency's staff see the tasks and actions their unit leads or cooperates on (the
    rest is 404); enterprises and drivers see none of it; feedback figures are for leaders only."""
    from cuakhau.core.context import acting_as
    from cuakhau.core.feedback import feedback_link
    from cuakhau.core.models import Unit
    from cuakhau.plans.demo import load_demo
    from cuakhau.plans.models import Action, Task

    with acting_as(None, channel="cli"):
        load_demo()
    fee_task = Task.objects.get(plan__year=2017, number=1)  # planning leads; Hữu Nghị centre cooperates
    trade_task = Task.objects.get(plan__year=2017, number=2)  # Hữu Nghị customs cooperates too
    zoning_task = Task.objects.get(plan__year=2017, number=7)  # Board departments only
    auction = Action.objects.get(number=1)  # planning and construction department
    staff_duty = Action.objects.get(number=4)  # the office, with the Hữu Nghị centre cooperating
    internal = ALL - {R.ENTERPRISE_USER, R.DRIVER}
    readers = BOARD_MANAGERS | {R.INSPECTOR, R.PROVINCIAL_LEADER}
    huu_nghi_centre = {R.GATE_OPERATOR, R.GATE_CASHIER}
    pages = {
        "/plans/": internal,
        "/plans/2017/": internal,
        "/plans/2018/": readers | huu_nghi_centre | {R.AGENCY_OFFICER},  # customs cooperates on one
        f"/plans/tasks/{fee_task.pk}/": readers | huu_nghi_centre,
        f"/plans/tasks/{trade_task.pk}/": readers | huu_nghi_centre | {R.AGENCY_OFFICER},
        f"/plans/tasks/{zoning_task.pk}/": readers,
        "/plans/2017/evaluation/": BOARD_MANAGERS,
        "/plans/new/": BOARD_MANAGERS,
        f"/plans/tasks/{fee_task.pk}/edit/": BOARD_MANAGERS,
        "/plans/units/ttqlck-huu-nghi/": readers | huu_nghi_centre,
        "/plans/units/phong-quy-hoach/": readers,
        "/plans/directives/": internal,
        f"/plans/directives/{auction.directive_id}/": readers | huu_nghi_centre,
        "/plans/actions/": internal,
        f"/plans/actions/{auction.pk}/": readers,
        f"/plans/actions/{staff_duty.pk}/": readers | huu_nghi_centre,
        "/plans/notifications/": internal,
        "/plans/feedback/": {R.BOARD_LEADER, R.PROVINCIAL_LEADER, R.ADMIN},
        feedback_link("receipt", "MATRIX-1", Unit.objects.get(code="ttqlck-huu-nghi")): ALL,
        "/api/v1/plans/plans": internal,
        "/api/v1/plans/plans/2017/evaluation": internal,
        f"/api/v1/plans/tasks/{zoning_task.pk}": readers,
        f"/api/v1/plans/tasks/{fee_task.pk}": readers | huu_nghi_centre,
        f"/api/v1/plans/actions/{staff_duty.pk}": readers | huu_nghi_centre,
        f"/api/v1/plans/actions/{auction.pk}": readers,
    }
    for url, allowed in pages.items():
        for role, user in users.items():
            client.force_login(user)
            status = client.get(url).status_code
            expected = 200 if role in allowed else 404
            if url.startswith("/trade/?") and role == R.ENTERPRISE_USER:
                expected = 302  # to their own computed figures
            assert status == expected, f"{role} GET {url}: {status}, expected {expected}"
    # The units overview is the readers'; a unit's own staff are sent to their unit's page.
    for role, user in users.items():
        client.force_login(user)
        status = client.get("/plans/units/").status_code
        assert status == (200 if role in readers else 302 if role in internal else 404), role
    client.logout()
    assert client.get("/plans/").status_code == 302
    assert client.get("/api/v1/plans/plans").status_code == 401
    public = feedback_link("receipt", "MATRIX-2", Unit.objects.get(code="ttqlck-huu-nghi"))
    assert client.get(public).status_code == 200


def test_incidents_and_cooperation_matrix(client, users, settings, tmp_path):
    """Incidents: the Board and the read-only roles see all; the Hữu Nghị centre its gate's; customs
    the one handed to it; enterprises and drivers nothing. Cooperation: the Board and the read-only
    roles; the Hữu Nghị centre only the action it owns. The public form and lookup are open to all."""
    import datetime

    from django.utils import timezone

    from cuakhau.gates.models import Gate
    from cuakhau.incidents import services as incidents
    from tests.factories import agreement_with_commitment, incident_reported

    settings.MEDIA_ROOT = tmp_path
    huunghi, tanthanh = Gate.objects.get(code="HUUNGHI"), Gate.objects.get(code="TANTHANH")
    handed = incident_reported(huunghi, kind="smuggling")
    board = users[R.DEPARTMENT_STAFF]
    incidents.incident_triage(actor=board, incident=handed, kind="smuggling", severity="high", gate=huunghi)
    incidents.incident_hand(actor=board, incident=handed, force_kind="customs")
    elsewhere = incident_reported(tanthanh, kind="environment")
    agreement, own = agreement_with_commitment(
        Unit.objects.get(code="ttqlck-huu-nghi"), due_on=timezone.localdate() + datetime.timedelta(days=9)
    )
    readers = BOARD_MANAGERS | {R.INSPECTOR, R.PROVINCIAL_LEADER}
    centre = {R.GATE_OPERATOR, R.GATE_CASHIER}
    staff = ALL - {R.ENTERPRISE_USER, R.DRIVER}
    pages = {
        "/incidents/": staff,
        "/incidents/stats/": staff,
        "/incidents/stats/xlsx/": staff,
        "/incidents/new/": BOARD_MANAGERS | centre,
        f"/incidents/{handed.pk}/": readers | centre | {R.AGENCY_OFFICER},
        f"/incidents/{elsewhere.pk}/": readers,
        "/api/v1/incidents": staff,
        f"/api/v1/incidents/{handed.pk}": readers | centre | {R.AGENCY_OFFICER},
        f"/api/v1/incidents/{elsewhere.pk}": readers,
        "/incidents/report/": ALL,
        "/incidents/track/": ALL,
        "/cooperation/meetings/": readers,
        f"/cooperation/agreements/{agreement.pk}/": readers,
        "/cooperation/actions/": staff,
        f"/cooperation/actions/{own.pk}/": readers | centre,
        "/cooperation/meetings/new/": BOARD_MANAGERS,
        "/api/v1/cooperation/meetings": readers,
        f"/api/v1/cooperation/agreements/{agreement.pk}": readers,
        f"/api/v1/cooperation/actions/{own.pk}": readers | centre,
    }
    for url, allowed in pages.items():
        for role, user in users.items():
            client.force_login(user)
            status = client.get(url).status_code
            expected = 200 if role in allowed else 404
            if url.startswith("/trade/?") and role == R.ENTERPRISE_USER:
                expected = 302  # to their own computed figures
            assert status == expected, f"{role} GET {url}: {status}, expected {expected}"
    client.logout()
    assert client.get("/incidents/report/").status_code == 200
    assert client.get(f"/incidents/{handed.pk}/").status_code == 302
    assert client.get("/api/v1/incidents").status_code == 401
    assert client.get("/cooperation/").status_code == 302


def test_trade_and_reports_matrix(client, users):
    """Statistics: the Board, inspectors, provincial leaders and gate-bound roles read the imported
    series; enterprise users only their own computed figures; drivers nothing. Reports: the Board,
    inspectors and provincial leaders. Everyone else gets 404."""
    from cuakhau.trade.services import load_reference_series

    load_reference_series()
    readers = ALL - {R.ENTERPRISE_USER, R.DRIVER}
    board_readers = {R.ADMIN, R.BOARD_LEADER, R.DEPARTMENT_STAFF, R.INSPECTOR, R.PROVINCIAL_LEADER}
    pages = {
        "/trade/?kind=year&year=2017&series=all_through_gates": readers,
        "/trade/published/": readers,
        "/trade/imports/": readers,
        "/trade/computed/": readers | {R.ENTERPRISE_USER},
        "/trade/rates/": readers | {R.ENTERPRISE_USER},
        "/api/v1/trade/series/all_through_gates/summary?kind=year&year=2017": readers,
        "/api/v1/trade/computed/table?by=gate&kind=year&year=2017": readers | {R.ENTERPRISE_USER},
        "/reports/": board_readers,
        "/api/v1/reports/annual-figures?year=2017": board_readers,
    }
    for url, allowed in pages.items():
        for role, user in users.items():
            if role == R.ENTERPRISE_USER and user.unit_id is None:
                continue
            client.force_login(user)
            status = client.get(url).status_code
            expected = 200 if role in allowed else 404
            if url.startswith("/trade/?") and role == R.ENTERPRISE_USER:
                expected = 302  # to their own computed figures
            assert status == expected, f"{role} GET {url}: {status}, expected {expected}"


def test_procedures_matrix(client, users):
    """One-stop procedures: enterprise A's dossier is seen by A's user, the Board and inspectors; another
    enterprise's user, gate staff with no step of it, drivers and provincial leaders get 404. Figures
    for the Board, inspectors and provincial leaders; the catalogue and the lookup are public."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cuakhau.core.workcal.reference import load_holidays
    from cuakhau.procedures.catalogue import load_catalogue
    from tests.factories import EnterpriseFactory, dossier_online, enterprise_user

    load_holidays()
    load_catalogue()
    mine = EnterpriseFactory()
    dossier = dossier_online(mine, at=datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    board = {R.ADMIN, R.BOARD_LEADER, R.DEPARTMENT_STAFF}
    pages = {
        f"/procedures/dossiers/{dossier.pk}/": board | {R.INSPECTOR},
        f"/procedures/dossiers/{dossier.pk}/forms/06.pdf": set(),  # not received yet: no slip
        f"/api/v1/procedures/dossiers/{dossier.pk}": board | {R.INSPECTOR},
        "/procedures/dossiers/": board
        | {R.INSPECTOR, R.ENTERPRISE_USER, R.GATE_OPERATOR, R.GATE_CASHIER, R.AGENCY_OFFICER},
        "/procedures/figures/": board | {R.INSPECTOR, R.PROVINCIAL_LEADER},
        "/api/v1/procedures/figures": board | {R.INSPECTOR, R.PROVINCIAL_LEADER},
        "/procedures/dossiers/desk/": {R.ADMIN, R.DEPARTMENT_STAFF},
        "/procedures/catalogue/ld-cap-gpld/publish/": {R.ADMIN, R.DEPARTMENT_STAFF},
        "/procedures/catalogue/": ALL,
        "/procedures/lookup/": ALL,
    }
    for url, allowed in pages.items():
        for role, user in users.items():
            client.force_login(user)
            status = client.get(url).status_code
            assert status == (200 if role in allowed else 404), f"{role} GET {url}: {status}"
    client.force_login(enterprise_user(mine))
    assert client.get(f"/procedures/dossiers/{dossier.pk}/").status_code == 200
    client.logout()
    assert client.get("/procedures/catalogue/").status_code == 200
    assert client.get(f"/procedures/dossiers/{dossier.pk}/").status_code == 302


def test_assets_and_auctions_matrix(client, users):
    """Assets and auctions: the Board runs them, inspectors and provincial leaders read everything (the
    system log too), enterprise users see public auctions and their own registration, never another
    enterprise's; gate-bound roles and drivers get 404. Public notices and results need no sign-in."""
    from cuakhau.auctions import clock
    from cuakhau.auctions.rules import load_rule_packs
    from cuakhau.core.context import acting_as
    from tests.factories import EnterpriseFactory, auction_draft, auction_drive, enterprise_user

    clock.reset()
    try:
        with acting_as(users[R.DEPARTMENT_STAFF]):
            load_rule_packs()
            mine, other = EnterpriseFactory(), EnterpriseFactory()
            users[R.ENTERPRISE_USER] = enterprise_user(mine)
            draft = auction_draft(code="DG-MX-DRAFT")
            posted, regs = auction_drive(
                auction_draft(code="DG-MX"), until="registered", bidders=[mine, other]
            )
    finally:
        clock.reset()
    board = {R.ADMIN, R.BOARD_LEADER, R.DEPARTMENT_STAFF, R.INSPECTOR, R.PROVINCIAL_LEADER}
    pages = {
        "/assets/": board | {R.ENTERPRISE_USER},
        "/assets/leases/": board | {R.ENTERPRISE_USER},
        f"/assets/{posted.asset.code}/": board,
        f"/assets/plan/{posted.asset.gate.code}/": board,
        "/assets/new/": BOARD_MANAGERS,
        "/auctions/": board | {R.ENTERPRISE_USER},
        "/auctions/new/": BOARD_MANAGERS,
        "/auctions/rules/": board | {R.ENTERPRISE_USER},
        f"/auctions/{posted.code}/": board | {R.ENTERPRISE_USER},
        f"/auctions/{draft.code}/": board,
        f"/auctions/{posted.code}/log/": board,
        f"/auctions/{posted.code}/live/": board | {R.ENTERPRISE_USER},
        f"/auctions/{posted.code}/register/": {R.ENTERPRISE_USER},
        "/api/v1/auctions/": board | {R.ENTERPRISE_USER},
        f"/api/v1/auctions/{draft.code}": board,
        "/api/v1/assets/leases": board | {R.ENTERPRISE_USER},
        f"/api/v1/assets/{posted.asset.code}": board,
    }
    for url, allowed in pages.items():
        for role, user in users.items():
            client.force_login(user)
            status = client.get(url).status_code
            expected = 200 if role in allowed else 404
            assert status == expected, f"{role} GET {url}: {status}, expected {expected}"
    # another enterprise's registration never shows its identity
    client.force_login(users[R.ENTERPRISE_USER])
    page = client.get(f"/auctions/{posted.code}/").content.decode()
    assert mine.name in page and other.name not in page and regs[1].deposit_reference not in page
    client.logout()
    for url in ("/auctions/public/", "/auctions/public/results/", f"/auctions/public/{posted.code}/"):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/auctions/public/{draft.code}/").status_code == 404
    assert client.get("/auctions/").status_code == 302


def test_fees_collection_accounts_matrix(client, users):
    """The gate centres' collection accounts are kept by the Board's departments and admins; every other
    role, the Board's leaders and the Hữu Nghị centre's own staff included, gets 404 for the list, a
    centre's form and a non-centre unit's form alike."""
    keepers = {R.ADMIN, R.DEPARTMENT_STAFF}
    pages = {
        "/fees/payments/accounts/": keepers,
        "/fees/payments/accounts/ttqlck-huu-nghi/": keepers,
        "/fees/payments/accounts/phong-ke-hoach/": set(),  # not a collecting point
    }
    for url, allowed in pages.items():
        for role, user in users.items():
            client.force_login(user)
            status = client.get(url).status_code
            expected = 200 if role in allowed else 404
            assert status == expected, f"{role} GET {url}: {status}, expected {expected}"
    client.logout()
    assert client.get("/fees/payments/accounts/").status_code == 302
