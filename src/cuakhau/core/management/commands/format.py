"""`cuakhau format`: Vietnamese number, money, date and amount-in-words forms from the command line.

    cuakhau format number 5250.5           -> 5.250,5
    cuakhau format number 2.345 --decimals 2 -> 2,35
    cuakhau format vnd 1200000             -> 1.200.000 đ
    cuakhau format words 1200000           -> Một triệu hai trăm nghìn đồng
    cuakhau format date 2025-06-05         -> 05/06/2025
    cuakhau format parse 5.250,5           -> 5250.5
    cuakhau format parse --lang en 1,200.5 -> 1200.5
    cuakhau format parse -- -1.500         -> -1500

Arguments to number, vnd and words are machine forms ("5250.5", as in code and CSV files); `parse` reads
a number as a person types it in a language (Vietnamese by default) with the one reader of
cuakhau.core.numbers and prints it plain: "." decimal point, no grouping, no trailing zeros. Bad input ends
with a message naming the rule; exit status 2 for `parse` (a number it will not guess), 1 otherwise.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cuakhau.core import numbers, vnformat


class Command(BaseCommand):
    help = "Print numbers, VND amounts, dates and amounts in words the Vietnamese way."
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        number = sub.add_parser("number", help="5250.5 -> 5.250,5")
        number.add_argument("value")
        number.add_argument("--decimals", type=int, help="exactly this many places, rounded half up")
        sub.add_parser("vnd", help="1200000 -> 1.200.000 đ").add_argument("amount")
        words = sub.add_parser("words", help="1200000 -> Một triệu hai trăm nghìn đồng")
        words.add_argument("amount")
        words.add_argument("--no-currency", action="store_true", help="leave out the final 'đồng'")
        words.add_argument(
            "--linh", action="store_true", help="'linh' (northern) instead of 'lẻ' for a zero tens digit"
        )
        date = sub.add_parser("date", help="2025-06-05 or 05/06/2025 -> 05/06/2025 (day first)")
        date.add_argument("value")
        date.add_argument("--iso", action="store_true", help="print yyyy-mm-dd instead")
        parse = sub.add_parser("parse", help="5.250,5 -> 5250.5 (a typed number to machine form)")
        parse.add_argument("--lang", choices=["vi", "en", "zh"], default="vi", help="the reader's language")
        parse.add_argument("value", help="use -- before a value that begins with a minus")

    def handle(self, *args, action, **options):
        try:
            self.stdout.write(getattr(self, f"_{action}")(**options))
        except ValueError as exc:
            raise CommandError(str(exc)) from None

    def _number(self, *, value, decimals, **_options):
        if decimals is not None and decimals < 0:
            raise CommandError(_("--decimals phải là số không âm."))
        return vnformat.format_number(value, decimals)

    def _vnd(self, *, amount, **_options):
        return vnformat.format_vnd(amount)

    def _words(self, *, amount, no_currency, linh, **_options):
        text = amount.strip()
        if not text.lstrip("-").isdigit() or text.count("-") > 1 or "-" in text[1:] or not text.isascii():
            raise CommandError(
                _(
                    "“%(value)s” không phải số nguyên dạng máy: chỉ gồm chữ số, có thể có dấu trừ ở đầu (ví dụ 1200000)."
                )
                % {"value": amount}
            )
        return vnformat.amount_in_words(
            int(text), currency=not no_currency, zero_tens="linh" if linh else "lẻ"
        )

    def _date(self, *, value, iso, **_options):
        day = vnformat.parse_date(value)
        return day.isoformat() if iso else vnformat.format_date(day)

    def _parse(self, *, value, lang, **_options):
        try:
            number = numbers.read_number(value, lang=lang)
        except numbers.NumberReadError as exc:
            raise CommandError(exc.message, returncode=2) from None
        return format(numbers.plain(number), "f")
