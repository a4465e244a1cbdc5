"""Browser tests (marker `browser`): Playwright driving Debian's chromium (no browser download). Run by
`make test-browser` (`make test` leaves them out), skipped where chromium is missing; CI sets
CUAKHAU_REQUIRE_BROWSER=1 so that a missing browser fails a run that selects them instead of skipping.

Every page a journey opens (with the `page` or `phone` fixture, or in a context it opens from `browser`)
is scanned, once loaded and after each htmx swap, for numbers shown without their thousands grouped: a
run of five or more digits standing alone ("12345678" where "12.345.678" is meant) fails the test, with
the text and the element. Not numbers to group: digits in a word with letters (PHI23456AB, TK000039,
桂A·56789, a file name), digits that start with 0 (receipt numbers 00000048, most tax codes and phone
numbers) and the fraction after the page's decimal mark. Other identifiers made of digits (a tax code or
an account number that does not start with 0, an id) are marked in the template with `data-raw` (or the
class `num-raw`, or a <code>); inputs, selects and hidden elements are not read.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CUAKHAU_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it are
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(trylast=True)  # after `-m` has deselected: `make test` (-m "not browser") needs no chromium
def pytest_collection_modifyitems(config, items):
    journeys = [item for item in items if "browser" in item.keywords]
    if not journeys or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CUAKHAU_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"browser tests required but chromium is missing at {CHROMIUM}")
    skip = pytest.mark.skip(reason="chromium not installed (apt-get install -y chromium)")
    for item in journeys:
        item.add_marker(skip)


# Returns [{text, number, element}] for every ungrouped number visible in `root` (the whole body by default).
SCAN_NUMBERS = r"""
(root) => {
  const RAW = "[data-raw], .num-raw, code, kbd, samp, pre, input, textarea, select, script, style, template";
  const mark = (document.documentElement.lang || "vi").toLowerCase().startsWith("vi") ? "," : ".";
  const run = /\d{5,}/g, word = /[\p{L}\p{N}_·\/.-]/u;
  const found = [];
  const walker = document.createTreeWalker(root || document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(RAW) || !el.checkVisibility({visibilityProperty: true})) continue;
    const text = node.textContent;
    for (const m of text.matchAll(run)) {
      if (m[0][0] === "0") continue;  // zero-padded: a receipt number, a tax code, a phone number
      let start = m.index, end = m.index + m[0].length;
      while (start > 0 && word.test(text[start - 1])) start--;
      while (end < text.length && word.test(text[end])) end++;
      if (/\p{L}/u.test(text.slice(start, end))) continue;  // part of a code: TK000039, 桂A·56789
      const before = text.slice(0, m.index);
      if (before.endsWith(mark) && /\d$/.test(before.slice(0, -1))) continue;  // a fraction
      found.push({number: m[0], text: text.trim().slice(0, 160), element: el.outerHTML.slice(0, 240)});
    }
  }
  return found;
}
"""


def ungrouped_numbers(page) -> list[dict]:
    """The numbers of five or more digits shown ungrouped on the page as it is now."""
    return page.evaluate(SCAN_NUMBERS)


def describe_ungrouped(found, url="") -> str:
    return "\n".join(
        f"ungrouped number {f['number']} on {f.get('url') or url}: in “{f['text']}”, element {f['element']}"
        " (group it with the vn filters, or mark an identifier with data-raw)"
        for f in found
    )


def assert_numbers_grouped(page):
    found = ungrouped_numbers(page)
    assert not found, describe_ungrouped(found, page.url)


class NumberWatch:
    """Scans every page of a browser context once it has loaded, and again after each htmx swap, and
    keeps what it finds, for `numbers_grouped` to fail the test with."""

    INIT = (
        "(() => { const scan = " + SCAN_NUMBERS + ";\n"
        "  const report = () => { const f = scan(); if (f.length) window.__ungroupedNumbers(location.href, f); };\n"
        "  window.addEventListener('load', report);\n"
        "  document.addEventListener('htmx:afterSettle', report); })();"
    )

    def __init__(self, context):
        self.found: list[dict] = []
        context.expose_binding("__ungroupedNumbers", self._report)
        context.add_init_script(self.INIT)

    def _report(self, _source, url, found):
        for f in found:
            if not any(f["element"] == seen["element"] and url == seen["url"] for seen in self.found):
                self.found.append(f | {"url": url})


class CspWatch:
    """Keeps every Content-Security-Policy violation in the pages of a browser context, for
    `no_csp_violations` to fail the test with: the console message Chromium writes ("Refused to apply
    inline style because it violates the following Content Security Policy directive ...") and the
    page's securitypolicyviolation events (what was blocked, where)."""

    INIT = (
        "document.addEventListener('securitypolicyviolation', (e) => window.__cspViolation(location.href,"
        " e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + (e.sourceFile || '')"
        " + ':' + e.lineNumber + ' ' + (e.sample || '')));"
    )

    def __init__(self, context):
        self.found: list[str] = []
        context.expose_binding(
            "__cspViolation", lambda _source, url, text: self.found.append(f"{url}: {text}")
        )
        context.add_init_script(self.INIT)
        context.on("console", self._console)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.found.append(f"{message.page.url if message.page else ''}: {text}")


class WatchedBrowser:
    """The browser, whose every new context (the fixtures' and those a journey opens for a second
    person) is watched for ungrouped numbers and for Content-Security-Policy violations."""

    def __init__(self, browser):
        self._browser = browser
        self.watches: list[NumberWatch] = []
        self.csp_watches: list[CspWatch] = []

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        self.watches.append(NumberWatch(context))
        self.csp_watches.append(CspWatch(context))
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield WatchedBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def numbers_grouped(request):
    """Fails a browser journey that showed an ungrouped number on any page it opened."""
    if "browser" not in request.keywords:
        yield
        return
    watched = request.getfixturevalue("browser")
    watched.watches.clear()
    yield
    found = [f for watch in watched.watches for f in watch.found]
    watched.watches.clear()
    assert not found, describe_ungrouped(found)


@pytest.fixture(autouse=True)
def no_csp_violations(request):
    """Fails a browser journey in which any page broke the Content-Security-Policy (an inline script,
    style or handler, a script or style from elsewhere): the policy is strict (docs/security.md)."""
    if "browser" not in request.keywords:
        yield
        return
    watched = request.getfixturevalue("browser")
    watched.csp_watches.clear()
    yield
    found = [f for watch in watched.csp_watches for f in watch.found]
    watched.csp_watches.clear()
    assert not found, "Content-Security-Policy violations:\n" + "\n".join(found)


def _new_page(context):
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    yield _new_page(context)
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="vi-VN",
    )
    yield _new_page(context)
    context.close()


