"""The agency officer's pages: the checks to record, and recording one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.errors import ServiceError
from cuakhau.core.permissions import get_for_user_or_404
from cuakhau.core.views.forms import flash_errors

from .. import permissions, selectors, services
from ..forms import CheckForm
from ..models import AgencyCheck
from .base import PAGE_SIZE


@login_required
def checks(request):
    if not permissions.may_open_checks(request.user):
        raise Http404
    status = request.GET.get("status", "pending")
    return render(
        request,
        "traffic/checks.html",
        {
            "checks": selectors.checks_for(user=request.user, status=status)[:PAGE_SIZE],
            "status": status,
            "agency": request.user.unit.get_agency_kind_display() if request.user.unit else "",
        },
    )


@login_required
@require_POST
def check_record(request, pk):
    check = get_for_user_or_404(
        AgencyCheck.objects.select_related("declaration"), request.user, "record", pk=pk
    )
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn kết quả: đạt hoặc tạm giữ."))
    else:
        try:
            services.check_record(actor=request.user, check=check, **form.cleaned_data)
        except ServiceError as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request, _("Đã ghi kết quả cho tờ khai %(n)s.") % {"n": check.declaration.number}
            )
    return redirect(
        request.POST.get("next")
        if (request.POST.get("next") or "").startswith("/traffic/")
        else "traffic:checks"
    )
