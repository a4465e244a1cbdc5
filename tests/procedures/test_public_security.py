"""The public lookup cannot be enumerated (a random lookup key beside the sequential code, attempts
limited per address), and the applicant's ID number is masked everywhere, read in full only by the
roles that need it, each reading audited."""

import importlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps

from cuakhau.core.models import AuditEvent, Unit
from cuakhau.core.roles import Role
from cuakhau.procedures import documents
from cuakhau.procedures.models import LOOKUP_KEY_ALPHABET, Dossier
from tests.factories import EnterpriseFactory, UserFactory, dossier_at_desk, enterprise_user

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PERSON_ID = "020085001234"
LOOKUP = "/procedures/lookup/"
API_LOOKUP = "/api/v1/procedures/lookup"


def at(*args):
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
def person_dossier(desk):
    """A dossier a private person filed at the desk with a citizen ID number (personal data)."""
    return dossier_at_desk(desk, applicant_name="Nguyễn Văn An", applicant_id=PERSON_ID, at=at(2026, 3, 2, 9))


# --- L2: the lookup needs the secret key --------------------------------------------------------------


def test_code_and_public_tax_code_no_longer_open_a_dossier(client, desk, enterprise):
    d = dossier_at_desk(desk, enterprise=enterprise, at=at(2026, 3, 2, 9))
    # What the enumeration used: the sequential code and the enterprise's public tax code.
    page = client.get(LOOKUP, {"code": d.code, "applicant_id": enterprise.tax_code})
    assert 'data-testid="public-status"' not in page.content.decode()
    api = client.get(API_LOOKUP, {"code": d.code, "applicant_id": enterprise.tax_code})
    assert api.status_code == 422 and "key" in api.content.decode()
    assert client.get(LOOKUP, {"code": d.code, "key": d.lookup_key}).status_code == 200


def test_each_dossier_gets_its_own_unguessable_key(desk, enterprise):
    keys = {dossier_at_desk(desk, enterprise=enterprise, at=at(2026, 3, 2, 9)).lookup_key for _ in range(5)}
    assert len(keys) == 5
    assert all(len(k) == 10 and set(k) <= set(LOOKUP_KEY_ALPHABET) for k in keys)


def test_existing_dossiers_get_a_key_each_by_the_data_migration(desk, enterprise):
    rows = [dossier_at_desk(desk, enterprise=enterprise, at=at(2026, 3, 2, 9)) for _ in range(3)]
    Dossier.objects.update(lookup_key="")
    migration = importlib.import_module("cuakhau.procedures.migrations.0002_dossier_lookup_key")
    migration.give_keys(django_apps, None)
    keys = set(Dossier.objects.filter(pk__in=[r.pk for r in rows]).values_list("lookup_key", flat=True))
    assert len(keys) == 3 and "" not in keys


def test_a_dossier_without_a_key_cannot_be_looked_up(client, desk, enterprise):
    d = dossier_at_desk(desk, enterprise=enterprise, at=at(2026, 3, 2, 9))
    Dossier.objects.filter(pk=d.pk).update(lookup_key="")
    assert client.get(LOOKUP, {"code": d.code, "key": "-"}).status_code in (400, 404)


def test_the_receipt_slip_and_the_notification_carry_the_key(client, desk, enterprise):
    d = dossier_at_desk(desk, enterprise=enterprise, at=at(2026, 3, 2, 9))
    md, _type = documents.render(d, "01", "md")
    assert f"mã tra cứu {d.lookup_key_display}" in md.decode()
    assert f"key={d.lookup_key}" in documents.lookup_url(d)  # what the slip's QR code and links carry
    from cuakhau.procedures import notify

    _subject, body = notify.message(d, "received")
    assert d.lookup_key_display in body and f"key={d.lookup_key}" in body
    client.force_login(desk)
    page = client.get(f"/procedures/dossiers/{d.pk}/").content.decode()
    assert d.lookup_key_display in page


