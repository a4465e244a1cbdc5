"""A data subject's export and the erasure of records past retention (core.personal_data, the
`personal-data` command), each audited without the number; no ID or phone number in log lines."""

import datetime
import io
import json
import logging

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cuakhau.core import personal_data
from cuakhau.core.models import AuditEvent
from cuakhau.core.roles import Role
from cuakhau.parties import services
from cuakhau.parties.models import Driver, IdKind
from cuakhau.parties.selectors import driver_by_id_number
from tests.factories import EnterpriseFactory, UserFactory

NUMBER = "020085001234"


@pytest.fixture
def driver(db):
    account = UserFactory(role=Role.DRIVER, username="laixe1", full_name="Hà Văn Sơn")
    return services.driver_register(
        actor=None,
        full_name="Hà Văn Sơn",
        id_kind=IdKind.CCCD,
        id_number=NUMBER,
        phone="0912 345 678",
        employer=EnterpriseFactory(),
        user=account,
    )


def test_export_by_id_number_gathers_the_records_and_audits_without_the_number(driver):
    out = io.StringIO()
    call_command("personal-data", "export", "--id-number", "020 085 001 234", stdout=out)
    data = json.loads(out.getvalue())
    (record,) = data["records"]["parties.driver"]
    assert record["full_name"] == "Hà Văn Sơn" and record["id_number"] == NUMBER
    event = AuditEvent.objects.filter(action="core.personal_data.export").get()
    assert NUMBER not in json.dumps(event.after) and event.after["counts"] == {"parties.driver": 1}


def test_export_by_user_includes_the_account(driver):
    data = personal_data.export(actor=None, user=driver.user)
    assert data["records"]["core.user"][0]["username"] == "laixe1"
    assert data["records"]["parties.driver"][0]["id"] == driver.pk


def test_export_needs_a_subject(db):
    with pytest.raises(Exception) as caught:
        personal_data.export(actor=None)
    assert getattr(caught.value, "field", "") == "subject"
    assert not AuditEvent.objects.filter(action="core.personal_data.export").exists()


def test_erase_due_anonymises_only_records_past_retention(driver):
    kept = services.driver_register(
        actor=None, full_name="Lục Văn Bình", id_kind=IdKind.CCCD, id_number="020085005678"
    )
    Driver.objects.filter(pk__in=[driver.pk, kept.pk]).update(is_active=False)
    old = timezone.now() - datetime.timedelta(days=6 * 365)
    Driver.objects.filter(pk=driver.pk).update(updated_at=old)
    with override_settings(PERSONAL_DATA_RETENTION_DAYS={"parties.driver": 5 * 365}):
        assert [d.pk for d in personal_data.due()["parties.driver"]] == [driver.pk]
        out = io.StringIO()
        call_command("personal-data", "erase", "--due", stdout=out)
    assert "parties.driver: 1" in out.getvalue()
    driver.refresh_from_db()
    kept.refresh_from_db()
    assert driver.full_name == personal_data.PLACEHOLDER and driver.phone == "" and driver.user is None
    assert driver.id_number != NUMBER and driver_by_id_number(Driver.objects.all(), NUMBER) is None
    assert kept.full_name == "Lục Văn Bình"
    event = AuditEvent.objects.filter(action="core.personal_data.erase").get()
    assert event.after["counts"] == {"parties.driver": 1}


def test_log_records_carry_no_id_or_phone_number(caplog):
    handler_filter = personal_data.MaskPersonalData()
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "driver %s phone %s", (NUMBER, "0912 345 678"), None
    )
    assert handler_filter.filter(record)
    message = record.getMessage()
    assert NUMBER not in message and "345 678" not in message and "02********34" in message
    assert (
        personal_data.mask_text("2026-12-07 HS 08109010 weight 1.200")
        == "2026-12-07 HS 08109010 weight 1.200"
    )


def test_the_console_handler_masks(settings):
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    assert any(isinstance(f, personal_data.MaskPersonalData) for f in handler.filters)


def test_check_deploy_warns_without_an_environment_key(settings):
    settings.PERSONAL_DATA_KEY_FROM_ENV = False
    assert [w.id for w in personal_data.check_data_key()] == ["cuakhau.W101"]
    settings.PERSONAL_DATA_KEY_FROM_ENV = True
    assert personal_data.check_data_key() == []


@pytest.mark.parametrize(
    "role", [Role.ENTERPRISE_USER, Role.DEPARTMENT_STAFF, Role.GATE_OPERATOR, Role.DRIVER]
)
def test_the_page_is_a_404_for_other_roles(client, db, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("core:personal_data")).status_code == 404
    assert client.post(reverse("core:personal_data"), {"action": "erase"}).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="personal_data.").exists()


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.ADMIN])
def test_an_inspector_exports_a_subject_and_erases_what_is_due(client, driver, role):
    client.force_login(UserFactory(role=role))
    page = client.get(reverse("core:personal_data"))
    assert page.status_code == 200 and NUMBER not in page.content.decode()
    response = client.post(reverse("core:personal_data"), {"action": "export", "id_number": NUMBER})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert json.loads(response.content)["records"]["parties.driver"][0]["id_number"] == NUMBER
    assert AuditEvent.objects.filter(action="core.personal_data.export").count() == 1
    empty = client.post(reverse("core:personal_data"), {"action": "export"})
    assert empty.status_code == 400 and "Cần ghi số giấy tờ" in empty.content.decode()
    Driver.objects.filter(pk=driver.pk).update(
        is_active=False, updated_at=timezone.now() - datetime.timedelta(days=9999)
    )
    assert client.post(reverse("core:personal_data"), {"action": "erase"}).status_code == 302
    driver.refresh_from_db()
    assert driver.full_name == personal_data.PLACEHOLDER
    assert AuditEvent.objects.filter(action="core.personal_data.erase").count() == 1
