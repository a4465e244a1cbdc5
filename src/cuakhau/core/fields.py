"""Form fields for numbers typed in the reader's language: "5.250,5" on a Vietnamese page, "5,250.5" on an
English or Chinese one. They read through cuakhau.core.numbers, the one reader, which never reads one
text two ways ("1,200" on a Vietnamese page is refused with its two readings, 1,2 and 1.200).

The widget is a text box with inputmode (a browser's type="number" box would refuse "5.250,5" or read it
by the browser's own locale). A form shown again after an error shows the text as typed (Django keeps the
bound text); a stored value is shown with the digits that matter, in a form that reads back the same.

    amount = VNIntegerField(label=_("Số tiền (đồng)"), min_value=0, help_text=NUMBER_HELP)
    weight = VNDecimalField(label=_("Khối lượng (tấn)"), max_digits=12, decimal_places=3)
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from cuakhau.core import numbers


def _number_help() -> str:
    return str(_("Ví dụ %(example)s.") % {"example": numbers.write_number(Decimal("5250.5"))})


# The help line under a number box, in the page's language ("Ví dụ 5.250,5." / "For example 5,250.5.").
NUMBER_HELP = lazy(_number_help, str)()


def _parse(value, label=""):
    if value in forms.Field.empty_values:
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Giá trị này không phải là số."), code="invalid")
    if isinstance(value, int | Decimal):  # initial data and cleaned values, already numbers
        return Decimal(value)
    try:
        return numbers.read_number(str(value), label=str(label or ""))
    except numbers.NumberReadError as exc:
        raise ValidationError(exc.message, code=exc.code) from None


def _shown(value):
    if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
        try:
            return numbers.show_number(value)
        except ValueError:
            return value
    return value


class VNDecimalField(forms.DecimalField):
    """A Decimal typed as "5.250,5". max_digits, decimal_places, min_value and max_value work as in Django."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        number = _parse(value, self.label)
        places = self.decimal_places
        if number is not None and places is not None and number.as_tuple().exponent < -places:
            # Zeros past the field's places change nothing ("1,2340" is shown for 1,234, which alone
            # would read two ways): drop them, so that only real digits count against decimal_places.
            trimmed = numbers.plain(number)
            if trimmed.as_tuple().exponent >= -places:
                number = trimmed
        return number

    def prepare_value(self, value):
        return _shown(value)


class VNIntegerField(forms.IntegerField):
    """A whole number typed as "1.200.000" or "1200000" (VND amounts, counts). "5,5" is refused."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {
        "not_whole": _("“%(value)s” phải là số nguyên, không có phần thập phân."),
    }

    def to_python(self, value):
        number = _parse(value, self.label)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(
                self.error_messages["not_whole"], code="not_whole", params={"value": str(value).strip()}
            )
        return int(number)

    def prepare_value(self, value):
        return _shown(value)
