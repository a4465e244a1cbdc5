"""The audit log, read by inspectors (and admins): a filtered list and one event with its chain data."""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import sealed_rows
from ..actions import audit_actions
from ..anchors import published
from ..audit_chain import event_hash, verify_event
from ..models import AuditEvent
from ..permissions import get_for_user_or_404

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 50
DATE_FORMATS = ["%d/%m/%Y"]


class AuditFilterForm(forms.Form):
    object_type = forms.CharField(label=_("Loại đối tượng"), required=False, max_length=80)
    object_id = forms.CharField(label=_("Mã đối tượng"), required=False, max_length=64)
    actor = forms.CharField(label=_("Tài khoản"), required=False, max_length=150)
    action = forms.CharField(label=_("Hành động"), required=False, max_length=80)
    date_from = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Từ ngày: nhập ngày theo dạng dd/mm/yyyy.")},
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Đến ngày: nhập ngày theo dạng dd/mm/yyyy.")},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Đến ngày phải sau hoặc bằng Từ ngày."))
        return data


def _start_of_day(day: datetime.date) -> datetime.datetime:
    # Dates are the zone's (Asia/Ho_Chi_Minh) calendar days.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _log_for(user):
    events = AuditEvent.objects.for_user(user)
    if events.query.is_empty():
        raise Http404  # the log's existence is not advertised to other roles
    return events


def filter_events(events, data: dict[str, Any]):
    if data.get("object_type"):
        events = events.filter(object_type=data["object_type"].strip().lower())
    if data.get("object_id"):
        events = events.filter(object_id=data["object_id"].strip())
    if data.get("actor"):
        events = events.filter(actor_label__iexact=data["actor"].strip())
    if data.get("action"):
        action = data["action"].strip()
        # "auth." lists every auth action; a full name matches that action only.
        events = (
            events.filter(action__startswith=action)
            if action.endswith(".")
            else events.filter(action__in=audit_actions.aliases(audit_actions.canonical(action)))
        )
    if data.get("date_from"):
        events = events.filter(occurred_at__gte=_start_of_day(data["date_from"]))
    if data.get("date_to"):
        events = events.filter(occurred_at__lt=_start_of_day(data["date_to"] + datetime.timedelta(days=1)))
    return events


@login_required
def audit_list(request):
    events = _log_for(request.user)
    form = AuditFilterForm(request.GET or None)
    status = 200
    if form.is_bound and not form.is_valid():
        events, status = events.none(), 400
    elif form.is_bound:
        events = filter_events(events, form.cleaned_data)
    events = events.select_related("unit").order_by("-occurred_at", "-id")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    check_page(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "page": page,
            "events": page.object_list,
            "query": query.urlencode(),
            "action_choices": AuditEvent.objects.order_by("action")
            .values_list("action", flat=True)
            .distinct()[:200],
        },
        status=status,
    )


def check_page(events) -> None:
    """Mark each event of a page verified or broken (`event.broken`: the reasons, empty when it
    verifies): its hash recomputed, and the rows it was the last to seal compared with the database.
    Only the page's events and rows are read, so the list stays fast."""
    events = list(events)
    keys = {key for event in events if isinstance(event.rows, dict) for key in event.rows}
    status = sealed_rows.check_keys(keys) if keys else {}
    for event in events:
        reasons: list[StrOrPromise] = []
        if event.chain_seq is not None and event.hash != event_hash(event):
            reasons.append(_("nội dung không khớp mã băm (đã bị sửa)"))
        for key in sorted(event.rows or {}):
            latest, problem = status.get(key, (None, ""))
            if problem and latest == event.pk:
                reasons.append(f"{key}: {problem}")
        event.broken = reasons


def _pretty(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def diff_rows(before: Any, after: Any) -> list[dict[str, Any]]:
    """One row per field of before ∪ after, marking the ones that changed."""
    if not isinstance(before, dict | None) or not isinstance(after, dict | None):
        return [{"field": "", "before": _pretty(before), "after": _pretty(after), "changed": before != after}]
    before, after = before or {}, after or {}
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        rows.append(
            {
                "field": key,
                "before": _pretty(old) if key in before else "",
                "after": _pretty(new) if key in after else "",
                "changed": key not in before or key not in after or old != new,
            }
        )
    return rows


@login_required
def audit_detail(request, pk: int):
    event = get_for_user_or_404(_log_for(request.user).select_related("unit"), request.user, pk=pk)
    return render(
        request,
        "core/audit_detail.html",
        {
            "event": event,
            "rows": diff_rows(event.before, event.after),
            "check": verify_event(event),
        },
    )


def audit_anchors(request):
    """The published heads of the audit chain, for anyone (no login): whoever keeps a copy can later
    show that the log was rewritten (`cuakhau audit verify --anchors`)."""
    return render(
        request,
        "core/audit_anchors.html",
        {"anchors": published(PUBLIC_ANCHORS)},
    )


PUBLIC_ANCHORS = 500

urlpatterns = [
    path("minh-bach/neo-kiem-toan/", audit_anchors, name="audit-anchors"),
    path("audit/", audit_list, name="audit"),
    path("audit/<int:pk>/", audit_detail, name="audit-detail"),
]
