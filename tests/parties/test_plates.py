"""Plate normalisation: the same vehicle, however its plate was written, has one key."""

import pytest

from cuakhau.parties.plates import CN, VN, PlateError, guangxi_letters, parse_plate, plate_key, search_key

VN_VECTORS = [
    # as typed, key, display, trailer
    ("12C-123.45", "12C12345", "12C-123.45", False),
    ("12C12345", "12C12345", "12C-123.45", False),
    ("12C 123.45", "12C12345", "12C-123.45", False),
    ("12c-123.45", "12C12345", "12C-123.45", False),
    (" 12C-123 45 ", "12C12345", "12C-123.45", False),
    ("29LD-123.45", "29LD12345", "29LD-123.45", False),
    ("29LD12345", "29LD12345", "29LD-123.45", False),
    ("12C-1234", "12C1234", "12C-1234", False),
    ("12C1234", "12C1234", "12C-1234", False),
    ("12R-001.23", "12R00123", "12R-001.23", True),
    ("12R00123", "12R00123", "12R-001.23", True),
    ("98C-345.67", "98C34567", "98C-345.67", False),
]

CN_VECTORS = [
    ("桂F·12345", "桂F12345", "桂F·12345", False),
    ("桂F12345", "桂F12345", "桂F·12345", False),
    ("桂 F 12345", "桂F12345", "桂F·12345", False),
    ("桂F•12345", "桂F12345", "桂F·12345", False),
    ("桂F・12345", "桂F12345", "桂F·12345", False),
    ("桂Ｆ１２３４５", "桂F12345", "桂F·12345", False),  # full-width, as some Chinese keyboards type
    ("GUI F12345", "桂F12345", "桂F·12345", False),
    ("GX-F12345", "桂F12345", "桂F·12345", False),
    ("gx f12345", "桂F12345", "桂F·12345", False),
    ("桂F·A8Z26", "桂FA8Z26", "桂F·A8Z26", False),
    ("桂A·D12345", "桂AD12345", "桂A·D12345", False),  # new-energy small vehicle
    ("桂P·12345D", "桂P12345D", "桂P·12345D", False),  # new-energy large vehicle
    ("桂F·1234挂", "桂F1234挂", "桂F·1234挂", True),
]


@pytest.mark.parametrize(("raw", "key", "display", "trailer"), VN_VECTORS)
def test_vietnamese_plates(raw, key, display, trailer):
    plate = parse_plate(raw)
    assert (plate.key, plate.display, plate.is_trailer, plate.country) == (key, display, trailer, VN)


@pytest.mark.parametrize(("raw", "key", "display", "trailer"), CN_VECTORS)
def test_guangxi_plates(raw, key, display, trailer):
    plate = parse_plate(raw)
    assert (plate.key, plate.display, plate.is_trailer, plate.country) == (key, display, trailer, CN)


GARBAGE = [
    ("", "không được để trống"),
    ("   ", "không được để trống"),
    ("hello", "không đúng định dạng"),
    ("12C-123.456", "không đúng định dạng"),
    ("12C-12", "không đúng định dạng"),
    ("12C1-123.45", "không đúng định dạng"),  # motorbike series
    ("1C-123.45", "không đúng định dạng"),
    ("10C-123.45", "mã tỉnh 10"),
    ("05C-123.45", "mã tỉnh 05"),
    ("12W-123.45", "sê-ri W"),
    ("12I-123.45", "sê-ri I"),
    ("12XY-123.45", "sê-ri XY"),
    ("12C-000.00", "toàn số 0"),
    ("桂F1234", "không đúng định dạng"),
    ("桂F123456", "không đúng định dạng"),
    ("桂FI2345", "không đúng định dạng"),  # I is never used in the body
    ("桂I12345", "chữ I"),
    ("桂Q12345", "chữ Q"),
    ("粤B12345", "Quảng Tây"),
    ("云A12345", "Quảng Tây"),
    ("ABC-123", "không đúng định dạng"),
]


@pytest.mark.parametrize(("raw", "why"), GARBAGE)
def test_garbage_is_refused_with_a_message_naming_the_field(raw, why):
    with pytest.raises(PlateError) as exc:
        parse_plate(raw)
    assert exc.value.message.startswith("Biển số")
    assert why in exc.value.message


def test_the_field_label_is_the_callers():
    with pytest.raises(PlateError, match="^Biển số rơ moóc"):
        parse_plate("xyz", label="Biển số rơ moóc")


def test_every_spelling_of_one_plate_has_one_key():
    assert len({parse_plate(raw).key for raw, *_ in VN_VECTORS[:5]}) == 1
    assert len({parse_plate(raw).key for raw, *_ in CN_VECTORS[:9]}) == 1


def test_guangxi_letters_come_from_the_shipped_table():
    letters = guangxi_letters()
    assert letters["F"].startswith("崇左")
    assert "I" not in letters and "O" not in letters
    assert len(letters) == 15


def test_plate_key_and_search_key():
    assert plate_key("12c 123.45") == "12C12345"
    assert plate_key("rubbish") == ""
    assert search_key("12C-123") == "12C123"
    assert search_key("gx f123") == "桂F123"
    assert search_key("桂F·12") == "桂F12"
