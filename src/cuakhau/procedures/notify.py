"""Telling the applicant (and the handling unit) what happened to a dossier. Messages go out after the
transaction commits, through each configured channel: e-mail by Django's email backend (console or
locmem in development and tests), and any other channel named in settings.PROCEDURES_NOTIFY_CHANNELS,
for example an SMS gateway:

    class MySms(Channel):
        key = "sms"
        def send(self, *, dossier, subject, body, recipients=None): ...

    PROCEDURES_NOTIFY_CHANNELS = ["cuakhau.procedures.notify.EmailChannel", "myproject.sms.MySms"]

A failing channel is logged and does not undo the change it reports."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cuakhau.core.vnformat import format_datetime

logger = logging.getLogger(__name__)
DEFAULT_CHANNELS = ["cuakhau.procedures.notify.EmailChannel"]


class Channel:
    key = "base"

    def send(self, *, dossier, subject: str, body: str, recipients: list[str] | None = None) -> int:
        raise NotImplementedError


class EmailChannel(Channel):
    key = "email"

    def send(self, *, dossier, subject, body, recipients=None) -> int:
        to = (
            recipients
            if recipients is not None
            else ([dossier.applicant_email] if dossier.applicant_email else [])
        )
        if not to:
            return 0
        return send_mail(subject, body, None, to, fail_silently=False)


class LogSmsChannel(Channel):
    """A stand-in for an SMS gateway: writes the message to the log (development)."""

    key = "sms"
    sent: list[tuple[str, str]] = []

    def send(self, *, dossier, subject, body, recipients=None) -> int:
        if recipients is not None or not dossier.applicant_phone:
            return 0
        text = f"{dossier.code}: {subject}"[:160]
        self.sent.append((dossier.applicant_phone, text))
        logger.info("SMS to %s: %s", dossier.applicant_phone, text)
        return 1


def channels() -> list[Channel]:
    return [
        import_string(path)() for path in getattr(settings, "PROCEDURES_NOTIFY_CHANNELS", DEFAULT_CHANNELS)
    ]


def _lookup_hint(dossier) -> str:
    from .documents import lookup_url

    return _("Tra cứu: %(url)s (mã hồ sơ %(code)s, mã tra cứu %(key)s).") % {
        "url": lookup_url(dossier),
        "code": dossier.code,
        "key": dossier.lookup_key_display,
    }


def message(dossier, event: str, extra: str = "") -> tuple[str, str]:
    with translation.override("vi"):
        name = dossier.version.name
        due = format_datetime(dossier.appointment_at) if dossier.appointment_at else ""
        texts = {
            "submitted": _(
                "Hệ thống đã nhận hồ sơ %(code)s (%(name)s); Bộ phận một cửa sẽ kiểm tra và tiếp nhận."
            ),
            "received": _("Hồ sơ %(code)s (%(name)s) đã được tiếp nhận; hẹn trả kết quả %(due)s."),
            "refused": _("Hồ sơ %(code)s không được tiếp nhận: %(extra)s"),
            "supplement_requested": _(
                "Hồ sơ %(code)s cần bổ sung: %(extra)s. Thời hạn giải quyết tạm dừng đến khi nhận đủ."
            ),
            "supplemented": _("Đã nhận hồ sơ bổ sung của hồ sơ %(code)s; hẹn trả kết quả %(due)s."),
            "fee_due": _("Hồ sơ %(code)s: đề nghị nộp phí, lệ phí để nhận kết quả."),
            "processed": _("Hồ sơ %(code)s đã có kết quả; mời đến nhận hoặc nhận qua dịch vụ bưu chính."),
            "returned": _("Đã trả kết quả hồ sơ %(code)s. Xin mời đánh giá mức độ hài lòng."),
            "stopped": _("Hồ sơ %(code)s đã dừng giải quyết theo đề nghị rút hồ sơ."),
            "apologised": _("Xin lỗi vì hồ sơ %(code)s chậm trả kết quả; hẹn lại %(due)s."),
        }
        body = texts[event] % {
            "code": dossier.code,
            "name": name,
            "due": due,
            "extra": extra or dossier.refuse_reason,
        }
        subject = _("Hồ sơ %(code)s") % {"code": dossier.code}
        return subject, f"{body}\n\n{_lookup_hint(dossier)}"


def send_now(dossier, event: str, extra: str = "") -> int:
    subject, body = message(dossier, event, extra)
    total = 0
    for channel in channels():
        try:
            total += channel.send(dossier=dossier, subject=subject, body=body) or 0
        except Exception:  # noqa: BLE001 - a gateway failure must not lose the committed change
            logger.exception("notification %s for %s by %s failed", event, dossier.code, channel.key)
    return total


def on_commit(dossier, event: str, extra: str = "") -> None:
    transaction.on_commit(lambda: send_now(dossier, event, extra), robust=True)


def warn_unit_on_commit(dossier, recipients: list[str]) -> None:
    if not recipients:
        return

    def _send():
        with translation.override("vi"):
            subject = _("Sắp quá hạn: hồ sơ %(code)s") % {"code": dossier.code}
            body = _(
                "Hồ sơ %(code)s (%(name)s) đến hạn %(due)s. Đề nghị giải quyết hoặc lập phiếu xin lỗi, hẹn lại."
            ) % {
                "code": dossier.code,
                "name": dossier.version.name,
                "due": format_datetime(dossier.due_at),
            }
        try:
            EmailChannel().send(dossier=dossier, subject=subject, body=body, recipients=recipients)
        except Exception:  # noqa: BLE001
            logger.exception("warning for %s failed", dossier.code)

    transaction.on_commit(_send, robust=True)
