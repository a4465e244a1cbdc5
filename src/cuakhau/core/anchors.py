"""Anchoring the audit chain's head outside the database.

The chain (core.audit_chain) shows any change to a sealed event, but an insider who rewrites events
and recomputes every hash after them, head included, produces a chain that verifies. So the head is
published where the database's users cannot reach back: every hour and at each day's end,
`cuakhau audit anchor [--daily]` seals what is pending, stores the head as an AuditAnchor, shows it on
the public page and in the open data (JSON and CSV), e-mails it to settings.AUDIT_ANCHOR_EMAILS, and,
when settings.AUDIT_TSA_URL names a timestamp authority, has the head's hash stamped under RFC 3161
(the token proves the hash existed at that time). A TSA that does not answer never blocks anchoring:
the failure is stored and the stamp retried on the next run.

`cuakhau audit verify --anchors FILE_OR_URL` reads published anchors (JSON or CSV, a file or an
http(s) URL) and reports every one whose position and hash the current chain does not reproduce.
"""

from __future__ import annotations

import base64
import csv
import datetime
import io
import json
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .audit_chain import GENESIS_HASH, HEAD_ID, seal_pending
from .models import AnchorKind, AuditAnchor, AuditEvent, AuditSeal

logger = logging.getLogger(__name__)

TSA_TIMEOUT = 10  # seconds
TSA_RETRY_WINDOW = datetime.timedelta(days=2)
CSV_FIELDS = ("seq", "hash", "at", "kind", "tsa_at")


def anchor_emails() -> list[str]:
    value = getattr(settings, "AUDIT_ANCHOR_EMAILS", ()) or ()
    if isinstance(value, str):
        value = value.split(",")
    return [v.strip() for v in value if v and v.strip()]


def tsa_url() -> str:
    return (getattr(settings, "AUDIT_TSA_URL", "") or "").strip()


@transaction.atomic
def _store(kind: str) -> AuditAnchor:
    head = AuditSeal.objects.filter(pk=HEAD_ID).first()
    seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
    return AuditAnchor.objects.create(seq=seq, hash=head_hash, kind=kind, at=timezone.now())


def anchor_create(*, kind: str = AnchorKind.HOURLY) -> AuditAnchor:
    """Seal what is pending, store the head as an anchor, e-mail it and have it stamped. Outside any
    transaction (the seal and the stamp each take their own)."""
    if kind not in AnchorKind.values:
        raise ValueError(f"anchor kind must be one of {', '.join(AnchorKind.values)}")
    seal_pending(wait=True)
    anchor = _store(kind)
    _email(anchor)
    if tsa_url():
        retry_stamps(include=anchor)
    anchor.refresh_from_db()
    return anchor


def _email(anchor: AuditAnchor) -> None:
    recipients = anchor_emails()
    if not recipients:
        return
    at = timezone.localtime(anchor.at)
    subject = f"[cuakhau] Neo nhật ký kiểm toán #{anchor.seq} ({at:%d/%m/%Y %H:%M})"
    body = (
        "Đầu chuỗi nhật ký kiểm toán tại thời điểm neo / The audit chain's head when anchored:\n\n"
        f"  seq:  {anchor.seq}\n  hash: {anchor.hash}\n  at:   {anchor.at.isoformat()}\n  kind: {anchor.kind}\n\n"
        "Lưu thư này. Kiểm tra: cuakhau audit verify --anchors <tệp JSON/CSV đã công bố>\n"
    )
    try:
        send_mail(subject, body, None, recipients)
    except Exception as exc:  # the anchor is stored and published anyway
        logger.exception("e-mailing audit anchor #%s failed", anchor.seq)
        AuditAnchor.objects.filter(pk=anchor.pk).update(tsa_error=f"e-mail: {exc}"[:500])
        return
    AuditAnchor.objects.filter(pk=anchor.pk).update(emailed_to=", ".join(recipients)[:500])


# --- RFC 3161 ---------------------------------------------------------------------------------------


class TimestampError(Exception):
    pass


def timestamp_request(digest: bytes, nonce: int) -> bytes:
    """A DER TimeStampReq for a SHA-256 digest (RFC 3161 §2.4.1), asking for the TSA's certificate."""
    from asn1crypto import tsp

    return tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": digest},
            "nonce": nonce,
            "cert_req": True,
        }
    ).dump()


def parse_timestamp_response(data: bytes, digest: bytes, nonce: int) -> tuple[bytes, datetime.datetime]:
    """The token (DER ContentInfo) and its genTime, after checking the status, the imprint and the
    nonce. The TSA's signature is left to whoever checks the token with the TSA's certificate
    (e.g. `openssl ts -verify`)."""
    from asn1crypto import tsp

    try:
        response = tsp.TimeStampResp.load(data)
        status = response["status"]["status"].native
        if status not in ("granted", "granted_with_mods"):
            text = response["status"]["status_string"].native
            raise TimestampError(f"TSA refused: {status} {text or ''}".strip())
        token = response["time_stamp_token"]
        info = token["content"]["encap_content_info"]["content"].parsed
        imprint = info["message_imprint"]
        if imprint["hash_algorithm"]["algorithm"].native != "sha256":
            raise TimestampError("TSA answered with another hash algorithm")
        if imprint["hashed_message"].native != digest:
            raise TimestampError("TSA stamped another hash")
        if info["nonce"].native != nonce:
            raise TimestampError("TSA answered another request (nonce)")
        return token.dump(), info["gen_time"].native
    except TimestampError:
        raise
    except Exception as exc:  # malformed DER, missing parts
        raise TimestampError(f"unreadable TSA response: {exc}") from exc


