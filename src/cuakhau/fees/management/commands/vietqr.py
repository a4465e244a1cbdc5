from django.core.management.base import BaseCommand, CommandError

from cuakhau.fees.vietqr import VietQRError, build_payload


class Command(BaseCommand):
    help = "Print a VietQR (NAPAS 247) payload for a transfer to an account."

    def add_arguments(self, parser):
        parser.add_argument("--bin", required=True, help="the bank's 6-digit BIN, e.g. 970436")
        parser.add_argument("--account", required=True, help="account number, 1-19 letters or digits")
        parser.add_argument("--amount", help="amount in đồng (omit for a static QR)")
        parser.add_argument("--purpose", default="", help="transfer note, ASCII, at most 25 characters")
        parser.add_argument("--card", action="store_true", help="transfer to a card number (QRIBFTTC)")

    def handle(self, *args, **options):
        amount = options["amount"]
        if amount is not None:
            if not amount.isdigit():
                raise CommandError(
                    f"--amount: phải là số đồng nguyên dương, không dấu chấm (nhận được {amount!r})"
                )
            amount = int(amount)
        try:
            payload = build_payload(
                bank_bin=options["bin"],
                account=options["account"],
                amount=amount,
                purpose=options["purpose"],
                to_card=options["card"],
            )
        except VietQRError as exc:
            raise CommandError(f"--{exc.field}: {' '.join(exc.messages)}") from None
        self.stdout.write(payload)
