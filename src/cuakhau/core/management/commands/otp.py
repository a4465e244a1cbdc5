from django.core.management.base import BaseCommand, CommandError

from cuakhau.core import twofactor
from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import User
from cuakhau.core.selectors import is_demo_installation
from cuakhau.core.services.twofactor import otp_reset


class Command(BaseCommand):
    help = (
        "Two-factor login: `code USERNAME` prints a demo account's current authenticator code (on a demo "
        "installation only); `status USERNAME` says whether the account has one; `reset USERNAME` removes "
        "its authenticator and recovery codes (a lost phone), as the users page does."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        code = sub.add_parser("code", help="the current code of a demo account (demo installations only)")
        code.add_argument("username")
        status = sub.add_parser("status", help="whether the account has an authenticator")
        status.add_argument("username")
        reset = sub.add_parser("reset", help="remove the account's authenticator and recovery codes")
        reset.add_argument("username")

    def handle(self, *args, action, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        if action == "code":
            # Never a way round the second factor on a real installation: the demo flag is set by
            # `cuakhau demo load` and never unset (core.models.Installation).
            if not is_demo_installation():
                raise CommandError("refused: this is not a demo installation (`cuakhau demo load` marks one)")
            device = twofactor.authenticator(user)
            if device is None or device.key != twofactor.demo_key(user.get_username()):
                raise CommandError(f"{username} has no demo authenticator")
            self.stdout.write(twofactor.current_code(device))
        elif action == "status":
            enrolled = twofactor.has_second_factor(user)
            required = "required" if twofactor.must_use(user) else "optional"
            left = twofactor.recovery_codes_left(user)
            self.stdout.write(
                f"{username}\t{required}\t{'enrolled' if enrolled else 'not enrolled'}\trecovery codes left: {left}"
            )
        else:
            with acting_as(None, channel="cli"):
                try:
                    removed = otp_reset(actor=None, user=user)
                except ServiceError as exc:
                    raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(f"{username}: {removed} device(s) removed")
