"""Yards, recent gate events and the exceptions operators resolve."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.errors import ServiceError
from cuakhau.core.permissions import CHANGE, get_for_user_or_404
from cuakhau.core.views.forms import flash_errors

from .. import permissions, selectors, services
from ..models import Declaration, GateException
from ..permissions import REGULATE


@login_required
def yards(request):
    if not permissions.may_open_yards(request.user):
        raise Http404
    return render(
        request,
        "traffic/yards.html",
        {
            "yards": selectors.yards(user=request.user),
            "exceptions": selectors.open_exceptions(user=request.user)[:100],
            "released": selectors.released_exits(user=request.user, limit=20),
            "events": selectors.recent_events(user=request.user),
            "can_resolve": permissions.may_resolve_exceptions(request.user),
        },
    )


@login_required
@require_POST
def exception_resolve(request, pk):
    exception = get_for_user_or_404(GateException.objects.all(), request.user, CHANGE, pk=pk)
    number = (request.POST.get("declaration") or "").strip().upper().removeprefix("TK")
    note = request.POST.get("note", "")
    try:
        if request.POST.get("dismiss"):
            services.exception_dismiss(actor=request.user, exception=exception, note=note)
        else:
            declaration = None
            if number:
                if not number.isdigit():
                    raise ServiceError(_("Số tờ khai dạng TK000123."), field="declaration")
                declaration = (
                    Declaration.objects.for_user(request.user, REGULATE).filter(pk=int(number)).first()
                )
                if declaration is None:
                    raise ServiceError(
                        _("Không có tờ khai %(n)s trong phạm vi của bạn.") % {"n": number},
                        field="declaration",
                    )
            services.exception_resolve(
                actor=request.user, exception=exception, declaration=declaration, note=note
            )
    except ServiceError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Đã xử lý ngoại lệ."))
    return redirect("traffic:yards")