def test_lookups_are_limited_per_address_on_the_page_and_the_api(client, desk, enterprise, settings):
    settings.PUBLIC_LOOKUPS_PER_HOUR = 3
    settings.TRUSTED_PROXY_COUNT = 1
    d = dossier_at_desk(desk, enterprise=enterprise, at=at(2026, 3, 2, 9))
    for i in range(3):  # guesses, with a different forged left-hand X-Forwarded-For each time
        wrong = client.get(
            LOOKUP, {"code": d.code, "key": f"GUESS{i}"}, HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 203.0.113.7"
        )
        assert wrong.status_code == 404
    refused = client.get(
        LOOKUP, {"code": d.code, "key": d.lookup_key}, HTTP_X_FORWARDED_FOR="10.9.9.99, 203.0.113.7"
    )
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "quá nhiều lần" in refused.content.decode()
    assert 'data-testid="public-status"' not in refused.content.decode()
    api = client.get(
        API_LOOKUP, {"code": d.code, "key": d.lookup_key}, HTTP_X_FORWARDED_FOR="10.9.9.98, 203.0.113.7"
    )
    assert api.status_code == 429 and int(api["Retry-After"]) > 0 and "quá nhiều lần" in api.json()["detail"]
    # Another address is not affected.
    other = client.get(LOOKUP, {"code": d.code, "key": d.lookup_key}, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 200


# --- L5: the applicant's ID number is masked, revealed only with an audit event ----------------------


def test_the_id_number_is_masked_on_the_page_the_api_and_the_slip(client, desk, person_dossier):
    client.force_login(desk)
    page = client.get(f"/procedures/dossiers/{person_dossier.pk}/").content.decode()
    assert PERSON_ID not in page and "0200******34" in page
    listing = client.get("/procedures/dossiers/").content.decode()
    assert PERSON_ID not in listing
    api = client.get(f"/api/v1/procedures/dossiers/{person_dossier.pk}")
    assert PERSON_ID not in api.content.decode() and api.json()["applicant_id_masked"] == "0200******34"
    assert PERSON_ID not in client.get("/api/v1/procedures/dossiers").content.decode()
    for fmt in ("md", "docx"):
        data, _type = documents.render(person_dossier, "01", fmt)
        raw = data if isinstance(data, bytes) else data.encode()
        if fmt == "docx":
            import io

            from docx import Document

            raw = "\n".join(p.text for p in Document(io.BytesIO(raw)).paragraphs).encode()
        assert PERSON_ID.encode() not in raw and b"0200******34" in raw
    assert not AuditEvent.objects.filter(action="procedures.dossier.applicant_id_viewed").exists()


def test_the_desk_reveals_the_full_number_and_the_reading_is_audited(client, desk, person_dossier):
    client.force_login(desk)
    page = client.post(f"/procedures/dossiers/{person_dossier.pk}/reveal-id/", HTTP_HX_REQUEST="true")
    assert page.status_code == 200 and PERSON_ID in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    full = client.post(f"/procedures/dossiers/{person_dossier.pk}/reveal-id/")
    assert full.status_code == 200 and PERSON_ID in full.content.decode()
    api = client.post(f"/api/v1/procedures/dossiers/{person_dossier.pk}/reveal-id")
    assert api.status_code == 200 and api.json()["applicant_id"] == PERSON_ID
    events = AuditEvent.objects.filter(action="procedures.dossier.applicant_id_viewed")
    assert events.count() == 3 and {e.actor for e in events} == {desk}
    for event in events:  # who read whose number, never the number
        assert PERSON_ID not in str(event.after) and event.object_id == str(person_dossier.pk)


def test_roles_that_do_not_need_the_number_may_not_reveal_it(client, desk, leader, person_dossier):
    inspector = UserFactory(role=Role.INSPECTOR, unit=Unit.objects.get(code="van-phong"))
    for user in (inspector, leader):
        client.force_login(user)
        assert client.get(f"/procedures/dossiers/{person_dossier.pk}/").status_code == 200
        page = client.get(f"/procedures/dossiers/{person_dossier.pk}/").content.decode()
        assert 'data-testid="reveal-id"' not in page
        assert client.post(f"/procedures/dossiers/{person_dossier.pk}/reveal-id/").status_code == 404
        htmx = client.post(f"/procedures/dossiers/{person_dossier.pk}/reveal-id/", HTTP_HX_REQUEST="true")
        assert htmx.status_code == 403 and PERSON_ID not in htmx.content.decode()
        api = client.post(f"/api/v1/procedures/dossiers/{person_dossier.pk}/reveal-id")
        assert api.status_code == 403 and PERSON_ID not in api.content.decode()
    assert not AuditEvent.objects.filter(action="procedures.dossier.applicant_id_viewed").exists()


def test_an_enterprise_reveals_its_own_applicant_id_and_not_anothers(client, desk, enterprise, applicant):
    own = dossier_at_desk(desk, enterprise=enterprise, at=at(2026, 3, 2, 9))
    other = dossier_at_desk(desk, enterprise=EnterpriseFactory(), at=at(2026, 3, 2, 9))
    client.force_login(applicant)
    assert client.post(f"/api/v1/procedures/dossiers/{own.pk}/reveal-id").json()["applicant_id"] == (
        enterprise.tax_code
    )
    assert client.post(f"/api/v1/procedures/dossiers/{other.pk}/reveal-id").status_code == 404
    assert client.post(f"/procedures/dossiers/{other.pk}/reveal-id/").status_code == 404
    stranger = enterprise_user(EnterpriseFactory())
    client.force_login(stranger)
    assert client.post(f"/api/v1/procedures/dossiers/{own.pk}/reveal-id").status_code == 404


def test_the_back_office_shows_the_id_number_masked(client, person_dossier):
    admin = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(f"/admin/procedures/dossier/{person_dossier.pk}/change/")
    assert page.status_code == 200
    assert PERSON_ID not in page.content.decode() and "0200******34" in page.content.decode()
