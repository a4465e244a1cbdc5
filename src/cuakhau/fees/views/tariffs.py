from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.core.pages import TransitionPage
from cuakhau.core.permissions import CHANGE, can, may_add

from .. import selectors, services
from ..actions import TARIFF_WORKFLOW
from ..engine import simple_charge
from ..formatting import explain
from ..forms import (
    CalculatorForm,
    RuleConfirmForm,
    TariffDraftForm,
    TariffReviseForm,
    formset_rules,
    rule_formset,
)
from ..models import Tariff, TariffStatus
from ..permissions import may_confirm


def calculator(request):
    """Public fee calculator (no sign-in): the same engine as gate-in assessment."""
    tariffs = selectors.tariff_codes_in_force()
    form = CalculatorForm(request.GET or None, tariffs=tariffs)
    assessment = tariff = None
    lines: list[str] = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        charge = simple_charge(
            flow=data["flow"],
            goods=data["goods"] or None,
            tonnes=data["tonnes"],
            m3=data["m3"],
            container=data["container"],
            vehicle_tonnes=data["vehicle_tonnes"],
            origin=data["origin"],
            taxable=data["taxable"],
            delivered_inland=data["delivered_inland"],
            transship_only=data["transship_only"],
            tariff_code=data["tariff"],
            on=data["on"],
        )
        try:
            assessment, tariff = selectors.fee_quote(charge)
            lines = explain(assessment)
        except ServiceError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
    context = {
        "form": form,
        "assessment": assessment,
        "tariff": tariff,
        "lines": lines,
        "show_tariffs": Tariff.objects.for_user(request.user).exists(),
    }
    if getattr(request, "htmx", False):
        # htmx swaps only 2xx answers: the partial carries its own error messages.
        return render(request, "fees/_quote.html", context)
    return render(request, "fees/calculator.html", context, status=400 if form.errors else 200)


@login_required
def tariff_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    tariffs = selectors.tariff_list(user=request.user, q=q, status=status)
    return render(
        request,
        "fees/tariff_list.html",
        {
            "tariffs": tariffs,
            "q": q,
            "status": status,
            "statuses": TariffStatus.choices,
            "can_create": may_add(request.user, Tariff),
        },
    )


def _tariff_page(
    request, tariff: Tariff, *, bound: RuleConfirmForm | None = None, status: int = 200, action_forms=None
):
    """The tariff's page; `bound` is a refused confirmation form, shown again on its rule; `action_forms`
    the workflow's steps (TARIFF_STEPS), with a refused one shown again."""
    rules = list(selectors.tariff_rules(tariff=tariff))
    can_confirm = tariff.status != TariffStatus.DRAFT and may_confirm(request.user)
    for rule in rules:
        rule.confirm_form = None
        if can_confirm and rule.is_demo and getattr(rule, "confirmation", None) is None:
            rule.confirm_form = bound if bound is not None and bound.prefix == f"confirm-{rule.key}" else None
            rule.confirm_form = rule.confirm_form or RuleConfirmForm(rule=rule)
    return render(
        request,
        "fees/tariff_detail.html",
        {
            "tariff": tariff,
            "rules": rules,
            "history": selectors.tariff_history(user=request.user, tariff=tariff),
            "changes": selectors.rule_changes(tariff=tariff),
            "can_revise": tariff.status == TariffStatus.IN_FORCE and can(request.user, CHANGE, tariff),
            "can_edit_draft": tariff.status == TariffStatus.DRAFT and can(request.user, CHANGE, tariff),
            "can_confirm": can_confirm,
            "action_forms": TARIFF_STEPS.action_forms(request.user, tariff)
            if action_forms is None
            else action_forms,
            "unconfirmed": sum(1 for r in rules if r.is_demo and getattr(r, "confirmation", None) is None),
        },
        status=status,
    )


@login_required
def tariff_detail(request, pk):
    return _tariff_page(request, selectors.tariff_detail(user=request.user, pk=pk))


@login_required
@require_POST
def tariff_rule_confirm(request, pk, key):
    """Confirm one illustrative rule against its resolution (the Board's tariff keepers only; anyone
    else gets 404, as for a tariff they may not change)."""
    tariff = selectors.tariff_detail(user=request.user, pk=pk)
    rule = tariff.rules.filter(key=key).first()
    if rule is None or not may_confirm(request.user):
        raise Http404
    form = RuleConfirmForm(request.POST, rule=rule)
    if form.is_valid():
        try:
            data = form.cleaned_data
            services.rule_confirm(actor=request.user, rule=rule, citation=data["citation"], note=data["note"])
        except ServiceError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Đã xác nhận quy tắc %(key)s theo %(citation)s: các khoản phí tính theo quy tắc này được lập biên lai."
                )
                % {"key": rule.key, "citation": form.cleaned_data["citation"]},
            )
            return redirect(reverse("fees:tariff_detail", args=[tariff.pk]) + f"#rule-{rule.key}")
    return _tariff_page(request, tariff, bound=form, status=400)


