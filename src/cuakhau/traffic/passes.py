"""The QR pass: a token signed with the installation's SECRET_KEY (django.core.signing, HMAC-SHA256,
with a salt of its own so that no other signed value of the platform can stand in for it).

The token carries the declaration's id and a random nonce drawn at approval; the nonce is stored
on the declaration, so a token cannot be guessed (the HMAC) nor kept after the declaration is
cancelled or re-approved (the nonce no longer matches). The QR image (segno) encodes the URL of the
driver's page; scanners may send the whole URL or the bare token."""

from __future__ import annotations

import re
import secrets

import segno
from django.core import signing
from django.urls import reverse

SALT = "cuakhau.traffic.pass.v1"
_URL_TOKEN = re.compile(r"/pass/([^/?#\s]+)/?")


def new_nonce() -> str:
    return secrets.token_urlsafe(9)


def make_token(declaration) -> str:
    return signing.dumps([declaration.pk, declaration.pass_nonce], salt=SALT, compress=False)


def read_token(raw: str) -> tuple[int, str] | None:
    """(declaration id, nonce) from a token or a pass URL, or None if it is not a valid signature."""
    raw = (raw or "").strip()
    match = _URL_TOKEN.search(raw)
    if match:
        raw = match.group(1)
    if not raw or len(raw) > 200:
        return None
    try:
        pk, nonce = signing.loads(raw, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(nonce, str):
        return None
    return pk, nonce


def pass_path(declaration) -> str:
    return reverse("traffic:pass", kwargs={"token": make_token(declaration)})


def qr_svg(data: str, *, scale: int = 5) -> str:
    """An inline SVG of the QR code (error correction M), with its own title for screen readers."""
    qr = segno.make(data, error="m", micro=False)
    return qr.svg_inline(scale=scale, border=2, title="QR")
