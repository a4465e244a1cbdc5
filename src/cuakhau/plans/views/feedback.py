"""The public's rating page (no login) and the leaders' figures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from cuakhau.core import throttle
from cuakhau.core.errors import ServiceError, form_add_errors
from cuakhau.core.feedback import SUBJECT_TYPES, InvalidToken, read_token
from cuakhau.core.middleware import client_ip
from cuakhau.core.models import Unit

from .. import selectors, services
from ..forms import (
    FeedbackForm,
)
from ..models import (
    Feedback,
)
from ..permissions import may_read_feedback


@login_required
def feedback_figures(request):
    if not may_read_feedback(request.user):
        raise Http404
    return render(request, "plans/feedback_figures.html", selectors.feedback_figures(user=request.user))


def feedback_public(request, token):
    """The public page a link on a receipt, pass or result opens: no login. Submissions, a link valid or
    not, are limited per address (core.throttle)."""
    if request.method == "POST":
        retry = throttle.check(request, "feedback")
        if retry is not None:
            return throttle.refused_page(request, retry)
    try:
        subject = read_token(token)
    except InvalidToken:
        return render(request, "plans/feedback_invalid.html", status=404)
    unit = Unit.objects.filter(pk=subject.unit_id, is_active=True).first()
    if unit is None:
        return render(request, "plans/feedback_invalid.html", status=404)
    staff = unit.users.model.objects.filter(pk=subject.staff_id).first() if subject.staff_id else None
    already = Feedback.objects.filter(
        subject_type=subject.subject_type, subject_id=subject.subject_id, unit=unit
    ).exists()
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST" and not already:
        if form.is_valid():
            try:
                services.feedback_submit(
                    actor=request.user if request.user.is_authenticated else None,
                    subject=subject,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                    client_ip=client_ip(request),
                )
            except ServiceError as exc:
                form_add_errors(form, exc)
                status = exc.status if exc.status != 400 else 400
            else:
                return render(request, "plans/feedback_thanks.html", {"unit": unit})
        else:
            status = 400
    return render(
        request,
        "plans/feedback_public.html",
        {
            "form": form,
            "unit": unit,
            "staff": staff,
            "subject_label": SUBJECT_TYPES.get(subject.subject_type, subject.subject_type),
            "subject_id": subject.subject_id,
            "already": already,
        },
        status=status,
    )
