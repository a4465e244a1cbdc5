"""Assets and leases: the register, the rent schedule with escalation, payments, overdue lists and
reminders, expiry warnings, the gate plan, scopes (404 outside) and the API."""

import datetime

import pytest
from django.utils import timezone

from cuakhau.assets import selectors, services
from cuakhau.assets.models import Asset, AssetKind, RentBasis
from cuakhau.assets.schedule import add_months
from cuakhau.core.context import acting_as, current
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import Unit
from cuakhau.core.roles import Role
from cuakhau.gates.models import Gate
from tests.factories import EnterpriseFactory, UserFactory, enterprise_user, land_plot

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(reference_data):
    user = UserFactory(role=Role.DEPARTMENT_STAFF, unit=Unit.objects.get(code="phong-ke-hoach"))
    with acting_as(user):
        yield user


def _lease(asset, lessee, *, start=datetime.date(2025, 1, 1), months=24, number="HĐ-1", actor=None, **kw):
    end = add_months(start, months) - datetime.timedelta(days=1)
    args = dict(rent_basis=RentBasis.PER_M2_MONTH, rent_rate=100_000, interval_months=3)
    args.update(kw)
    return services.lease_create(
        actor=actor or current().actor,
        number=number,
        asset=asset,
        lessee=lessee,
        signed_on=start,
        starts_on=start,
        ends_on=end,
        **args,
    )


def test_building_floors_spaces_and_plots(staff):
    gate = Gate.objects.get(code="HUUNGHI")
    building = services.asset_create(
        actor=staff, kind=AssetKind.BUILDING, code="B1", name="Nhà", gate=gate, area_m2="500"
    )
    space = services.asset_create(
        actor=staff,
        kind=AssetKind.SPACE,
        code="B1-101",
        name="P101",
        gate=gate,
        parent=building,
        floor=1,
        area_m2="36,5",
    )
    assert space.area_m2 == 36.5
    with pytest.raises(ServiceError) as exc:
        services.asset_create(actor=staff, kind=AssetKind.SPACE, code="X", name="X", gate=gate, area_m2="10")
    assert exc.value.field == "parent"
    with pytest.raises(ServiceError) as exc:
        services.asset_create(
            actor=staff, kind=AssetKind.LAND_PLOT, code="L", name="L", gate=gate, area_m2="10"
        )
    assert exc.value.field == "parcel_number"
    with pytest.raises(ServiceError):
        services.asset_create(
            actor=staff, kind=AssetKind.BUILDING, code="B1", name="again", gate=gate, area_m2="1"
        )
    assert selectors.building_floors(user=staff, building=building)[0][0] == 1


def test_rent_schedule_with_escalation_and_a_short_last_period(staff):
    plot = land_plot(area="1000")
    lease = _lease(plot, EnterpriseFactory(), months=26, escalation_percent="5")
    rows = list(lease.instalments.order_by("seq"))
    assert lease.monthly_rent == 100_000_000
    assert len(rows) == 9 and rows[0].amount == 300_000_000 and rows[0].due_on == datetime.date(2025, 1, 15)
    assert rows[4].amount == 315_000_000  # year 2: +5%
    assert rows[8].period_end == datetime.date(2027, 2, 28) and rows[8].amount == 2 * 110_250_000
    assert sum(r.amount for r in rows) == 12 * 100_000_000 + 12 * 105_000_000 + 2 * 110_250_000


def test_one_lessee_at_a_time(staff):
    plot = land_plot()
    _lease(plot, EnterpriseFactory())
    with pytest.raises(ServiceError) as exc:
        _lease(plot, EnterpriseFactory(), number="HĐ-2", start=datetime.date(2026, 6, 1))
    assert exc.value.field == "asset" and "HĐ-1" in str(exc.value)


