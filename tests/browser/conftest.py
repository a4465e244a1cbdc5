"""Browser tests: Playwright driving Debian's chromium (no browser download). Run by `make test` where
chromium exists; CI sets CUAKHAU_REQUIRE_BROWSER=1 so that a missing browser fails instead of skipping."""

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


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CUAKHAU_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"browser tests required but chromium is missing at {CHROMIUM}")
    skip = pytest.mark.skip(reason="chromium not installed (apt-get install -y chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
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
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def zone(transactional_db):
    """The reference data and demo users, committed so that the live server sees them."""
    from cuakhau.core.context import acting_as
    from cuakhau.core.loaders import demo_loaders, reference_loaders

    with acting_as(None, channel="cli"):
        for _name, loader in reference_loaders():
            loader()
        for _name, loader in demo_loaders():
            loader(stdout=None)


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