# The zone as the loaders first wrote it in this process, on SQLite's in-memory test database: a copy
# of the whole database (sqlite3's backup), put back in place of loading again (seconds a journey).
_zone_snapshot = {}


@pytest.fixture
def zone(transactional_db):
    """The reference data and demo users, committed so that the live server sees them. On SQLite the
    first journey of a test process loads them and the next ones get a copy of that database, the same
    rows, ids and files (uploads stay under this process's var/); PostgreSQL loads them each time."""
    from django.db import connection

    from cuakhau.core.context import acting_as
    from cuakhau.core.loaders import demo_loaders, reference_loaders

    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if in_memory and "db" in _zone_snapshot:
        connection.ensure_connection()
        _zone_snapshot["db"].backup(connection.connection)
        return
    with acting_as(None, channel="cli"):
        for _name, loader in reference_loaders():
            loader()
        for _name, loader in demo_loaders():
            loader(stdout=None)
    if in_memory:
        import sqlite3

        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot)
        _zone_snapshot["db"] = snapshot


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, live_server, username, password):
    """Signs in through the login page, then passes the second factor as the person would: the code
    page gets the current code of the account's authenticator (computed here from the device in the
    database), the enrolment page (an account that must use one and has none) gets a code computed from
    the secret it shows, and its recovery codes page is continued past."""
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/login/code/" in page.url:
        otp_submit(page, otp_code_for(username))
    elif "/two-factor/enrol/" in page.url:
        otp_submit(page, otp_code_from_secret(page.inner_text("[data-testid=otp-secret]")))
        with page.expect_navigation():
            page.click("[data-testid=otp-recovery-codes] a.button")
        page.wait_for_load_state("networkidle")


def otp_code_for(username):
    """The code `username`'s authenticator shows now. The device's record of the last code used is
    cleared first, so a test that signs the same person in twice within 30 seconds is not refused as a
    replay (the code page's replay refusal has its own test)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cuakhau.core import twofactor

    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).order_by("-pk").first()
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return twofactor.current_code(device)


def otp_code_from_secret(secret):
    import base64

    from django_otp.oath import totp

    secret = secret.strip()
    return str(totp(base64.b32decode(secret + "=" * (-len(secret) % 8)))).zfill(6)


def otp_submit(page, code):
    page.fill("#id_token", code)
    with page.expect_navigation():
        page.click("form:has(#id_token) button[type=submit]")
    page.wait_for_load_state("networkidle")
