"""How every form page is answered, in one place: a valid POST goes to the service; a service's refusal
lands on the form (on the field it names); a page with errors answers 400 so that scripts and tests see
the refusal; a saved form redirects. Apps keep their own forms and services:

    form = VehicleForm(request.POST or None)
    vehicle = submit(request, form, lambda data: services.vehicle_register(**data))
    if vehicle is not None:
        messages.success(request, _("Đã đăng ký phương tiện."))
        return redirect("parties:vehicle_detail", pk=vehicle.pk)
    return form_page(request, form, title=_("Đăng ký phương tiện"), cancel_href=reverse("parties:vehicle_list"))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.shortcuts import render

from cuakhau.core.errors import ServiceError, form_add_errors

T = TypeVar("T")


class Saved:
    """The type of SAVED."""


SAVED = Saved()  # what submit returns when the service itself returned nothing


def flash_errors(request, exc: ServiceError) -> None:
    """A refusal where there is no form to put it on (a button's POST): each message is flashed as an
    error on the page the user is sent back to."""
    for message in exc.messages:
        messages.error(request, message)


def form_status(form) -> int:
    """400 when the page shows errors, else 200."""
    return 400 if form.errors else 200


def submit(request, form, save: Callable[[dict[str, Any]], T | None]) -> T | Saved | None:
    """On a POST whose form is valid, call `save(cleaned_data)` (a service) and return what it returned
    (SAVED if that was None). Return None when there is nothing to save yet or the service refused:
    its message is then on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ServiceError as exc:
        form_add_errors(form, exc)
        return None
    return SAVED if result is None else result


def form_page(
    request,
    form,
    *,
    title: str,
    cancel_href: str,
    template: str = "form_page.html",
    submit_label: str = "",
    multipart: bool = False,
    context: dict[str, Any] | None = None,
    status: int | None = None,
):
    """Render a form page (the shared layout unless an app passes its own template)."""
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "cancel_href": cancel_href,
            "submit_label": submit_label,
            "multipart": multipart or form.is_multipart(),
            **(context or {}),
        },
        status=status if status is not None else form_status(form),
    )