def _http(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 30) -> bytes:
    """GET (or POST `data`) over http(s); the body, or an OSError (tests replace this)."""
    import urllib.request

    if not url.startswith(("http://", "https://")):
        raise OSError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")
    with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 - http(s) only, checked above
        return reply.read()


def request_stamp(digest: bytes, url: str) -> tuple[bytes, datetime.datetime]:
    nonce = secrets.randbits(63)
    try:
        body = _http(
            url,
            timestamp_request(digest, nonce),
            {"Content-Type": "application/timestamp-query"},
            timeout=TSA_TIMEOUT,
        )
    except OSError as exc:  # refused, timed out, HTTP error (urllib's HTTPError is one)
        raise TimestampError(f"TSA unreachable: {exc}") from exc
    return parse_timestamp_response(body, digest, nonce)


def retry_stamps(*, include: AuditAnchor | None = None) -> int:
    """Stamp the anchors of the last two days that have no token yet (the new one included);
    returns how many were stamped. A failure is stored on the anchor and left for the next run."""
    url = tsa_url()
    if not url:
        return 0
    since = timezone.now() - TSA_RETRY_WINDOW
    todo = list(AuditAnchor.objects.filter(tsa_token="", at__gte=since).order_by("at", "id"))
    if include is not None and all(a.pk != include.pk for a in todo):
        todo.append(include)
    stamped = 0
    for anchor in todo:
        try:
            token, at = request_stamp(bytes.fromhex(anchor.hash), url)
        except TimestampError as exc:
            logger.warning("timestamping audit anchor #%s failed: %s", anchor.seq, exc)
            AuditAnchor.objects.filter(pk=anchor.pk).update(tsa_url=url[:300], tsa_error=str(exc)[:500])
            break  # the TSA is down: the rest wait for the next run too
        AuditAnchor.objects.filter(pk=anchor.pk).update(
            tsa_url=url[:300], tsa_token=base64.b64encode(token).decode(), tsa_at=at, tsa_error=""
        )
        stamped += 1
    return stamped


# --- publishing -------------------------------------------------------------------------------------


def published(limit: int | None = None):
    rows = AuditAnchor.objects.order_by("-at", "-id")
    return rows[:limit] if limit else rows


def anchor_dict(anchor: AuditAnchor) -> dict[str, Any]:
    return {
        "seq": anchor.seq,
        "hash": anchor.hash,
        "at": anchor.at.astimezone(datetime.UTC).isoformat(),
        "kind": anchor.kind,
        "tsa_at": anchor.tsa_at.astimezone(datetime.UTC).isoformat() if anchor.tsa_at else None,
        "tsa_token": anchor.tsa_token or None,
    }


def anchors_csv(anchors) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for anchor in anchors:
        data = anchor_dict(anchor)
        writer.writerow([data[name] or "" for name in CSV_FIELDS])
    return out.getvalue()


# --- verifying against published anchors -------------------------------------------------------------


@dataclass
class AnchorsResult:
    ok: bool = True
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if self.ok:
            return f"OK: the chain reproduces {self.checked} published anchors"
        return f"BROKEN: {len(self.problems)} published anchor(s) not reproduced by the chain"


def read_source(source: str) -> str:
    if source.startswith(("http://", "https://")):
        return _http(source).decode("utf-8-sig")
    with open(source, encoding="utf-8-sig") as fh:
        return fh.read()


def parse_anchors(text: str) -> list[tuple[int, str]]:
    """(seq, hash) pairs from published JSON (a list, or {"anchors": [...]}) or CSV (seq,hash,...)."""
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        data = json.loads(stripped)
        if isinstance(data, dict):
            data = data.get("anchors", data.get("items", []))
        rows = [(item["seq"], item["hash"]) for item in data]
    else:
        rows = [(row["seq"], row["hash"]) for row in csv.DictReader(io.StringIO(stripped))]
    out = []
    for seq, head_hash in rows:
        head_hash = str(head_hash).strip().lower()
        if len(head_hash) != 64 or any(c not in "0123456789abcdef" for c in head_hash):
            raise ValueError(f"anchor seq {seq}: hash must be 64 hex digits")
        out.append((int(seq), head_hash))
    return out


def verify_anchors(anchors: list[tuple[int, str]]) -> AnchorsResult:
    """Each published (seq, hash) against the event at that position of the current chain."""
    result = AnchorsResult()
    wanted = sorted({seq for seq, _h in anchors if seq > 0})
    stored: dict[int, str] = {}
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        stored.update(AuditEvent.objects.filter(chain_seq__in=chunk).values_list("chain_seq", "hash"))
    for seq, published_hash in anchors:
        result.checked += 1
        if seq == 0:
            if published_hash != GENESIS_HASH:
                result.problems.append(f"seq 0: published {published_hash[:16]}, not the genesis hash")
            continue
        current = stored.get(seq)
        if current is None:
            result.problems.append(f"seq {seq}: published but not in the chain (events removed?)")
        elif current != published_hash:
            result.problems.append(
                f"seq {seq}: the chain has {current[:16]}…, published {published_hash[:16]}… (history rewritten)"
            )
    result.ok = not result.problems
    return result