@login_required
def tariff_revise(request, pk):
    tariff = selectors.tariff_detail(user=request.user, pk=pk, action=CHANGE)
    if tariff.status != TariffStatus.IN_FORCE:
        raise Http404
    form = TariffReviseForm(request.POST or None, tariff=tariff)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.tariff_revise(
                actor=request.user, tariff=tariff, rule_changes=form.rule_changes(), **form.terms()
            )
        except ServiceError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã ban hành phiên bản %(version)s của biểu phí %(code)s.")
                % {"version": new.version, "code": new.code},
            )
            return redirect("fees:tariff_detail", pk=new.pk)
    return render(
        request,
        "fees/tariff_revise.html",
        {"form": form, "tariff": tariff},
        status=400 if form.errors else 200,
    )


def _draft_page(request, *, tariff: Tariff | None):
    """Enter a new tariff (tariff None) or change a draft: the resolution, the terms (the same fields as
    a revision) and the rules. "Add a rule" posts back with one more empty row and saves nothing."""
    posted = request.method == "POST"
    add_row = posted and "add_rule" in request.POST
    form = TariffDraftForm(request.POST if posted else None, tariff=tariff, quiet=add_row)
    rules = rule_formset(request.POST if posted else None, tariff=tariff, add_row=add_row)
    if posted and not add_row:
        form_ok, rules_ok = form.is_valid(), rules.is_valid()
        if form_ok and rules_ok:
            fields = form.terms() | {
                "resolution": form.resolution(),
                "name": form.cleaned_data["name"],
                "province": form.cleaned_data["province"],
                "rules": formset_rules(rules),
            }
            try:
                if tariff is None:
                    saved = services.tariff_draft_create(
                        actor=request.user, code=form.cleaned_data["code"], **fields
                    )
                else:
                    saved = services.tariff_draft_update(actor=request.user, tariff=tariff, **fields)
            except ServiceError as exc:
                form_add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã lưu dự thảo biểu phí %(code)s. Kiểm tra rồi bấm “Ban hành” để áp dụng.")
                    % {"code": saved.code},
                )
                return redirect("fees:tariff_detail", pk=saved.pk)
    bad = posted and not add_row and (form.errors or rules.total_error_count())
    return render(
        request,
        "fees/tariff_form.html",
        {
            "form": form,
            "rules": rules,
            "tariff": tariff,
            "error_summary": _error_summary(form, rules) if bad else [],
        },
        status=400 if bad else 200,
    )


def _error_summary(form, rules) -> list[dict]:
    """Every refusal on the page, listed above the form with a link to its field: a tariff with many
    rules is long, and the page opens at its top."""
    items = []
    forms_named = [(form, "")] + [
        (rf, _("Quy tắc %(n)s") % {"n": n}) for n, rf in enumerate(rules.forms, start=1)
    ]
    for f, where in forms_named:
        for name, errors in f.errors.items():
            bound = f[name] if name in f.fields else None
            label = str(bound.label) if bound is not None else ""
            for error in errors:
                items.append(
                    {
                        "where": " — ".join(part for part in (where, label) if part),
                        "anchor": bound.auto_id if bound is not None else "",
                        "message": error,
                    }
                )
    items += [{"where": "", "anchor": "", "message": e} for e in rules.non_form_errors()]
    return items


@login_required
def tariff_create(request):
    if not may_add(request.user, Tariff):
        raise Http404
    return _draft_page(request, tariff=None)


@login_required
def tariff_edit(request, pk):
    tariff = selectors.tariff_detail(user=request.user, pk=pk, action=CHANGE)
    if tariff.status != TariffStatus.DRAFT:
        raise Http404  # published: never edited in place, revised instead
    return _draft_page(request, tariff=tariff)


# The tariff's workflow steps (actions.TARIFF_WORKFLOW) on its page: publishing a draft. A step posts to
# its own URL (fees:tariff_<step>); the service refuses what the page would not offer.
_STEP_SERVICES = {"publish": services.tariff_publish}


def _step_form(name, obj, data, files) -> forms.Form:
    return forms.Form(data, files, prefix=name)  # publishing asks nothing more


TARIFF_STEPS = TransitionPage(
    workflow=TARIFF_WORKFLOW,
    get_object=lambda request, pk: selectors.tariff_detail(user=request.user, pk=pk, action=CHANGE),
    form_for=_step_form,
    apply=lambda user, obj, name, data, files: _STEP_SERVICES[name](actor=user, tariff=obj),
    render=lambda request, obj, action_forms, failed, status: _tariff_page(
        request, obj, status=status, action_forms=action_forms
    ),
    url_for=lambda obj, name: reverse(f"fees:tariff_{name}", args=[obj.pk]),
    after=lambda request, obj: reverse("fees:tariff_detail", args=[obj.pk]),
    done_message=lambda obj, transition: (
        _("Đã ban hành biểu phí %(code)s, áp dụng từ %(day)s.")
        % {"code": obj.code, "day": obj.effective_from.strftime("%d/%m/%Y")}
    ),
)
_tariff_step = TARIFF_STEPS.view()


def tariff_publish(request, pk):
    return _tariff_step(request, pk=pk, action="publish")
