"""The one error type services raise for bad input or a refused action: it names the field and the
rule, in the user's language. Views show it on the form; the API answers 4xx with it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

T = TypeVar("T")


class ServiceError(ValidationError):
    """A refused write. `field` names the input at fault ('' for the whole request)."""

    def __init__(self, message, *, field: str = "", code: str = "invalid", params=None, status: int = 400):
        if field:
            super().__init__({field: [ValidationError(message, code=code, params=params)]})
        else:
            super().__init__(message, code=code, params=params)
        self.field = field
        self.status = status

    @classmethod
    def join(cls, errors: Iterable[ValidationError]) -> ServiceError:
        """One refusal carrying every error of `errors`, each still on its field, so that a page or
        the API shows them all at once. `field` and `status` are the first error's."""
        errors = list(errors)
        if not errors:
            raise ValueError("ServiceError.join needs at least one error")
        if len(errors) == 1 and isinstance(errors[0], cls):
            return errors[0]
        by_field: dict[str, list[ValidationError]] = {}
        for error in errors:
            if hasattr(error, "error_dict"):
                for name, items in error.error_dict.items():
                    by_field.setdefault(name, []).extend(items)
            else:
                by_field.setdefault(NON_FIELD_ERRORS, []).extend(error.error_list)
        joined = cls.__new__(cls)
        if list(by_field) == [NON_FIELD_ERRORS]:
            ValidationError.__init__(joined, by_field[NON_FIELD_ERRORS])
        else:
            ValidationError.__init__(joined, by_field)
        first = errors[0]
        names = [n for n in getattr(first, "error_dict", {}) if n != NON_FIELD_ERRORS]
        joined.field = getattr(first, "field", names[0] if names else "")
        joined.status = getattr(first, "status", 400)
        return joined


class Problems:
    """Gathers the refusals of one input instead of stopping at the first, so that a person sees
    every error of a form (its header, each line) on one submit:

        problems = Problems()
        vehicle = problems.run(validation.vehicle_by_plate, plate)   # None if refused
        problems.add(_("Cần chọn lái xe."), field="driver")
        problems.raise_if_any()                                     # one ServiceError with them all
    """

    def __init__(self) -> None:
        self.errors: list[ServiceError] = []

    def __bool__(self) -> bool:
        return bool(self.errors)

    def add(self, message, *, field: str = "") -> None:
        self.errors.append(ServiceError(message, field=field))

    def catch(self, exc: ServiceError) -> None:
        self.errors.append(exc)

    def run(self, check: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """check(*args, **kwargs), or None with its refusal kept."""
        try:
            return check(*args, **kwargs)
        except ServiceError as exc:
            self.errors.append(exc)
            return None

    def merge(self, exc: ValidationError, *, skip: Iterable[str] = ()) -> None:
        """Keep `exc`'s errors for the fields not refused yet (a later check's view of a field that
        an earlier one already refused would only repeat it) and not in `skip`."""
        taken = self.fields() | set(skip)
        items = getattr(exc, "error_dict", None) or {NON_FIELD_ERRORS: exc.error_list}
        for name, errors in items.items():
            if ("" if name == NON_FIELD_ERRORS else name) not in taken:
                self.errors.append(ServiceError.join([ValidationError({name: errors})]))

    def fields(self) -> set[str]:
        """The fields refused so far ('' for the whole input)."""
        names: set[str] = set()
        for exc in self.errors:
            names |= {"" if n == NON_FIELD_ERRORS else n for n in getattr(exc, "error_dict", {"": 0})}
        return names

    def raise_if_any(self) -> None:
        if self.errors:
            raise ServiceError.join(self.errors)


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