def test_payments_overdue_and_reminders(staff):
    lease = _lease(
        land_plot(), EnterpriseFactory(), start=timezone.localdate() - datetime.timedelta(days=200)
    )
    overdue = list(selectors.overdue_instalments(user=staff))
    assert len(overdue) >= 2
    first = overdue[0]
    with pytest.raises(ServiceError):
        services.rent_payment_record(
            actor=staff, instalment_id=first.pk, amount=first.amount + 1, paid_on=timezone.localdate()
        )
    services.rent_payment_record(
        actor=staff, instalment_id=first.pk, amount=first.amount, paid_on=timezone.localdate()
    )
    assert first.pk not in [i.pk for i in selectors.overdue_instalments(user=staff)]
    n = services.rent_reminders_send(actor=staff)
    assert n >= 1 and services.rent_reminders_send(actor=staff) == 0  # once a day
    totals = selectors.rent_totals(user=staff)
    assert totals["overdue_count"] == len(overdue) - 1 and totals["paid"] == first.amount
    del lease


def test_rent_reminders_go_to_the_lessee_before_the_date_when_it_passes_then_weekly(
    staff, client, mailoutbox, django_capture_on_commit_callbacks
):
    from cuakhau.core.models import AuditEvent

    firm = EnterpriseFactory(email="ketoan@nongsan.example.vn")
    accountant = enterprise_user(firm, email="thuy@nongsan.example.vn")
    enterprise_user(EnterpriseFactory(), email="khac@example.vn")  # another lessee's user hears nothing
    lease = _lease(land_plot(), firm, start=datetime.date(2026, 1, 1), months=12)
    first = lease.instalments.get(seq=1)
    assert first.due_on == datetime.date(2026, 1, 15) and first.amount == 300_000_000

    def run(day):
        with django_capture_on_commit_callbacks(execute=True):
            return services.rent_reminders_send(actor=None, today=day)

    assert run(datetime.date(2026, 1, 7)) == 0  # more than 7 days ahead
    assert run(datetime.date(2026, 1, 8)) == 1
    (mail,) = mailoutbox
    assert sorted(mail.to) == ["ketoan@nongsan.example.vn", "thuy@nongsan.example.vn"]
    assert "HĐ-1" in mail.body and "kỳ 1: còn phải nộp 300.000.000 đồng, hạn nộp 15/01/2026" in mail.body
    assert "quá hạn" not in mail.body
    assert (
        run(datetime.date(2026, 1, 8)) == 0 and run(datetime.date(2026, 1, 14)) == 0
    )  # once before the date
    assert run(datetime.date(2026, 1, 16)) == 1  # the date has passed unpaid
    assert "(đã quá hạn)" in mailoutbox[-1].body
    assert run(datetime.date(2026, 1, 20)) == 0 and run(datetime.date(2026, 1, 23)) == 1  # then weekly
    assert len(mailoutbox) == 3
    assert AuditEvent.objects.filter(action="assets.instalment.remind").count() == 3
    # The lessee sees the date of the last reminder on its lease.
    client.force_login(accountant)
    page = client.get(f"/assets/leases/{lease.pk}/").content.decode()
    assert "Đã nhắc 23/01/2026" in page
    # Paid: no more reminders.
    services.rent_payment_record(
        actor=staff, instalment_id=first.pk, amount=first.amount, paid_on=datetime.date(2026, 1, 24)
    )
    assert run(datetime.date(2026, 1, 30)) == 0 and len(mailoutbox) == 3


