"""The Content-Security-Policy and the other security headers (security issue 13, item 3; docs/security.md,
"Content-Security-Policy and headers").

The policy allows scripts and styles from the site's own files only, so a page may carry no inline
<script>, no <style> block, no style="" attribute and no event-handler attribute (onclick=, hx-on...):
`test_templates_have_nothing_inline` reads every template served to browsers. The pages themselves are
read by the permission matrix's walk (tests/test_permission_matrix.py), which GETs every URL pattern once
as each principal on the demo data: `test_every_answer_carries_the_policy` and
`test_pages_have_nothing_inline` there use this module's `inline_in` on the answers, so a page is
fetched once for both suites. The templates that only feed WeasyPrint (PDF) keep their <style>: no
browser ever sees them.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cuakhau.core.roles import Role
from tests.factories import UserFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "cuakhau" / "templates"
# Rendered to PDF by WeasyPrint only (fees.documents, core.documents.render_pdf), never sent as HTML.
PDF_ONLY = {"fees/notice_pdf.html", "fees/receipt_pdf.html", "documents/decree30.html"}

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(header: str) -> dict[str, str]:
    parts = [p.strip().split(None, 1) for p in header.split(";") if p.strip()]
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


def assert_security_headers(response):
    csp = directives(response["Content-Security-Policy"])
    assert csp == POLICY
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = dict(f.split("=", 1) for f in response["Permissions-Policy"].split(", "))
    assert features["camera"] == "()" and features["microphone"] == "()" and features["payment"] == "()"
    assert features["geolocation"] == "(self)"  # the public incident report's "use my location"


@pytest.mark.django_db
def test_public_page_headers(client):
    response = client.get("/procedures/catalogue/")
    assert response.status_code == 200
    assert_security_headers(response)
    # a public page keeps what its view says about caching: no blanket no-store
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_logged_in_page_headers(client):
    client.force_login(UserFactory(role=Role.DEPARTMENT_STAFF))
    response = client.get("/calendar/")
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_api_answer_headers(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"]
    refused = client.get("/api/v1/core/me")
    assert refused.status_code == 401 and "no-store" in refused["Cache-Control"]


@pytest.mark.django_db
def test_a_view_that_says_no_store_keeps_its_header(client, monkeypatch):
    """The middleware adds no-store only where the view said nothing of it (tests elsewhere pin a
    reveal page's exact "no-store")."""
    from django.http import HttpResponse

    from cuakhau.core.middleware import SecurityHeadersMiddleware

    class Request:
        path = "/api/v1/x"
        user = None

    def view(_request):
        response = HttpResponse("x")
        response["Cache-Control"] = "no-store"
        return response

    assert SecurityHeadersMiddleware(view)(Request())["Cache-Control"] == "no-store"


def test_cookies_and_production_settings():
    """Session and CSRF cookies are HttpOnly and SameSite=Lax; outside DEBUG (the real settings, not
    the tests' plain-HTTP ones) they are Secure and HSTS is on."""
    import os
    import subprocess
    import sys

    code = (
        "from django.conf import settings as s; import django; django.setup();"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE,"
        " s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cuakhau.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "cuakhau.example.vn",
    }
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT"):
        env.pop(name, None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True", "True", "Lax", "Lax", "True", "True"]


# --- nothing inline ------------------------------------------------------------------------------------

INLINE_IN_TEMPLATE = [
    (re.compile(r"<style", re.I), "a <style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event-handler attribute"),
    (re.compile(r"\shx-on", re.I), "an hx-on attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: address"),
    (
        re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
        "an inline <script>",
    ),
]


def browser_templates() -> list[Path]:
    found = sorted(TEMPLATES.rglob("*.html"))
    assert len(found) > 100
    return [p for p in found if p.relative_to(TEMPLATES).as_posix() not in PDF_ONLY]


def test_templates_have_nothing_inline():
    wrong = []
    for path in browser_templates():
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE_IN_TEMPLATE:
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                wrong.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert not wrong, "the Content-Security-Policy refuses these:\n" + "\n".join(wrong)


def test_the_template_check_finds_what_it_looks_for():
    samples = [
        '<p style="color:red">',
        "<style>p{}</style>",
        '<button onclick="go()">',
        '<form hx-on::after-request="x">',
        '<a href="javascript:go()">',
        "<script>go()</script>",
    ]
    for sample in samples:
        assert any(p.search(sample) for p, _ in INLINE_IN_TEMPLATE), sample
    fine = [
        '<script src="/static/x.js" defer></script>',
        '<script type="application/json" id="d">{}</script>',
    ]
    for sample in fine:
        assert not any(p.search(sample) for p, _ in INLINE_IN_TEMPLATE), sample


class InlineFinder(HTMLParser):
    """What in an HTML answer the policy would refuse: style and on* attributes, <style> elements,
    <script> elements with a body (JSON data blocks are not run and are allowed), javascript: links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, value in attrs:
            if name == "style" or name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self._script = ""

    def handle_data(self, data):
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            if self._script.strip():
                self.found.append(f"<script>{self._script.strip()[:60]}</script>")
            self._script = None


def inline_in(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def test_the_page_check_finds_what_it_looks_for():
    page = (
        '<p style="x"><button onclick="y">b</button><style>p{}</style><script>go()</script>'
        '<a href="javascript:z">a</a><form hx-on::after-request="w"></form>'
        '<script src="/s.js"></script><script type="application/json">{"a": 1}</script>'
    )
    assert len(inline_in(page)) == 6
