"""Number form fields typed the Vietnamese way (cuakhau.core.fields) and `cuakhau format`."""

import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django import forms
from django.core.management import CommandError, call_command
from django.utils import translation

from cuakhau.core.fields import VNDecimalField, VNIntegerField


class AmountForm(forms.Form):
    weight = VNDecimalField(max_digits=12, decimal_places=3, required=False)
    amount = VNIntegerField(min_value=0, required=False)


@pytest.mark.parametrize(
    ("typed", "weight"),
    [
        ("5.250,5", Decimal("5250.5")),
        ("5250,5", Decimal("5250.5")),
        ("5.250", Decimal("5250")),
        ("-0,125", Decimal("-0.125")),
        ("", None),
    ],
)
def test_decimal_field_accepts_the_vietnamese_form(typed, weight):
    form = AmountForm({"weight": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["weight"] == weight


@pytest.mark.parametrize(
    ("typed", "code", "rule"),
    [
        ("5250.5", "other_convention", "Có thể ý là 5.250,5"),
        ("5.250.5", "thousands_separator", "mỗi nhóm đủ 3 chữ số"),
        ("1,2,3", "decimal_separator", "chỉ có một dấu “,”"),
        ("1,200", "ambiguous", "hai cách đọc: 1.200 (hàng nghìn) hoặc 1,2 (số thập phân)"),
        ("12kg", "characters", "số chỉ gồm chữ số"),
        ("1,2345", "max_decimal_places", "3 chữ số thập phân"),  # Django's own rules still apply
        ("1.234.567.890,5", "max_whole_digits", "9 chữ số trước dấu phẩy"),
    ],
)
def test_decimal_field_refuses_with_the_rule(typed, code, rule):
    with translation.override("vi"):
        form = AmountForm({"weight": typed})
        assert not form.is_valid()
        assert [error.code for error in form.errors.as_data()["weight"]] == [code]
        assert rule in " ".join(form.errors["weight"])


def test_integer_field():
    form = AmountForm({"amount": "1.200.000"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == 1_200_000
    assert isinstance(form.cleaned_data["amount"], int)
    for typed, rule in [
        ("5,5", "phải là số nguyên"),
        ("-5", "lớn hơn hoặc bằng với 0"),
        ("1.200.000.5", "3 chữ số"),
        ("1,500", "hai cách đọc"),
    ]:
        with translation.override("vi"):
            form = AmountForm({"amount": typed})
            assert not form.is_valid()
            assert rule in " ".join(form.errors["amount"]), (typed, form.errors)
    assert AmountForm({"amount": "5,0"}).is_valid()


def test_fields_show_stored_values_in_the_form_they_read():
    form = AmountForm(initial={"weight": Decimal("5250.5"), "amount": 1_200_000})
    html = str(form["weight"]) + str(form["amount"])
    assert 'value="5.250,5"' in html and 'value="1.200.000"' in html
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'inputmode="numeric"' in html
    # an unchanged form posted back is unchanged
    bound = AmountForm(
        {"weight": "5.250,5", "amount": "1.200.000"},
        initial={"weight": Decimal("5250.5"), "amount": 1_200_000},
    )
    assert bound.is_valid() and not bound.has_changed()
    # what the user typed is shown back as typed when it is wrong
    bad = AmountForm({"weight": "5250.5"})
    assert 'value="5250.5"' in str(bad["weight"])


# --- cuakhau format -----------------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("format", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "printed"),
    [
        (["number", "5250.5"], "5.250,5\n"),
        (["number", "5250"], "5.250\n"),
        (["number", "27.1"], "27,1\n"),
        (["number", "-5250.5"], "-5.250,5\n"),
        (["number", "2.345", "--decimals", "2"], "2,35\n"),
        (["vnd", "1200000"], "1.200.000 đ\n"),
        (["words", "1200000"], "Một triệu hai trăm nghìn đồng\n"),
        (["words", "645262000000"], "Sáu trăm bốn mươi lăm tỷ hai trăm sáu mươi hai triệu đồng\n"),
        (["words", "1000005", "--linh"], "Một triệu không trăm linh năm đồng\n"),
        (["words", "-21", "--no-currency"], "Âm hai mươi mốt\n"),
        (["date", "2025-06-05"], "05/06/2025\n"),
        (["date", "5/6/2025", "--iso"], "2025-06-05\n"),
        (["parse", "5.250,5"], "5250.5\n"),
        (["parse", "1.200"], "1200\n"),
        (["parse", "1.200,50"], "1200.5\n"),
        (["parse", "0,5"], "0.5\n"),
        (["parse", "--", "-1.500"], "-1500\n"),
        (["parse", "--lang", "en", "1,200.5"], "1200.5\n"),
        (["parse", "--lang", "zh", "1,200"], "1200\n"),
        (["parse", "--lang", "en", "--", "-0.25"], "-0.25\n"),
    ],
)
def test_format_command(args, printed):
    assert run(*args) == printed


@pytest.mark.parametrize(
    ("args", "rule"),
    [
        (["number", "5.250,5"], "dấu chấm thập phân"),
        (["number", "1", "--decimals", "-1"], "không âm"),
        (["words", "1.200"], "số nguyên dạng máy"),
        (["words", "12a"], "số nguyên dạng máy"),
        (["vnd", "10.5"], "số nguyên"),
        (["date", "31/02/2025"], "không có trong lịch"),
        (["date", "05/06/25"], "4 chữ số"),
        (["parse", "5250.5"], "Có thể ý là 5.250,5"),
        (["parse", "1,200"], "hai cách đọc"),
    ],
)
def test_format_command_refuses_bad_input_naming_the_rule(args, rule):
    with pytest.raises(CommandError, match=rule):
        run(*args)


def test_format_command_exits_non_zero_with_the_message_on_stderr():
    repo = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "cuakhau", "format"]
    good = subprocess.run(
        [*command, "words", "1200000"], capture_output=True, text=True, cwd=repo, check=False
    )
    assert (good.returncode, good.stdout) == (0, "Một triệu hai trăm nghìn đồng\n")
    bad = subprocess.run(
        [*command, "number", "5.250,5"], capture_output=True, text=True, cwd=repo, check=False
    )
    assert bad.returncode == 1 and bad.stdout == ""
    assert "dấu chấm thập phân" in bad.stderr
    # a number the reader will not guess: exit status 2 and the readings it could have
    unsure = subprocess.run(
        [*command, "parse", "1,200"], capture_output=True, text=True, cwd=repo, check=False
    )
    assert unsure.returncode == 2 and unsure.stdout == ""
    assert "1.200" in unsure.stderr and "1,2" in unsure.stderr
    minus = subprocess.run(
        [*command, "parse", "--lang", "en", "--", "-1,500"],
        capture_output=True,
        text=True,
        cwd=repo,
        check=False,
    )
    assert (minus.returncode, minus.stdout) == (0, "-1500\n")
