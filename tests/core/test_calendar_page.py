"""The working calendar page: what each role sees, and entering a year's decision through the form."""

from datetime import date

import pytest
from django.urls import reverse

from cuakhau.core.models import AuditEvent, CalendarYear
from cuakhau.core.roles import Role
from cuakhau.core.workcal import is_working_day
from cuakhau.core.workcal.calendar import reset_cache
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("core:calendar")
ENTER_2027 = reverse("core:calendar_enter", args=[2027])


@pytest.fixture(autouse=True)
def _fresh_cache():
    reset_cache()
    yield
    reset_cache()


def _post(**overrides):
    data = {
        "decision": "Thông báo số 1/TB-BNV",
        "new_year_from": "01/01/2027",
        "new_year_to": "01/01/2027",
        "lunar_new_year_from": "04/02/2027",
        "lunar_new_year_to": "10/02/2027",
        "hung_kings_from": "16/04/2027",
        "hung_kings_to": "16/04/2027",
        "reunification_and_labour_from": "30/04/2027",
        "reunification_and_labour_to": "03/05/2027",
        "national_day_from": "02/09/2027",
        "national_day_to": "05/09/2027",
        "other_days": "",
        "working_days": "30/01/2027",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("core:login") in response["Location"]


def test_a_provisional_year_is_marked_and_shown_day_first(client):
    client.force_login(UserFactory(role=Role.GATE_OPERATOR))
    response = client.get(URL, {"year": 2026})
    html = response.content.decode()
    assert response.status_code == 200
    assert "tạm tính" in html and "chính thức</span>" not in html
    assert "26/04/2026" in html and "27/04/2026" in html and "Giỗ Tổ Hùng Vương (nghỉ bù)" in html
    assert "?year=2027" in html and "?year=2025" in html  # the year switcher
    assert "Lịch làm việc năm 2026" in html and "2.026" not in html  # a year is not grouped like a number
    assert 'data-testid="calendar-form"' not in html  # an operator may not enter a decision


@pytest.mark.parametrize("role", [Role.GATE_OPERATOR, Role.INSPECTOR, Role.ENTERPRISE_USER])
def test_who_may_not_enter_a_decision_gets_404_and_nothing_changes(client, role):
    client.force_login(UserFactory(role=role))
    assert client.post(ENTER_2027, _post()).status_code == 404
    assert not CalendarYear.objects.exists()


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.BOARD_LEADER, Role.ADMIN])
def test_board_staff_see_the_form(client, role):
    client.force_login(UserFactory(role=role))
    html = client.get(URL, {"year": 2027}).content.decode()
    assert 'data-testid="calendar-form"' in html
    assert "Tết Âm lịch: nghỉ từ ngày" in html
    assert 'value="05/02/2027"' in html  # prefilled with the provisional Tết (30 Tết Bính Ngọ)


def test_staff_enter_a_decision_and_the_year_becomes_official(client):
    user = UserFactory(role=Role.DEPARTMENT_STAFF)
    client.force_login(user)
    response = client.post(ENTER_2027, _post())
    assert response.status_code == 302 and response["Location"] == f"{URL}?year=2027"
    html = client.get(response["Location"]).content.decode()
    assert "chính thức" in html and "Thông báo số 1/TB-BNV" in html
    assert "04/02/2027" in html and "30/01/2027" in html
    assert not is_working_day(date(2027, 2, 4)) and is_working_day(date(2027, 1, 30))
    cy = CalendarYear.objects.get(year=2027)
    assert cy.entered_by == user and cy.days.count() == 1 + 7 + 1 + 4 + 4 + 1
    assert AuditEvent.objects.filter(action="core.calendar_year.enter", actor=user).count() == 1


def test_a_weekday_as_swapped_working_day_is_refused_on_its_field(client):
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    response = client.post(ENTER_2027, _post(working_days="27/01/2027"))  # a Wednesday
    html = response.content.decode()
    assert response.status_code == 400
    assert "27/01/2027 không phải thứ Bảy hoặc Chủ nhật" in html
    assert html.index("has-error") < html.index('name="working_days"')
    assert not CalendarYear.objects.exists()


def test_a_period_outside_the_year_or_backwards_is_refused(client):
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    response = client.post(
        ENTER_2027,
        _post(national_day_from="05/09/2027", national_day_to="02/09/2027", new_year_from="31/12/2026"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ngày kết thúc trước ngày bắt đầu." in html and "Kỳ nghỉ phải nằm trong năm 2027" in html
    assert not CalendarYear.objects.exists()


def test_an_unreadable_date_is_refused(client):
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    response = client.post(ENTER_2027, _post(working_days="30-01-2027x"))
    assert response.status_code == 400
    assert "Không đọc được ngày 30-01-2027x" in response.content.decode()


def test_a_bad_year_is_404(client):
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    assert client.get(URL, {"year": "abc"}).status_code == 404
    assert client.get(URL, {"year": "3000"}).status_code == 404
