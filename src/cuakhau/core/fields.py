"""Form fields for numbers typed the Vietnamese way: "5.250,5" is five thousand two hundred fifty and a half.

The rule (cuakhau.core.vnformat.parse_number) is the same on every page, whatever the reader's language,
and it never reads one text two ways:

* ',' is the decimal mark; '.' only separates thousands, in full groups of three: "5.250,5", "5250,5",
  "1.200.000", "1200000" are accepted.
* "5250.5", "5.250.5", "1.2345", "0.250", "1,2,3" and "+5" are refused with a message naming the rule,
  never guessed at. (A typed "5.250" is 5250, as a Vietnamese reader means it.)

The widget is a text box with inputmode (a browser's type="number" box would refuse "5.250,5" or read it
by the browser's own locale). A stored value is shown back in the same form, so it parses again unchanged.

    amount = VNIntegerField(label=_("Số tiền (đồng)"), min_value=0, help_text=NUMBER_HELP)
    weight = VNDecimalField(label=_("Khối lượng (tấn)"), max_digits=12, decimal_places=3)
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cuakhau.core import vnformat

NUMBER_HELP = _("Dấu chấm tách hàng nghìn, dấu phẩy tách phần thập phân, ví dụ 5.250,5.")


def _parse(value):
    if value in forms.Field.empty_values:
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Giá trị này không phải là số."), code="invalid")
    if isinstance(value, int | Decimal):  # initial data and cleaned values, already numbers
        return Decimal(value)
    try:
        return vnformat.parse_number(str(value))
    except vnformat.NumberFormatError as exc:
        raise ValidationError(exc.message, code=exc.code) from None


def _shown(value):
    if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
        try:
            return vnformat.format_number(value)
        except ValueError:
            return value
    return value


class VNDecimalField(forms.DecimalField):
    """A Decimal typed as "5.250,5". max_digits, decimal_places, min_value and max_value work as in Django."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        return _parse(value)

    def prepare_value(self, value):
        return _shown(value)


class VNIntegerField(forms.IntegerField):
    """A whole number typed as "1.200.000" or "1200000" (VND amounts, counts). "5,5" is refused."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {
        "not_whole": _("“%(value)s” phải là số nguyên, không có phần thập phân sau dấu phẩy."),
    }

    def to_python(self, value):
        number = _parse(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(
                self.error_messages["not_whole"], code="not_whole", params={"value": str(value).strip()}
            )
        return int(number)

    def prepare_value(self, value):
        return _shown(value)
