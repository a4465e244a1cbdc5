"""The check every browser journey runs on the pages it opens: a number of five or more digits shown
without its thousands grouped fails the test; identifiers marked data-raw, codes and fractions do not."""

import pytest

from tests.browser.conftest import assert_numbers_grouped, ungrouped_numbers

pytestmark = [pytest.mark.browser]

URL = "http://numbers.test/"


def serve(page, html):
    page.route(
        URL, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
    )
    page.goto(URL)


def caught(browser):
    """What the watch on the fixture's context saw; cleared so that this test's own check passes."""
    found = [f for watch in browser.watches for f in watch.found]
    for watch in browser.watches:
        watch.found.clear()
    return found


def test_an_ungrouped_amount_fails_with_its_text_and_element(page, browser):
    serve(page, '<html lang="vi"><body><p id="sum">Tổng số thu: 12345678 đ</p></body></html>')
    with pytest.raises(AssertionError) as exc:
        assert_numbers_grouped(page)
    assert "12345678" in str(exc.value) and 'id="sum"' in str(exc.value)
    assert "Tổng số thu: 12345678 đ" in str(exc.value)
    # the watch every journey has saw it on load, without being asked
    assert [f["number"] for f in caught(browser)] == ["12345678"]


def test_grouped_numbers_marked_identifiers_codes_and_fractions_pass(page, browser):
    serve(
        page,
        """<html lang="vi"><body>
        <p>Tổng số thu: 12.345.678 đ; 1.234 xe; năm 2026; ngày 07/12/2026 14:30</p>
        <p>Biên lai số <span data-raw>0012345</span>, MST <span class="num-raw">0101234567</span></p>
        <p>Mã thanh toán PHI23456AB, mã <code>88812345</code>; 0,123456 tấn; 21,853456 độ</p>
        <p>Tờ khai TK000039, xe 桂A·56789; tệp sao-ke-1017595602-demo.csv; biên lai số 00000048; MST 0100233488</p>
        <p><input value="12345678"><select><option>12345678</option></select></p>
        <p hidden>12345678</p><p style="display:none">99999999</p>
        </body></html>""",
    )
    assert ungrouped_numbers(page) == []
    assert caught(browser) == []


def test_the_decimal_mark_follows_the_pages_language(page, browser):
    serve(page, '<html lang="en"><body><p>12,345,678.5 VND; 0.123456 t; 5,250.12345</p></body></html>')
    assert ungrouped_numbers(page) == []
    # in Vietnamese "." groups thousands, so a dot before five digits is not a decimal mark
    serve(page, '<html lang="vi"><body><p id="odd">5.25012</p><p>Chênh lệch: -50000 đồng</p></body></html>')
    assert [f["number"] for f in ungrouped_numbers(page)] == ["25012", "50000"]
    caught(browser)
