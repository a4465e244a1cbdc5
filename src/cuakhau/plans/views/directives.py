"""Pages for leaders' directives and the actions that carry them out."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.permissions import CHANGE
from cuakhau.core.views.forms import submit

from .. import selectors, services
from ..actions import ACTION
from ..forms import (
    ActionForm,
    ActionUpdateForm,
    DirectiveForm,
    RescheduleForm,
)
from ..models import (
    ActionStatus,
)
from ..permissions import PROGRESS, is_manager
from .base import form_page, manager_page, module_page


@module_page
def directive_list(request):
    directives = selectors.directive_list(user=request.user)
    return render(
        request,
        "plans/directive_list.html",
        {"directives": directives, "can_manage": is_manager(request.user)},
    )


@manager_page
def directive_create(request):
    form = DirectiveForm(request.POST or None)
    directive = submit(request, form, lambda data: services.directive_create(actor=request.user, **data))
    if directive:
        messages.success(request, _("Đã ghi ý kiến chỉ đạo; hãy giao việc cho các đơn vị."))
        return redirect("plans:directive_detail", pk=directive.pk)
    return form_page(request, form, _("Ghi ý kiến chỉ đạo"), reverse("plans:directive_list"))


@module_page
def directive_detail(request, pk):
    directive = selectors.directive_detail(user=request.user, pk=pk)
    return render(
        request,
        "plans/directive_detail.html",
        {
            "directive": directive,
            "actions": selectors.directive_actions(user=request.user, directive=directive),
            "can_manage": is_manager(request.user),
            "today": timezone.localdate(),
        },
    )


@manager_page
def action_create(request, pk):
    directive = selectors.directive_detail(user=request.user, pk=pk, action=CHANGE)
    form = ActionForm(request.POST or None)
    if submit(
        request, form, lambda data: services.action_add(actor=request.user, directive=directive, **data)
    ):
        messages.success(request, _("Đã giao việc."))
        return redirect("plans:directive_detail", pk=directive.pk)
    return form_page(
        request, form, _("Giao việc thực hiện chỉ đạo"), reverse("plans:directive_detail", args=[pk])
    )


@module_page
def action_list(request):
    status = request.GET.get("status", "")
    if status not in ActionStatus.values:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    actions = selectors.action_list(user=request.user, status=status, overdue=overdue)
    return render(
        request,
        "plans/action_list.html",
        {
            "actions": actions,
            "status": status,
            "overdue": overdue,
            "statuses": ActionStatus.choices,
            "today": timezone.localdate(),
        },
    )


def _action_page(request, action, *, update_form=None, reschedule_form=None, status=200):
    steps = {t.name for t in ACTION.available(request.user, action)}
    may_cancel = "cancel" in steps
    return render(
        request,
        "plans/action_detail.html",
        {
            "action": action,
            "updates": action.updates.select_related("author"),
            # A refused update keeps its form (and its error) on the page even once the action is finished.
            "update_form": update_form
            if update_form is not None
            else (
                ActionUpdateForm(initial={"status": action.status}, may_cancel=may_cancel)
                if "report" in steps
                else None
            ),
            "reschedule_form": reschedule_form
            if reschedule_form is not None
            else (RescheduleForm() if "reschedule" in steps else None),
        },
        status=status,
    )


@module_page
def action_detail(request, pk):
    return _action_page(request, selectors.action_detail(user=request.user, pk=pk))


@module_page
@require_POST
def action_update(request, pk):
    action = selectors.action_detail(user=request.user, pk=pk, action=PROGRESS)
    form = ActionUpdateForm(request.POST, may_cancel=ACTION.permitted(request.user, action, "cancel"))
    if submit(request, form, lambda data: services.action_update(actor=request.user, action=action, **data)):
        messages.success(request, _("Đã cập nhật việc."))
        return redirect("plans:action_detail", pk=action.pk)
    return _action_page(request, action, update_form=form, status=400)


@manager_page
@require_POST
def action_reschedule(request, pk):
    action = selectors.action_detail(user=request.user, pk=pk, action=CHANGE)
    form = RescheduleForm(request.POST)
    if submit(
        request, form, lambda data: services.action_reschedule(actor=request.user, action=action, **data)
    ):
        messages.success(request, _("Đã đổi hạn."))
        return redirect("plans:action_detail", pk=action.pk)
    return _action_page(request, action, reschedule_form=form, status=400)
