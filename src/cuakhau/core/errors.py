"""The one error type services raise for bad input or a refused action: it names the field and the
rule, in the user's language. Views show it on the form; the API answers 4xx with it."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """A refused write. `field` names the input at fault ('' for the whole request)."""

    def __init__(self, message, *, field: str = "", code: str = "invalid", params=None, status: int = 400):
        if field:
            super().__init__({field: [ValidationError(message, code=code, params=params)]})
        else:
            super().__init__(message, code=code, params=params)
        self.field = field
        self.status = status


class NotFound(ServiceError):
    def __init__(self, message, **kwargs):
        super().__init__(message, status=404, code="not_found", **kwargs)


def errors_as_list(exc: ValidationError) -> list[dict[str, str]]:
    """[{field, message}] for API responses and logs."""
    items: list[dict[str, str]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                items.append({"field": "" if field == "__all__" else field, "message": str(message)})
    else:
        for message in exc.messages:
            items.append({"field": "", "message": str(message)})
    return items


def form_add_errors(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form that sent the input: on the named field when the form has
    it, otherwise as a whole-form error. Pages call this after `except ServiceError`."""
    if not hasattr(exc, "error_dict"):  # raised without a field: the whole form is at fault
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
