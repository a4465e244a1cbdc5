"""VietQR payloads: the shared vectors exactly, the CRC check value, the parser and input rules."""

from pathlib import Path

import pytest

from cuakhau.fees.vietqr import VietQRError, build_payload, crc16_ccitt_false, parse_payload, qr_svg

VECTORS = Path(__file__).with_name("vietqr_vectors.txt")  # copied from ../shared/data


def _vectors():
    for line in VECTORS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            kind, bank_bin, account, amount, purpose, payload = line.split("|")
            yield kind, bank_bin, account, int(amount) if amount else None, purpose, payload


def test_crc_check_value():
    assert f"{crc16_ccitt_false(b'123456789'):04X}" == "29B1"


@pytest.mark.parametrize(("kind", "bank_bin", "account", "amount", "purpose", "payload"), list(_vectors()))
def test_vectors_are_reproduced_exactly(kind, bank_bin, account, amount, purpose, payload):
    assert build_payload(bank_bin=bank_bin, account=account, amount=amount, purpose=purpose) == payload
    read = parse_payload(payload)
    assert (read.bank_bin, read.account, read.amount, read.purpose) == (bank_bin, account, amount, purpose)
    assert read.dynamic is (kind == "dynamic")


def test_two_vectors_are_present():
    assert [v[0] for v in _vectors()] == ["dynamic", "static"]


def test_a_wrong_crc_or_a_changed_amount_is_refused():
    payload = build_payload(bank_bin="970436", account="1017595600", amount=180000, purpose="HP 26TAB 12")
    with pytest.raises(VietQRError) as exc:
        parse_payload(payload[:-4] + "0000")
    assert exc.value.field == "payload"
    with pytest.raises(VietQRError):
        parse_payload(payload.replace("5406180000", "5406980000"))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"bank_bin": "97043"}, "bin"),
        ({"bank_bin": "97043a"}, "bin"),
        ({"account": ""}, "account"),
        ({"account": "1" * 20}, "account"),
        ({"account": "10175-95600"}, "account"),
        ({"amount": 0}, "amount"),
        ({"amount": -1}, "amount"),
        ({"amount": 10**13}, "amount"),
        ({"purpose": "thanh toán phí"}, "purpose"),
        ({"purpose": "x" * 26}, "purpose"),
    ],
)
def test_bad_input_names_the_field(kwargs, field):
    args = {"bank_bin": "970436", "account": "1017595600", "amount": 1000, "purpose": "ok"} | kwargs
    with pytest.raises(VietQRError) as exc:
        build_payload(**args)
    assert exc.value.field == field


def test_limits_are_inclusive():
    payload = build_payload(bank_bin="970436", account="A" * 19, amount=10**13 - 1, purpose="y" * 25)
    assert parse_payload(payload).amount == 9_999_999_999_999


def test_qr_svg_renders_the_payload():
    svg = qr_svg(build_payload(bank_bin="970436", account="1017595600", amount=180000))
    assert svg.startswith("<svg") and "</svg>" in svg
