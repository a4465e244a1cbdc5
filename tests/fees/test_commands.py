"""`cuakhau fees quote` and `cuakhau vietqr`: output people read, and bad arguments named."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_quote_prints_the_amount_and_the_rule(tariffs):
    out = run(
        "fees",
        "quote",
        "--tariff",
        "CB-39-2019",
        "--flow",
        "temp_import_reexport",
        "--container",
        "40",
        "--on",
        "01/10/2025",
    )
    lines = out.splitlines()
    assert lines[0] == "6.500.000 đ"
    assert "cb-1-c40" in out and "container 40 feet" in out


def test_quote_examples(tariffs):
    args = ["fees", "quote", "--tariff", "CB-39-2019", "--on", "2025-10-01"]
    assert run(*args, "--flow", "transit", "--goods", "agricultural", "--tonnes", "20").startswith(
        "5.500.000 đ"
    )
    vn = run(*args, "--flow", "export", "--goods", "agricultural", "--tonnes", "20", "--origin", "vn")
    assert vn.startswith("500.000 đ\n") and "20 × 25.000 đ" in vn
    assert run(*args, "--flow", "export", "--goods", "other", "--tonnes", "12").startswith("1.200.000 đ")
    taxable = run(*args, "--flow", "import", "--goods", "other", "--tonnes", "10", "--taxable")
    assert taxable.startswith("250.000 đ")
    ls = run(
        "fees",
        "quote",
        "--tariff",
        "LS-09-2025",
        "--flow",
        "export",
        "--goods",
        "ore",
        "--tonnes",
        "25",
        "--on",
        "01/10/2025",
    )
    assert ls.startswith("5.000.000 đ") and "giá trị minh họa" not in ls.splitlines()[0]
    assert "5.000.000 đ (trước đó 6.000.000 đ)" in ls


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--flow", "export", "--goods", "other"], "--tonnes"),
        (["--flow", "export", "--goods", "other", "--tonnes", "abc"], "--tonnes"),
        (["--flow", "export", "--goods", "other", "--tonnes", "-3"], "--tonnes"),
        (["--flow", "export", "--tonnes", "3", "--on", "31/02/2025"], "--on"),
    ],
)
def test_quote_bad_arguments_name_the_option(tariffs, args, option):
    with pytest.raises(CommandError) as exc:
        run("fees", "quote", "--tariff", "CB-39-2019", *args)
    assert str(exc.value).startswith(option)


def test_quote_unknown_tariff_and_flow(tariffs):
    with pytest.raises(CommandError, match="--tariff"):
        run("fees", "quote", "--tariff", "XX-1", "--flow", "export")
    with pytest.raises(CommandError, match="flow"):
        run("fees", "quote", "--tariff", "CB-39-2019", "--flow", "smuggling")
    with pytest.raises(CommandError, match="container"):
        run("fees", "quote", "--tariff", "CB-39-2019", "--flow", "transit", "--container", "30")


def test_vietqr_prints_the_payload():
    out = run(
        "vietqr",
        "--bin",
        "970436",
        "--account",
        "1017595600",
        "--amount",
        "180000",
        "--purpose",
        "thanh toan don hang",
    )
    assert out.strip() == (
        "00020101021238540010A00000072701240006970436011010175956000208QRIBFTTA5303704540618"
        "00005802VN62230819thanh toan don hang630470FA"
    )
    static = run("vietqr", "--bin", "970436", "--account", "1017595600")
    assert static.strip().endswith("630438BB")


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--bin", "12345", "--account", "1"], "--bin"),
        (["--bin", "970436", "--account", "a b"], "--account"),
        (["--bin", "970436", "--account", "1", "--amount", "1.000"], "--amount"),
        (["--bin", "970436", "--account", "1", "--amount", "0"], "--amount"),
        (["--bin", "970436", "--account", "1", "--purpose", "phí hạ tầng"], "--purpose"),
    ],
)
def test_vietqr_bad_arguments(args, option):
    with pytest.raises(CommandError) as exc:
        run("vietqr", *args)
    assert str(exc.value).startswith(option)
