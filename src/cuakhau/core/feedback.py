"""Links for the public to rate the service they got, put on receipts, QR passes and results by any
app (the link is made here in core, so no app needs to import the plans app, which stores the ratings
and serves the public page):

    from cuakhau.core.feedback import feedback_link
    url = feedback_link("receipt", receipt.pk, unit=receipt.unit, staff=receipt.issued_by)

The link carries a token signed with the installation's SECRET_KEY (django.core.signing, its own salt)
naming the subject, the unit and, optionally, the staff member. Nobody can rate a unit or a person the
Board did not name in a link: a changed token fails the signature. A token is good for
FEEDBACK_TOKEN_MAX_AGE days; each subject can be rated once.

The link is a path (/plans/feedback/r/<token>/) unless settings.PUBLIC_BASE_URL is set
(e.g. "https://dichvu.bqlkkt.langson.gov.vn"), in which case it is absolute: printed receipts and QR
codes need the absolute form.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

SALT = "cuakhau.plans.feedback"  # kept as it was, so that links already printed stay valid
FEEDBACK_TOKEN_MAX_AGE_DAYS = 180

# What a subject may be; an app using another kind adds it here.
SUBJECT_TYPES = {
    "receipt": _("Biên lai thu phí"),
    "pass": _("Thẻ/mã QR qua cửa khẩu"),
    "result": _("Kết quả giải quyết thủ tục"),
    "procedure": _("Hồ sơ thủ tục hành chính"),
    "service": _("Dịch vụ tại cửa khẩu"),
}
_SUBJECT_ID = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class FeedbackSubject:
    subject_type: str
    subject_id: str
    unit_id: int
    staff_id: int | None


def _check(subject_type: str, subject_id) -> str:
    if subject_type not in SUBJECT_TYPES:
        raise ValueError(f"unknown feedback subject type {subject_type!r}; add it to SUBJECT_TYPES")
    subject_id = str(subject_id)
    if not _SUBJECT_ID.match(subject_id):
        raise ValueError(f"subject id {subject_id!r}: 1-64 letters, digits or ._:/-")
    return subject_id


def make_token(subject_type: str, subject_id, unit, staff=None) -> str:
    subject_id = _check(subject_type, subject_id)
    unit_id = getattr(unit, "pk", unit)
    staff_id = getattr(staff, "pk", staff)
    payload = {"t": subject_type, "i": subject_id, "u": int(unit_id)}
    if staff_id is not None:
        payload["s"] = int(staff_id)
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str) -> FeedbackSubject:
    """The subject a token names, or InvalidToken (forged, changed, expired or malformed)."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=FEEDBACK_TOKEN_MAX_AGE_DAYS * 86400)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise InvalidToken(str(exc)) from exc
    try:
        subject_type = payload["t"]
        subject_id = _check(subject_type, payload["i"])
        unit_id = int(payload["u"])
        staff_id = int(payload["s"]) if payload.get("s") is not None else None
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidToken("malformed payload") from exc
    return FeedbackSubject(subject_type, subject_id, unit_id, staff_id)


def feedback_link(subject_type: str, subject_id, unit, staff=None) -> str:
    """The public link to rate the service behind `subject` given by `unit` (and `staff`, a core.User)."""
    path = reverse(
        "plans:feedback_public", kwargs={"token": make_token(subject_type, subject_id, unit, staff)}
    )
    base = getattr(settings, "PUBLIC_BASE_URL", "") or ""
    return base.rstrip("/") + path


def sender_hash(client_ip: str | None) -> str:
    """A keyed hash of the sender's address: enough to count a sender's ratings, not to find them."""
    if not client_ip:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{SALT}:{client_ip}".encode(), hashlib.sha256).hexdigest()
