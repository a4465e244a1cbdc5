"""Vietnamese number, money and date forms outside templates (cuakhau.core.vnformat)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cuakhau.core.vnformat import (
    NumberFormatError,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_vnd,
    parse_date,
    parse_number,
    round_half_up,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (5, "5"),
        (999, "999"),
        (1000, "1.000"),
        (5250, "5.250"),
        (27.1, "27,1"),
        (645.262, "645,262"),
        (5250.5, "5.250,5"),
        (1_200_000, "1.200.000"),
        (645_262_000_000, "645.262.000.000"),
        (-5250, "-5.250"),
        (-5250.5, "-5.250,5"),
        (-0.5, "-0,5"),
        (Decimal("5250.5"), "5.250,5"),
        (Decimal("1.50"), "1,50"),
        (Decimal("1E+3"), "1.000"),
        (Decimal("-1234567.891"), "-1.234.567,891"),
        ("5250.5", "5.250,5"),
        ("-12", "-12"),
        (" 1000 ", "1.000"),
        (1e20, "100.000.000.000.000.000.000"),
        (10**30, "1.000.000.000.000.000.000.000.000.000.000"),
    ],
)
def test_format_number(value, shown):
    assert format_number(value) == shown


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (2.345, 2, "2,35"),  # the float 2.345 is below 2.345; its repr is what we round
        (Decimal("2.345"), 2, "2,35"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("0.125"), 2, "0,13"),
        (5250, 2, "5.250,00"),
        (1234.5678, 1, "1.234,6"),
        (Decimal("-0.4"), 0, "0"),  # never "-0"
        (Decimal("999.995"), 2, "1.000,00"),
        (10**30, 2, "1.000.000.000.000.000.000.000.000.000.000,00"),
    ],
)
def test_format_number_with_fixed_places_rounds_half_up(value, decimals, shown):
    assert format_number(value, decimals) == shown


def test_round_half_up():
    assert round_half_up(Decimal("2.345"), 2) == Decimal("2.35")
    assert round_half_up(Decimal("-2.345"), 2) == Decimal("-2.35")


@pytest.mark.parametrize(
    "bad",
    [
        "5.250,5",
        "5,5",
        "1e5",
        "abc",
        "",
        "NaN",
        float("nan"),
        float("inf"),
        Decimal("Infinity"),
        True,
        None,
        [1],
    ],
)
def test_format_number_refuses_what_is_not_a_machine_number(bad):
    with pytest.raises(NumberFormatError):
        format_number(bad)


def test_format_number_refuses_negative_places():
    with pytest.raises(ValueError):
        format_number(1, -1)


def test_vnd_and_percent():
    assert format_vnd(1_200_000) == "1.200.000 đ"
    assert format_vnd(1_200_000, long=True) == "1.200.000 đồng"
    assert format_vnd(Decimal("50000.00")) == "50.000 đ"
    assert format_vnd(0) == "0 đ"
    assert format_vnd(-15000) == "-15.000 đ"
    with pytest.raises(NumberFormatError, match="số nguyên"):
        format_vnd(Decimal("1000.5"))
    assert format_percent(27.1) == "27,1%"
    assert format_percent(Decimal("12.345"), 1) == "12,3%"
    assert format_percent(100) == "100%"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("5.250,5", Decimal("5250.5")),
        ("5250,5", Decimal("5250.5")),
        ("5.250", Decimal("5250")),
        ("5250", Decimal("5250")),
        ("1.200.000", Decimal("1200000")),
        ("645.262.000.000", Decimal("645262000000")),
        ("-1.200.000", Decimal("-1200000")),
        ("\u22125,5", Decimal("-5.5")),
        ("0,5", Decimal("0.5")),
        ("27,10", Decimal("27.10")),
        ("  12 ", Decimal("12")),
        ("\u00a01.000\u00a0", Decimal("1000")),
        ("0", Decimal("0")),
        ("007", Decimal("7")),
    ],
)
def test_parse_number(text, number):
    result = parse_number(text)
    assert result == number
    assert str(result) == str(number)


@pytest.mark.parametrize(
    ("text", "code", "rule"),
    [
        ("5250.5", "other_convention", "Có thể ý là 5.250,5"),
        ("5.250.5", "thousands_separator", "3 chữ số"),
        ("1.2345", "other_convention", "Có thể ý là 1,2345"),
        ("12.34", "other_convention", "Có thể ý là 12,34"),
        ("0.250", "other_convention", "Có thể ý là 0,25"),
        ("1.234,5.6", "thousands_separator", "trước dấu “,” thập phân"),
        ("1,2,3", "decimal_separator", "chỉ có một dấu “,”"),
        ("1,200", "ambiguous", "1.200 (hàng nghìn) hoặc 1,2 (số thập phân)"),
        ("-1,234", "ambiguous", "-1.234 (hàng nghìn) hoặc -1,234 (số thập phân)"),
        ("1,200,000", "other_convention", "Có thể ý là 1.200.000"),
        ("5,", "separator_position", "cả hai bên"),
        (",5", "separator_position", "cả hai bên"),
        ("5.", "separator_position", "cả hai bên"),
        ("+5", "sign", "dấu trừ"),
        ("5-", "sign", "dấu trừ"),
        ("--5", "sign", "dấu trừ"),
        ("5 250", "characters", "chữ số"),
        ("5250đ", "characters", "chữ số"),
        ("-", "characters", "chữ số"),
        ("\uff15", "characters", "chữ số"),  # full-width 5
        ("\u0663\u0664", "characters", "chữ số"),  # Arabic-Indic 34
        ("", "empty", "Chưa nhập"),
        ("   ", "empty", "Chưa nhập"),
        ("1" * 65, "too_long", "quá dài"),
    ],
)
def test_parse_number_refuses_with_the_rule(text, code, rule):
    with pytest.raises(NumberFormatError) as exc:
        parse_number(text)
    assert exc.value.code == code
    assert rule in str(exc.value)


def test_parse_then_format_round_trips():
    for text in ["5.250,5", "-1.234.567,891", "0,5", "645.262.000.000"]:
        assert format_number(parse_number(text)) == text


def test_dates():
    assert format_date(dt.date(2025, 6, 5)) == "05/06/2025"
    assert format_date(dt.date(33, 1, 2)) == "02/01/0033"
    # 20:00 UTC on 4 June is already 5 June in Vietnam
    late = dt.datetime(2025, 6, 4, 20, 0, tzinfo=dt.UTC)
    assert format_date(late) == "05/06/2025"
    assert format_datetime(late) == "05/06/2025 03:00"
    assert (
        format_datetime(dt.datetime(2025, 6, 5, 14, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
        == "05/06/2025 14:30"
    )


@pytest.mark.parametrize("text", ["05/06/2025", "5/6/2025", "05-06-2025", "2025-06-05", " 05/06/2025 "])
def test_parse_date_is_day_first(text):
    assert parse_date(text) == dt.date(2025, 6, 5)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("31/02/2025", "no_such_date"),
        ("13/13/2025", "no_such_date"),
        ("05/06/25", "year_digits"),
        ("05/06-2025", "date_form"),
        ("2025/06/05", "date_form"),
        ("06.05.2025", "date_form"),
        ("5 June 2025", "date_form"),
        ("\uff10\uff15/06/2025", "date_form"),
        ("", "date_form"),
    ],
)
def test_parse_date_refuses(text, code):
    with pytest.raises(NumberFormatError) as exc:
        parse_date(text)
    assert exc.value.code == code
