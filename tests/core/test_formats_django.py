"""The project's format modules as Django uses them (cuakhau/formats), and the `vn` template filters,
in Vietnamese, English and Chinese."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import engines
from django.utils import formats, translation

VN = ZoneInfo("Asia/Ho_Chi_Minh")
JUNE_5 = dt.date(2025, 6, 5)


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


class DatesForm(forms.Form):
    day = forms.DateField()
    at = forms.DateTimeField()
    amount = forms.DecimalField(localize=True)


# --- Django's own functions under `vi` ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (5250, "5.250"),
        (27.1, "27,1"),
        (645.262, "645,262"),
        (Decimal("5250.5"), "5.250,5"),
        (1_200_000, "1.200.000"),
        (-5250, "-5.250"),
    ],
)
def test_number_format_in_vietnamese(value, shown):
    with translation.override("vi"):
        assert formats.number_format(value) == shown
        assert formats.localize(value) == shown


def test_dates_in_vietnamese():
    at = dt.datetime(2025, 6, 5, 14, 30, tzinfo=VN)
    with translation.override("vi"):
        assert formats.date_format(JUNE_5) == "05/06/2025"
        assert formats.date_format(JUNE_5, "SHORT_DATE_FORMAT") == "05/06/2025"
        assert formats.date_format(at, "DATETIME_FORMAT") == "05/06/2025 14:30"
        assert formats.date_format(at, "SHORT_DATETIME_FORMAT") == "05/06/2025 14:30"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
        assert formats.get_format("NUMBER_GROUPING") == 3


@pytest.mark.parametrize("typed", ["05/06/2025", "5/6/2025", "05-06-2025", "2025-06-05"])
def test_date_field_reads_day_first_in_vietnamese(typed):
    with translation.override("vi"):
        assert forms.DateField().clean(typed) == JUNE_5


def test_date_field_refuses_month_first_dates_that_cannot_be_day_first():
    with translation.override("vi"), pytest.raises(forms.ValidationError):
        forms.DateField().clean("06/25/2025")


def test_form_in_vietnamese_reads_and_shows_day_first():
    with translation.override("vi"):
        form = DatesForm({"day": "05/06/2025", "at": "05/06/2025 14:30", "amount": "5.250,5"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == JUNE_5
        assert form.cleaned_data["at"] == dt.datetime(2025, 6, 5, 14, 30, tzinfo=VN)
        assert form.cleaned_data["amount"] == Decimal("5250.5")
        unbound = DatesForm(initial={"day": JUNE_5})
        assert 'value="05/06/2025"' in str(unbound["day"])


def test_templates_localize_numbers_and_dates_in_vietnamese():
    source = "{% load l10n %}{{ n|localize }} {{ n }} {{ f }} {{ d }} {{ n|unlocalize }}"
    with translation.override("vi"):
        assert render(source, n=5250, f=27.1, d=JUNE_5) == "5.250 5.250 27,1 05/06/2025 5250"


# --- English and Chinese pages ------------------------------------------------------------------


def test_english_pages_group_numbers_the_english_way_but_read_dates_day_first():
    with translation.override("en"):
        assert formats.number_format(5250.5) == "5,250.5"
        assert render("{% load l10n %}{{ n|localize }}", n=5250) == "5,250"
        assert formats.date_format(JUNE_5) == "June 5, 2025"
        assert formats.date_format(JUNE_5, "SHORT_DATE_FORMAT") == "05/06/2025"
        # Django's own `en` reads 05/06/2025 as 6 May; here it is the same day as on the Vietnamese page
        assert forms.DateField().clean("05/06/2025") == JUNE_5
        assert forms.DateField().clean("2025-06-05") == JUNE_5
        with pytest.raises(forms.ValidationError):
            forms.DateField().clean("06/25/2025")


def test_chinese_pages_keep_year_first_dates_and_group_thousands_with_commas():
    with translation.override("zh-hans"):
        assert formats.number_format(645_262_000_000) == "645,262,000,000"
        assert formats.number_format(5250.5) == "5,250.5"
        assert formats.date_format(JUNE_5) == "2025年6月5日"
        for typed in ["2025-06-05", "2025/06/05", "05/06/2025"]:
            assert forms.DateField().clean(typed) == JUNE_5


def test_date_widget_round_trips_in_every_language():
    for language in ["vi", "en", "zh-hans"]:
        with translation.override(language):
            shown = DatesForm(initial={"day": JUNE_5})["day"].value()
            rendered = forms.DateInput().format_value(shown)
            assert forms.DateField().clean(rendered) == JUNE_5, language


# --- the `vn` filters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "context", "shown"),
    [
        ("{{ v|vn_number }}", {"v": 5250}, "5.250"),
        ("{{ v|vn_number }}", {"v": 27.1}, "27,1"),
        ("{{ v|vn_number }}", {"v": 645.262}, "645,262"),
        ("{{ v|vn_number }}", {"v": Decimal("-5250.5")}, "-5.250,5"),
        ("{{ v|vn_number }}", {"v": Decimal("1200.000")}, "1.200"),  # a DecimalField's zeros
        ("{{ v|vn_number }}", {"v": Decimal("1250.50")}, "1.250,5"),
        ("{{ v|vn_number }}", {"v": "—"}, "—"),
        ("{{ v|vn_number }}", {"v": "5250"}, "5250"),
        ("{{ v|vn_number }}", {"v": "12/30"}, "12/30"),
        ("{{ v|vn_number }}", {"v": None}, "None"),
        ("{{ v|vn_number }}", {"v": True}, "True"),
        ("{{ v|vn_number }}", {"v": float("nan")}, "nan"),
        ("{{ v|vn_decimal:2 }}", {"v": 2.345}, "2,35"),
        ("{{ v|vn_decimal }}", {"v": 5250}, "5.250,00"),
        ("{{ v|vn_decimal:0 }}", {"v": Decimal("2.5")}, "3"),
        ("{{ v|vn_decimal:'x' }}", {"v": 2.5}, "2,5"),  # unchanged, so Django's own localization applies
        ("{{ v|vnd }}", {"v": 1_200_000}, "1.200.000 đ"),
        ("{{ v|vnd }}", {"v": Decimal("1200000.00")}, "1.200.000 đ"),
        ("{{ v|vnd }}", {"v": Decimal("0.5")}, "0,5"),  # not whole đồng: left to Django
        ("{{ v|vnd }}", {"v": ""}, ""),
        ("{{ v|vn_percent }}", {"v": 27.1}, "27,1%"),
        ("{{ v|vn_percent:1 }}", {"v": Decimal("12.345")}, "12,3%"),
        ("{{ v|vn_words }}", {"v": 1_200_000}, "Một triệu hai trăm nghìn đồng"),
        ("{{ v|vn_words }}", {"v": "abc"}, "abc"),
        ("{{ v|vn_date }}", {"v": JUNE_5}, "05/06/2025"),
        ("{{ v|vn_date }}", {"v": dt.datetime(2025, 6, 4, 20, tzinfo=dt.UTC)}, "05/06/2025"),
        ("{{ v|vn_date }}", {"v": "hôm nay"}, "hôm nay"),
        ("{{ v|vn_datetime }}", {"v": dt.datetime(2025, 6, 4, 20, tzinfo=dt.UTC)}, "05/06/2025 03:00"),
        ("{{ v|vn_datetime }}", {"v": JUNE_5}, "05/06/2025"),
    ],
)
def test_vn_filters_on_vietnamese_pages(source, context, shown):
    with translation.override("vi"):
        assert render("{% load vn %}" + source, **context) == shown


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("vi", "5.250,5|1.200.000 đ|27,1%|05/06/2025|Một triệu hai trăm nghìn đồng"),
        ("en", "5,250.5|1,200,000 VND|27.1%|June 5, 2025|Một triệu hai trăm nghìn đồng"),
        ("zh-hans", "5,250.5|1,200,000 VND|27.1%|2025年6月5日|Một triệu hai trăm nghìn đồng"),
    ],
)
def test_vn_filters_follow_the_readers_language_except_words(language, shown):
    source = "{% load vn %}{{ n|vn_number }}|{{ a|vnd }}|{{ p|vn_percent }}|{{ d|vn_date }}|{{ a|vn_words }}"
    with translation.override(language):
        assert render(source, n=5250.5, a=1_200_000, p=27.1, d=JUNE_5) == shown


def test_vn_decimal_rounds_half_up_in_english_too():
    with translation.override("en"):
        assert render("{% load vn %}{{ v|vn_decimal:2 }}", v=Decimal("2.345")) == "2.35"
        assert render("{% load vn %}{{ v|vn_decimal:2 }}", v=5250) == "5,250.00"
