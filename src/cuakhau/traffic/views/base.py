"""What the traffic pages share: the page size of lists, and a service's refusal put on a form or
flashed."""

from __future__ import annotations

from django.contrib import messages

from cuakhau.core.errors import ServiceError

PAGE_SIZE = 200


def form_errors(form, exc: ServiceError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def flash(request, exc: ServiceError) -> None:
    for message in exc.messages:
        messages.error(request, message)