def test_leases_ending_soon_are_reported_to_the_board_once_with_the_link_to_a_new_auction(
    staff, client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    import io

    from django.core.management import call_command

    from cuakhau.assets.models import Lease
    from cuakhau.assets.tasks import send_lease_reminders
    from cuakhau.core.models import AuditEvent

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    staff.email = "phong.kh@bqlkkt.example.vn"
    staff.save()
    UserFactory(
        role=Role.BOARD_LEADER, unit=Unit.objects.get(code="ban-lanh-dao"), email="lanhdao@bqlkkt.example.vn"
    )
    UserFactory(role=Role.GATE_OPERATOR, email="dieuhanh@bqlkkt.example.vn")  # not told
    firm = EnterpriseFactory(email="ketoan@dn.example.vn")
    today = timezone.localdate()
    plot = land_plot()
    ending = _lease(plot, firm, start=today - datetime.timedelta(days=600), months=24)  # ~130 days left
    later = _lease(land_plot(code="LD-LATER"), firm, number="HĐ-2", start=today, months=24)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.lease_expiry_warnings_send(actor=staff) == 1
    (mail,) = [m for m in mailoutbox if "sắp hết hạn" in m.subject]
    assert sorted(mail.to) == ["lanhdao@bqlkkt.example.vn", "phong.kh@bqlkkt.example.vn"]
    left = (ending.ends_on - today).days
    assert 100 < left < 180
    assert "HĐ-1" in mail.subject and f"hết hạn ngày {ending.ends_on:%d/%m/%Y}, còn {left} ngày" in mail.body
    assert f"/auctions/new/?asset={plot.code}&lease={ending.pk}" in mail.body
    assert Lease.objects.get(pk=ending.pk).expiry_warned_on == today
    assert Lease.objects.get(pk=later.pk).expiry_warned_on is None  # two years left: not yet
    # Once per lease; the task and the command run both jobs and say what they did.
    result = send_lease_reminders.enqueue(today.isoformat())
    assert result.return_value["expiry_warnings"] == 0
    out = io.StringIO()
    call_command("assets", "remind", "--date", (today + datetime.timedelta(days=1)).isoformat(), stdout=out)
    assert "0 leases ending soon reported to the Board" in out.getvalue()
    assert AuditEvent.objects.filter(action="assets.lease.expiry_warn").count() == 1
    # The lease's page says so too, with the way to start the new auction.
    client.force_login(staff)
    page = client.get(f"/assets/leases/{ending.pk}/").content.decode()
    assert (
        'data-testid="expiring"' in page and f"/auctions/new/?asset={plot.code}&amp;lease={ending.pk}" in page
    )


def test_expiring_leases_start_a_new_auction(staff, client):
    plot = land_plot()
    lease = _lease(
        plot, EnterpriseFactory(), start=timezone.localdate() - datetime.timedelta(days=400), months=18
    )
    assert list(selectors.leases_expiring(user=staff)) == [lease]
    client.force_login(staff)
    page = client.get("/assets/leases/").content.decode()
    assert "Sắp hết hạn" in page
    assert f"/auctions/new/?asset={plot.code}&amp;lease={lease.pk}" in page


def test_gate_plan_and_scopes(staff, client):
    plot = land_plot()
    firm, other = EnterpriseFactory(), EnterpriseFactory()
    lease = _lease(plot, firm, start=timezone.localdate() - datetime.timedelta(days=10))
    free = land_plot(code="LD-FREE")
    plan = selectors.gate_plan(user=staff, gate=plot.gate)
    states = {it["asset"].code: it["state"] for it in plan["items"]}
    assert states[plot.code] == "leased" and states[free.code] == "free"
    client.force_login(staff)
    svg = client.get("/assets/plan/HUUNGHI/").content.decode()
    assert 'data-code="LD-T1"' in svg and "plan-item leased" in svg
    client.force_login(enterprise_user(firm))
    assert client.get(f"/assets/leases/{lease.pk}/").status_code == 200
    assert client.get(f"/assets/{free.code}/").status_code == 404
    assert [x["number"] for x in client.get("/api/v1/assets/leases").json()] == [lease.number]
    client.force_login(enterprise_user(other))
    assert client.get(f"/assets/leases/{lease.pk}/").status_code == 404
    assert client.get(f"/assets/{plot.code}/").status_code == 404
    assert client.get("/api/v1/assets/leases").json() == []
    client.force_login(UserFactory(role=Role.INSPECTOR))
    assert (
        client.post(f"/assets/instalments/{lease.instalments.first().pk}/pay/", {"amount": 1}).status_code
        == 404
    )
    assert Asset.objects.count() == 2


def test_a_file_must_be_what_its_name_says(staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import pdf_upload

    plot = land_plot()
    fake = SimpleUploadedFile("so-do.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ServiceError) as exc:
        services.asset_file_add(actor=staff, asset=plot, kind="document", title="Sơ đồ", upload=fake)
    assert exc.value.field == "file" and "không đúng định dạng PDF" in str(exc.value)
    assert not plot.files.exists()
    item = services.asset_file_add(
        actor=staff, asset=plot, kind="document", title="Sơ đồ", upload=pdf_upload("so-do.pdf")
    )
    assert item.file.read().startswith(b"%PDF-")


def test_services_check_their_own_rights(staff):
    """A reader or an enterprise's user cannot write through a service; a lease ends through its
    workflow, once, with its audit event."""
    from cuakhau.assets.models import LeaseStatus
    from cuakhau.core.models import AuditEvent
    from tests.factories import pdf_upload

    plot = land_plot()
    firm = EnterpriseFactory()
    lease = _lease(plot, firm, start=timezone.localdate() - datetime.timedelta(days=10))
    inspector = UserFactory(role=Role.INSPECTOR)
    lessee = enterprise_user(firm)
    for actor in (inspector, lessee, None):
        with pytest.raises(ServiceError):
            services.asset_create(
                actor=actor, kind=AssetKind.BUILDING, code="B9", name="Nhà", gate=plot.gate, area_m2="5"
            )
        with pytest.raises(ServiceError):
            services.asset_file_add(actor=actor, asset=plot, kind="document", title="x", upload=pdf_upload())
        with pytest.raises(ServiceError):
            services.rent_payment_record(
                actor=actor,
                instalment_id=lease.instalments.first().pk,
                amount=1,
                paid_on=timezone.localdate(),
            )
        with pytest.raises(ServiceError) as exc:
            services.lease_end(actor=actor, lease_id=lease.pk)
        assert exc.value.status == 403
    assert not Asset.objects.filter(code="B9").exists() and not plot.files.exists()
    with pytest.raises(ServiceError) as exc:
        services.lease_end(actor=staff, lease_id=lease.pk, status=LeaseStatus.TERMINATED)
    assert exc.value.field == "reason"
    ended = services.lease_end(
        actor=staff, lease_id=lease.pk, status=LeaseStatus.TERMINATED, reason="Vi phạm"
    )
    assert ended.status == LeaseStatus.TERMINATED and "Vi phạm" in ended.notes
    event = AuditEvent.objects.get(action="assets.lease.terminate")
    assert event.before["status"] == "active" and event.after["reason"] == "Vi phạm"
    with pytest.raises(ServiceError) as exc:  # once
        services.lease_end(actor=staff, lease_id=lease.pk)
    assert exc.value.status == 409


def test_a_file_outside_the_scope_is_404_before_it_is_opened(staff, client, monkeypatch):
    from cuakhau.assets.models import AssetFile
    from tests.factories import pdf_upload

    plot = land_plot()
    item = services.asset_file_add(
        actor=staff, asset=plot, kind="document", title="Sơ đồ", upload=pdf_upload()
    )
    opened = []
    original = AssetFile.file.field.attr_class.open
    monkeypatch.setattr(
        AssetFile.file.field.attr_class,
        "open",
        lambda self, *a, **k: opened.append(1) or original(self, *a, **k),
    )
    client.force_login(enterprise_user(EnterpriseFactory()))  # leases nothing here
    assert client.get(f"/assets/files/{item.pk}/").status_code == 404 and opened == []
    client.force_login(staff)
    response = client.get(f"/assets/files/{item.pk}/")
    assert response.status_code == 200 and opened == [1]
    response.close()
