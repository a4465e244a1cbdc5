import datetime
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from cuakhau.core.errors import ServiceError
from cuakhau.fees.engine import FLOWS, GOODS, simple_charge
from cuakhau.fees.formatting import explain, format_vnd
from cuakhau.fees.selectors import fee_quote


def _decimal(option: str):
    def parse(text: str) -> Decimal:
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise CommandError(f"{option}: phải là một số, ví dụ 12 hoặc 12,5 (nhận được {text!r})") from None
        if not value.is_finite() or value < 0:
            raise CommandError(f"{option}: phải là số không âm (nhận được {text!r})")
        return value

    return parse


def _day(text: str) -> datetime.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"--on: ngày theo dạng dd/mm/yyyy hoặc yyyy-mm-dd (nhận được {text!r})")


class Command(BaseCommand):
    help = (
        "Fees: quote the fee for a trip (quote); make a development receipt-signing certificate (devcert); "
        "check every payer's stored deposit balance against its payments (check-balances)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        quote = sub.add_parser("quote", help="print the fee in đồng and the rule applied")
        quote.add_argument(
            "--tariff",
            default="",
            help="tariff code, e.g. CB-39-2019 or LS-09-2025 (default: the zone's tariff in force)",
        )
        quote.add_argument("--flow", required=True, choices=FLOWS)
        quote.add_argument("--goods", choices=GOODS)
        quote.add_argument("--tonnes", type=_decimal("--tonnes"))
        quote.add_argument("--m3", type=_decimal("--m3"))
        quote.add_argument("--container", type=int, choices=[20, 40])
        quote.add_argument("--containers", type=int, default=1)
        quote.add_argument("--vehicle-tonnes", type=_decimal("--vehicle-tonnes"))
        quote.add_argument("--taxable", action="store_true")
        quote.add_argument("--origin", choices=["vn", "foreign"], default="vn")
        quote.add_argument("--inland", action="store_true", help="import delivered inland")
        quote.add_argument("--transship-only", action="store_true", help="only transships at the yard")
        quote.add_argument("--on", type=_day, help="day of charge (default today)")
        devcert = sub.add_parser(
            "devcert", help="make a self-signed receipt-signing key and certificate under var/"
        )
        devcert.add_argument("--force", action="store_true", help="replace an existing pair")
        sub.add_parser(
            "check-balances",
            help="print OK, or each payer whose stored deposit balance differs from its payments (exit 1)",
        )

    def handle(self, *args, **options):
        if options["action"] == "check-balances":
            from cuakhau.fees.selectors import balances_mismatched

            wrong = balances_mismatched()
            for unit_id, stored, summed in wrong:
                self.stdout.write(f"unit {unit_id}: stored {stored}, from payments {summed}")
            if wrong:
                raise CommandError(f"{len(wrong)} payer balance(s) differ from their payments")
            self.stdout.write("OK")
            return
        if options["action"] == "devcert":
            from cuakhau.fees.documents import devcert_create

            cert, key, made = devcert_create(force=options["force"])
            self.stdout.write(f"{'created' if made else 'kept'}: {cert} {key}")
            return
        charge = simple_charge(
            flow=options["flow"],
            goods=options["goods"],
            tonnes=options["tonnes"],
            m3=options["m3"],
            container=options["container"],
            containers=options["containers"],
            vehicle_tonnes=options["vehicle_tonnes"],
            origin=options["origin"],
            taxable=options["taxable"],
            delivered_inland=options["inland"],
            transship_only=options["transship_only"],
            tariff_code=options["tariff"],
            on=options["on"],
        )
        try:
            assessment, _tariff = fee_quote(charge)
        except ServiceError as exc:
            field = getattr(exc, "field", "") or ""
            option = {"tariff": "--tariff", "on": "--on", "delivered_inland": "--inland"}.get(
                field, f"--{field.replace('_', '-')}" if field else ""
            )
            raise CommandError(f"{option + ': ' if option else ''}{' '.join(exc.messages)}") from None
        self.stdout.write(format_vnd(assessment.amount))
        for line in explain(assessment):
            self.stdout.write(line)
