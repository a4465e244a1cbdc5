"""The user's own notifications (deadline reminders), as a page and as an htmx fragment, a page of
them at a time (core.pages.paginate: no row count)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cuakhau.core.pages import paginate

from .. import services
from ..models import (
    Notification,
)
from .base import module_page


def _page(request):
    return paginate(request, Notification.objects.for_user(request.user))


@module_page
def notifications(request):
    page = _page(request)
    template = "plans/_notifications.html" if request.htmx else "plans/notifications.html"
    return render(request, template, {"notifications": page, "page": page})


@module_page
@require_POST
def notifications_read(request):
    ids = [i for i in request.POST.getlist("id") if i.isdigit()]
    mine = Notification.objects.for_user(request.user).unread()
    mine = mine.filter(pk__in=ids) if ids else mine
    services.notification_mark_read(actor=request.user, notifications=list(mine))
    if request.htmx:
        page = _page(request)
        return render(request, "plans/_notifications.html", {"notifications": page, "page": page})
    return redirect("plans:notifications")
