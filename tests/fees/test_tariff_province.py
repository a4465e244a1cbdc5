"""A new tariff's province is picked from the provinces with land gates to China (the codes the tariffs
use), the zone's own preselected; a code off the list is refused by the page and by the service."""

import re

import pytest
from django.urls import reverse

from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.roles import Role
from cuakhau.fees.models import Tariff
from cuakhau.fees.provinces import PROVINCES, province_choices
from cuakhau.fees.reference import load_tariffs
from cuakhau.fees.services import tariff_draft_create, tariff_draft_update
from tests.factories import UserFactory
from tests.fees.test_tariff_entry import CODE, _draft, _post_data, _resolution, _rules

pytestmark = pytest.mark.django_db

NEW = "/fees/tariffs/new/"


def _options(html):
    select = re.search(r'<select name="province"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"( selected)?>', select)


def test_the_form_offers_the_border_provinces_with_the_zones_preselected(client, settings):
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    options = _options(client.get(NEW).content.decode())
    assert [code for code, _sel in options] == [code for code, _label in PROVINCES]
    assert [code for code, sel in options if sel] == ["lang_son"]
    settings.FEES_PROVINCE = "cao_bang"
    assert [code for code, sel in _options(client.get(NEW).content.decode()) if sel] == ["cao_bang"]
    settings.FEES_PROVINCE = "an_giang"  # a zone on another border: its province is offered and chosen
    options = _options(client.get(NEW).content.decode())
    assert options[-1] == ("an_giang", " selected")


def test_the_codes_are_the_ones_the_shipped_tariffs_use():
    with acting_as(None, channel="cli"):
        load_tariffs()
    used = set(Tariff.objects.values_list("province", flat=True))
    assert used and used <= {code for code, _label in PROVINCES}


def test_a_province_off_the_list_is_refused_on_the_field(client):
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    response = client.post(NEW, _post_data(province="guangxi"))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["province"]
    assert not Tariff.objects.exists()
    response = client.post(NEW, _post_data(province="quang_ninh"))
    assert response.status_code == 302
    assert Tariff.objects.get(code=CODE).province == "quang_ninh"


def test_the_service_refuses_an_unknown_code_but_a_draft_keeps_its_own():
    staff = UserFactory(role=Role.DEPARTMENT_STAFF)
    with pytest.raises(ServiceError) as exc:
        _draft(staff, province="lang son")
    assert "province" in exc.value.message_dict and not Tariff.objects.exists()
    draft = _draft(staff)
    Tariff.objects.filter(pk=draft.pk).update(province="old_code")  # entered before the list existed
    draft.refresh_from_db()
    fields = {"resolution": _resolution(), "name": draft.name, "rules": _rules()}
    with acting_as(staff, channel="web"):
        assert (
            tariff_draft_update(actor=staff, tariff=draft, province="old_code", **fields).province
            == "old_code"
        )
        with pytest.raises(ServiceError):
            tariff_draft_update(actor=staff, tariff=draft, province="other_code", **fields)
        assert (
            tariff_draft_update(actor=staff, tariff=draft, province="ha_giang", **fields).province
            == "ha_giang"
        )
    assert ("old_code", "old_code") in province_choices(keep="old_code")


def test_the_draft_form_shows_the_drafts_province(client):
    staff = UserFactory(role=Role.DEPARTMENT_STAFF)
    with acting_as(staff, channel="web"):
        draft = tariff_draft_create(
            actor=staff, resolution=_resolution(), code=CODE, name="Phí", province="ha_giang", rules=_rules()
        )
    client.force_login(staff)
    options = _options(client.get(reverse("fees:tariff_edit", args=[draft.pk])).content.decode())
    assert [code for code, sel in options if sel] == ["ha_giang"]
