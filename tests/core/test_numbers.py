"""The one number reader (cuakhau.core.numbers): numbers as people type them, in the reader's language,
never guessed. Examples first, then properties (hypothesis) for every numeric field type and language."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cuakhau.core.fields import NUMBER_HELP, VNDecimalField, VNIntegerField
from cuakhau.core.numbers import (
    NumberReadError,
    read_integer,
    read_number,
    reader_language,
    show_number,
    to_number,
    write_number,
)

LANGS = ["vi", "en", "zh-hans"]


@pytest.mark.parametrize(
    ("lang", "text", "number"),
    [
        ("vi", "1.200", Decimal("1200")),
        ("vi", "1.200,5", Decimal("1200.5")),
        ("vi", "0,5", Decimal("0.5")),
        ("vi", "15.000", Decimal("15000")),
        ("vi", "18.500,5", Decimal("18500.5")),
        ("vi", "1234,567", Decimal("1234.567")),  # no English grouping has four digits in front
        ("vi", "0,250", Decimal("0.250")),  # nor a leading zero
        ("vi", "1,2340", Decimal("1.2340")),
        ("vi", "-1.500", Decimal("-1500")),
        ("en", "1,200.5", Decimal("1200.5")),
        ("en", "1,200", Decimal("1200")),
        ("en", "0.5", Decimal("0.5")),
        ("en", "12.34", Decimal("12.34")),
        ("en", "1,234,567.891", Decimal("1234567.891")),
        ("zh-hans", "1,200.5", Decimal("1200.5")),
        ("zh", "15,000", Decimal("15000")),
    ],
)
def test_reads_the_readers_form(lang, text, number):
    assert read_number(text, lang=lang) == number


@pytest.mark.parametrize(
    ("lang", "text", "code", "shown"),
    [
        ("vi", "1,200", "ambiguous", ["1.200", "1,2"]),
        ("vi", "1,234", "ambiguous", ["1.234", "1,2340"]),
        ("vi", "12.34", "other_convention", ["12,34"]),
        ("vi", "1.2.3", "thousands_separator", []),
        ("vi", "1,200.5", "other_convention", ["1.200,5"]),
        ("en", "1.200", "ambiguous", ["1,200", "1.2"]),
        ("en", "1.200,5", "other_convention", ["1,200.5"]),
        ("en", "1,2", "other_convention", ["1.2"]),
        ("en", "1,2,3", "thousands_separator", []),
        ("zh-hans", "15.000", "ambiguous", ["15,000", "15"]),
    ],
)
def test_refuses_what_it_cannot_read_for_sure_and_shows_the_readings(lang, text, code, shown):
    with pytest.raises(NumberReadError) as exc:
        read_number(text, lang=lang, label="Số lượng")
    assert exc.value.code == code
    assert exc.value.message.startswith("Số lượng: ")
    for reading in shown:
        assert reading in exc.value.message
    assert len(exc.value.readings) == {"ambiguous": 2, "other_convention": 1}.get(code, 0)


def test_follows_the_active_language():
    with translation.override("vi"):
        assert reader_language() == "vi" and read_number("1.200") == 1200
    with translation.override("en"):
        assert reader_language() == "en" and read_number("1,200") == 1200
    with translation.override("zh-hans"):
        assert reader_language() == "zh" and read_number("1,200.5") == Decimal("1200.5")
        assert write_number(Decimal("1200.5")) == "1,200.5"
        assert str(NUMBER_HELP) == "Ví dụ 5,250.5." or "5,250.5" in str(NUMBER_HELP)


def test_integers_and_cells():
    assert read_integer("1.200.000") == 1_200_000
    with pytest.raises(NumberReadError, match="số nguyên"):
        read_integer("1,5")
    assert to_number(1200) == Decimal(1200)  # a numeric cell is a number, not text
    assert to_number(27.1) == Decimal("27.1")
    assert to_number("1.200") == Decimal(1200)
    with pytest.raises(NumberReadError, match="Trị giá"):
        to_number(True, label="Trị giá")


def test_show_number_writes_what_reads_back():
    assert show_number(Decimal("1200.000")) == "1.200"
    assert show_number(Decimal("1.200")) == "1,2"
    assert show_number(Decimal("1.234")) == "1,2340"
    assert show_number(Decimal("1.234"), "en") == "1.2340"
    assert show_number(1_200_000, "zh-hans") == "1,200,000"


# --- properties ---------------------------------------------------------------------------------

decimals = st.integers(min_value=0, max_value=6).flatmap(
    lambda places: st.integers(min_value=-(10**13), max_value=10**13).map(
        lambda n: Decimal(n).scaleb(-places)
    )
)


@settings(max_examples=300, deadline=None)
@given(value=decimals, lang=st.sampled_from(LANGS))
@example(value=Decimal("1.234"), lang="vi")
@example(value=Decimal("1.234"), lang="en")
@example(value=Decimal("-15.000"), lang="zh-hans")
def test_show_then_read_round_trips_in_every_language(value, lang):
    assert read_number(show_number(value, lang), lang=lang) == value


@settings(max_examples=300, deadline=None)
@given(value=decimals, lang=st.sampled_from(LANGS))
def test_written_numbers_read_back_or_are_refused_with_their_value_among_the_readings(value, lang):
    text = write_number(value, lang)
    try:
        assert read_number(text, lang=lang) == value
    except NumberReadError as exc:
        assert exc.code == "ambiguous" and value in exc.readings


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet="0123456789.,-", min_size=1, max_size=14), lang=st.sampled_from(LANGS))
def test_never_reads_a_text_two_ways(text, lang):
    """Whatever is typed, the reader either refuses it or gives the one number that text means in the
    reader's language; when the other language would read a different number from a text that uses the
    decimal mark, it refuses."""
    vi = _safe(text, "vi-strict")
    en = _safe(text, "en-strict")
    own, other = (vi, en) if reader_language(lang) == "vi" else (en, vi)
    decimal_mark = "," if reader_language(lang) == "vi" else "."
    try:
        number = read_number(text, lang=lang)
    except NumberReadError:
        return
    assert number == own
    assert other is None or other == own or decimal_mark not in text


def _safe(text, which):
    from cuakhau.core import numbers

    convention = numbers.VIETNAMESE if which == "vi-strict" else numbers.ENGLISH
    return numbers._strict(text.strip(), convention)


class _Fields(forms.Form):
    amount = VNIntegerField(required=False)
    tonnes = VNDecimalField(max_digits=18, decimal_places=3, required=False)
    rate = VNDecimalField(max_digits=18, decimal_places=4, required=False)
    percent = VNDecimalField(max_digits=5, decimal_places=1, required=False)


FIELD_VALUES = {
    "amount": st.integers(min_value=-(10**15), max_value=10**15),
    "tonnes": st.integers(min_value=-(10**14), max_value=10**14).map(lambda n: Decimal(n).scaleb(-3)),
    "rate": st.integers(min_value=-(10**13), max_value=10**13).map(lambda n: Decimal(n).scaleb(-4)),
    "percent": st.integers(min_value=-9999, max_value=9999).map(lambda n: Decimal(n).scaleb(-1)),
}


@settings(max_examples=200, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(FIELD_VALUES)), lang=st.sampled_from(LANGS))
def test_every_number_field_round_trips_what_it_shows(data, name, lang):
    value = data.draw(FIELD_VALUES[name])
    with translation.override(lang):
        shown = _Fields(initial={name: value})[name].value()
        shown = _Fields.base_fields[name].prepare_value(shown)
        form = _Fields({name: shown})
        assert form.is_valid(), (shown, form.errors)
        assert form.cleaned_data[name] == value


def test_a_form_shown_again_keeps_the_text_as_typed():
    with translation.override("vi"):
        form = _Fields({"tonnes": "1,200"})
        assert not form.is_valid()
        assert 'value="1,200"' in str(form["tonnes"])
        assert "hai cách đọc" in " ".join(form.errors["tonnes"])
    with translation.override("en"):
        form = _Fields({"tonnes": "1,200"})
        assert form.is_valid() and form.cleaned_data["tonnes"] == 1200
