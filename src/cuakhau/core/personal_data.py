"""A data subject's records across the apps, for the export and the erasure that the Personal Data
Protection Law (91/2025/QH15) asks of a controller (docs/personal-data.md). Core imports no app: each
app registers, in its AppConfig.ready(), how to find a subject's records, which of its records are
past their retention period and how to anonymise one.

    personal_data.register(
        "parties.driver", label=_("Lái xe"),
        find=lambda *, id_number, user: [...],      # JSON-ready dicts, the subject's own data
        due=lambda cutoff: queryset_or_list,        # records whose retention ended before cutoff
        anonymise=lambda obj: None,                 # replace names/ID/phone with PLACEHOLDER, save
    )

Every export and every erasure is one audit event, which names the sources and counts, never the
number searched for (only its masked form)."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks
from django.db import transaction
from django.utils import timezone

PLACEHOLDER = "[đã ẩn danh]"


@dataclass(frozen=True)
class Source:
    name: str
    label: Any
    find: Callable[..., list[dict]]
    due: Callable[[datetime.datetime], Any]
    anonymise: Callable[[Any], None]


_sources: dict[str, Source] = {}


def register(name: str, *, label, find, due, anonymise) -> None:
    _sources[name] = Source(name, label, find, due, anonymise)


def sources() -> list[Source]:
    return [_sources[k] for k in sorted(_sources)]


def retention_days(name: str) -> int:
    return int(settings.PERSONAL_DATA_RETENTION_DAYS.get(name, 5 * 365))


def mask(number: str) -> str:
    number = number or ""
    return (number[:2] + "*" * max(len(number) - 4, 1) + number[-2:]) if len(number) > 4 else "***"


def _user_record(user) -> dict:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "role": user.role,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


@transaction.atomic
def export(*, actor, id_number: str = "", user=None) -> dict:
    """Every record about the person with this ID number or this account, per source, as JSON-ready
    data; audited (personal_data.export)."""
    from .audit import audit_record

    id_number = (id_number or "").strip()
    if not id_number and user is None:
        from django.utils.translation import gettext as _

        from .errors import ServiceError

        raise ServiceError(
            _("Cần ghi số giấy tờ hoặc tên đăng nhập của người cần trích xuất."), field="subject"
        )
    records: dict[str, list[dict]] = {}
    if user is not None:
        records["core.user"] = [_user_record(user)]
    for source in sources():
        found = source.find(id_number=id_number, user=user)
        if found:
            records[source.name] = found
    audit_record(
        action="core.personal_data.export",
        actor=actor,
        after={
            "subject": mask(id_number) if id_number else f"user:{user.pk}",
            "counts": {name: len(rows) for name, rows in records.items()},
        },
    )
    return {
        "subject": {"id_number": id_number or None, "username": user.username if user else None},
        "exported_at": timezone.now().isoformat(),
        "records": records,
    }


def due(now: datetime.datetime | None = None) -> dict[str, list]:
    """{source name: the records past their retention period}."""
    now = now or timezone.now()
    out = {}
    for source in sources():
        cutoff = now - datetime.timedelta(days=retention_days(source.name))
        rows = list(source.due(cutoff))
        if rows:
            out[source.name] = rows
    return out


@transaction.atomic
def erase_due(*, actor, now: datetime.datetime | None = None) -> dict[str, int]:
    """Anonymise every record past its retention period (names, ID numbers, phones replaced; the
    record's legal and financial fields kept); one audit event with the counts."""
    from .audit import audit_record

    counts = {}
    for name, rows in due(now).items():
        source = _sources[name]
        for obj in rows:
            source.anonymise(obj)
        counts[name] = len(rows)
    audit_record(action="core.personal_data.erase", actor=actor, after={"counts": counts})
    return counts


# ID-like numbers (CCCD 12 digits, Chinese ID 17 digits and X, passports) and phone numbers, as they
# may end up in a log line or an error report: masked to their first two and last two characters.
_PERSONAL_RE = re.compile(
    r"(?<![\w])(?:\+?84[\s.]?|0)\d{2,3}[\s.]?\d{3}[\s.]?\d{3,4}(?![\w])"  # phones: 0912 345 678, +84 912...
    r"|(?<![\w])\d{9,17}[\dXx]?(?![\w])"  # CCCD, CMND, Chinese resident ID
    r"|(?<![\w])[A-Z]\d{7,8}(?![\w])"  # passports: C1234567, E12345678
)


def mask_text(text: str) -> str:
    return _PERSONAL_RE.sub(lambda m: mask(re.sub(r"[\s.+]", "", m.group(0))), text)


class MaskPersonalData(logging.Filter):
    """A logging filter (settings.LOGGING) that masks ID-like numbers and phone numbers in every
    record's message and traceback, so no log line or error report carries them in full."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler
            return True
        record.msg, record.args = mask_text(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True


@checks.register(checks.Tags.security, deploy=True)
def check_data_key(app_configs=None, **kwargs):
    """`check --deploy`: production seals ID numbers under a key from the environment, not the one
    generated under var/ (which lives beside the database it protects)."""
    if getattr(settings, "PERSONAL_DATA_KEY_FROM_ENV", False):
        return []
    return [
        checks.Warning(
            "CUAKHAU_DATA_KEY is not set: ID numbers are sealed with a key generated under var/data_key.",
            hint="Set CUAKHAU_DATA_KEY to base64 of 32 random bytes (openssl rand -base64 32), kept "
            "apart from the database and its backups.",
            id="cuakhau.W101",
        )
    ]
