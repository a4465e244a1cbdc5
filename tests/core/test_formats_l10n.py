"""cuakhau.core.l10n: numbers and đồng in the reader's language, for messages and the `vn` filters."""

from decimal import Decimal

import pytest
from django.utils import translation

from cuakhau.core import l10n
from cuakhau.core.vnformat import NumberFormatError


@pytest.mark.parametrize(
    ("language", "value", "decimals", "shown"),
    [
        ("vi", -50000, None, "-50.000"),
        ("vi", 1200.5, None, "1.200,5"),
        ("vi", Decimal("2.345"), 2, "2,35"),
        ("vi", 27, 1, "27,0"),
        ("vi", 999, None, "999"),
        ("en", -50000, None, "-50,000"),
        ("en", 1200.5, None, "1,200.5"),
        ("en", Decimal("2.345"), 2, "2.35"),
        ("en", 27, 1, "27.0"),
        ("zh-hans", 1200.5, None, "1,200.5"),
        ("zh-hans", 12345678, None, "12,345,678"),
        ("zh-hans", Decimal("-0.5"), 0, "-1"),
    ],
)
def test_format_number_follows_the_active_language(language, value, decimals, shown):
    with translation.override(language):
        assert l10n.format_number(value, decimals) == shown


@pytest.mark.parametrize(
    ("language", "shown", "long_form"),
    [
        ("vi", "1.200.000 đ", "1.200.000 đồng"),
        ("en", "1,200,000 VND", "1,200,000 VND"),
        ("zh-hans", "1,200,000 VND", "1,200,000 VND"),
    ],
)
def test_vnd_is_whole_dong_without_decimals(language, shown, long_form):
    with translation.override(language):
        assert l10n.format_vnd(1200000) == shown
        assert l10n.format_vnd(Decimal("1200000.00"), long=True) == long_form
        with pytest.raises(NumberFormatError):
            l10n.format_vnd(Decimal("0.5"))


def test_percent_and_refusals():
    with translation.override("en"):
        assert l10n.format_percent(27.1) == "27.1%"
        assert l10n.format_percent(5, 1) == "5.0%"
    with translation.override("vi"):
        assert l10n.format_percent(27.1) == "27,1%"
        with pytest.raises(ValueError):
            l10n.format_number(1, -1)
        with pytest.raises(ValueError):
            l10n.format_number(float("nan"))


def test_column_places_gives_every_row_of_a_column_the_same_decimals():
    from django.template import Context, Template

    rows = [{"kg": Decimal("1200.000")}, {"kg": Decimal("1250.500")}, {"kg": None}, {"kg": Decimal("7.125")}]
    page = Template(
        "{% load vn %}{% column_places rows 'kg' as n %}{% for r in rows %}{{ r.kg|vn_decimal:n }};{% endfor %}"
    )
    with translation.override("vi"):
        assert page.render(Context({"rows": rows})) == "1.200,000;1.250,500;None;7,125;"
    with translation.override("en"):
        assert page.render(Context({"rows": rows[:2]})) == "1,200.0;1,250.5;"
    whole = Template("{% load vn %}{% column_places rows 'kg' as n %}{{ n }}")
    assert whole.render(Context({"rows": [{"kg": Decimal("1200.000")}, {"kg": 5}]})) == "0"
