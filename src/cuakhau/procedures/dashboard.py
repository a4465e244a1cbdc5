"""Dashboard card: open dossiers, those due within a working day, and overdue ones."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.dashboard import Card

from .models import OPEN, RUNNING, Dossier


def dashboard_cards(user) -> list[Card]:
    rows = Dossier.objects.for_user(user)
    if not rows.exists():
        return []
    now = timezone.now()
    return [
        Card(
            title=_("Hồ sơ thủ tục hành chính đang giải quyết"),
            value=rows.filter(status__in=OPEN).count(),
            url=reverse("procedures:list") + "?status=open",
            rows=[
                (_("Chờ tiếp nhận"), rows.filter(status="new").count()),
                (_("Quá hạn"), rows.filter(status__in=RUNNING, due_at__lt=now).count()),
            ],
        )
    ]
