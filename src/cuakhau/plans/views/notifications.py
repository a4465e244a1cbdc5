"""The user's own notifications (deadline reminders), as a page and as an htmx fragment."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import services
from ..models import (
    Notification,
)
from .base import module_page


@module_page
def notifications(request):
    items = Notification.objects.for_user(request.user)[:200]
    template = "plans/_notifications.html" if request.htmx else "plans/notifications.html"
    return render(request, template, {"notifications": items})


@module_page
@require_POST
def notifications_read(request):
    ids = [i for i in request.POST.getlist("id") if i.isdigit()]
    mine = Notification.objects.for_user(request.user).unread()
    mine = mine.filter(pk__in=ids) if ids else mine
    services.notification_mark_read(actor=request.user, notifications=list(mine))
    if request.htmx:
        return render(
            request,
            "plans/_notifications.html",
            {"notifications": Notification.objects.for_user(request.user)[:200]},
        )
    return redirect("plans:notifications")
