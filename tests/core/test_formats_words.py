"""Amounts in words, as receipts and invoices print them (cuakhau.core.vnformat.amount_in_words)."""

from decimal import Decimal

import pytest

from cuakhau.core.vnformat import NumberFormatError, amount_in_words

WORDS = [
    (0, "Không đồng"),
    (1, "Một đồng"),
    (4, "Bốn đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (19, "Mười chín đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"),
    (25, "Hai mươi lăm đồng"),
    (31, "Ba mươi mốt đồng"),
    (44, "Bốn mươi tư đồng"),
    (55, "Năm mươi lăm đồng"),
    (99, "Chín mươi chín đồng"),
    (100, "Một trăm đồng"),
    (101, "Một trăm lẻ một đồng"),
    (104, "Một trăm lẻ bốn đồng"),
    (105, "Một trăm lẻ năm đồng"),
    (110, "Một trăm mười đồng"),
    (111, "Một trăm mười một đồng"),
    (115, "Một trăm mười lăm đồng"),
    (121, "Một trăm hai mươi mốt đồng"),
    (205, "Hai trăm lẻ năm đồng"),
    (999, "Chín trăm chín mươi chín đồng"),
    (1000, "Một nghìn đồng"),
    (1001, "Một nghìn không trăm lẻ một đồng"),
    (1010, "Một nghìn không trăm mười đồng"),
    (1024, "Một nghìn không trăm hai mươi tư đồng"),
    (1100, "Một nghìn một trăm đồng"),
    (2001, "Hai nghìn không trăm lẻ một đồng"),
    (15000, "Mười lăm nghìn đồng"),
    (21000, "Hai mươi mốt nghìn đồng"),
    (50000, "Năm mươi nghìn đồng"),
    (105000, "Một trăm lẻ năm nghìn đồng"),
    (145000, "Một trăm bốn mươi lăm nghìn đồng"),
    (500000, "Năm trăm nghìn đồng"),
    (1_000_000, "Một triệu đồng"),
    (1_000_005, "Một triệu không trăm lẻ năm đồng"),
    (1_005_000, "Một triệu không trăm lẻ năm nghìn đồng"),
    (1_050_000, "Một triệu không trăm năm mươi nghìn đồng"),
    (1_200_000, "Một triệu hai trăm nghìn đồng"),
    (1_234_000, "Một triệu hai trăm ba mươi tư nghìn đồng"),
    (10_000_000, "Mười triệu đồng"),
    (100_100_100, "Một trăm triệu một trăm nghìn một trăm đồng"),
    (215_321_500, "Hai trăm mười lăm triệu ba trăm hai mươi mốt nghìn năm trăm đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (1_000_000_001, "Một tỷ không trăm lẻ một đồng"),
    (1_005_000_000, "Một tỷ không trăm lẻ năm triệu đồng"),
    (1_000_010_000, "Một tỷ không trăm mười nghìn đồng"),
    (2_500_000_000, "Hai tỷ năm trăm triệu đồng"),
    (645_262_000_000, "Sáu trăm bốn mươi lăm tỷ hai trăm sáu mươi hai triệu đồng"),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (
        1_234_567_891_011,
        "Một nghìn hai trăm ba mươi tư tỷ năm trăm sáu mươi bảy triệu tám trăm chín mươi mốt nghìn không trăm mười một đồng",
    ),
    (10**18, "Một tỷ tỷ đồng"),
    (5 * 10**18 + 5, "Năm tỷ tỷ không trăm lẻ năm đồng"),
    (-55, "Âm năm mươi lăm đồng"),
    (-1_200_000, "Âm một triệu hai trăm nghìn đồng"),
]


@pytest.mark.parametrize(("amount", "words"), WORDS)
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words


def test_without_currency_and_with_linh():
    assert amount_in_words(105, currency=False) == "Một trăm lẻ năm"
    assert amount_in_words(0, currency=False) == "Không"
    assert amount_in_words(1_000_005, zero_tens="linh") == "Một triệu không trăm linh năm đồng"
    with pytest.raises(ValueError):
        amount_in_words(5, zero_tens="le")


def test_whole_decimal_is_read_and_fractions_of_a_dong_are_refused():
    assert amount_in_words(Decimal("1200000.00")) == "Một triệu hai trăm nghìn đồng"
    with pytest.raises(NumberFormatError, match="số nguyên"):
        amount_in_words(Decimal("1200000.5"))
    with pytest.raises(NumberFormatError):
        amount_in_words(True)
