from django.core.management.base import BaseCommand, CommandError

from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import ApiToken, Unit, User
from cuakhau.core.services import token_create, token_revoke, user_create


class Command(BaseCommand):
    help = (
        "API tokens for devices and other systems: account (a device or system account), create (prints "
        "the secret once), list, revoke. A token acts only as a device or system account, never a person."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        account = sub.add_parser("account", help="create a device or system account (no password)")
        account.add_argument("--username", required=True)
        account.add_argument("--unit", required=True, help="code of the account's unit")
        account.add_argument("--role", required=True, help="e.g. gate_operator, agency_officer")
        account.add_argument("--full-name", default="", help="e.g. 'Camera làn 1 Hữu Nghị'")
        create = sub.add_parser("create", help="create a token acting as the device or system account USER")
        create.add_argument("--user", required=True, help="username of the device or system account")
        create.add_argument(
            "--name", required=True, help="what the token is for, e.g. 'Camera làn 1 Hữu Nghị'"
        )
        sub.add_parser("list", help="list tokens (never their secrets)")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        with acting_as(None, channel="cli"):
            if action == "account":
                unit = Unit.objects.filter(code=options["unit"]).first()
                if unit is None:
                    raise CommandError(f"--unit: no unit {options['unit']!r}")
                try:
                    user = user_create(
                        actor=None,
                        username=options["username"],
                        password=None,
                        role=options["role"],
                        unit=unit,
                        full_name=options["full_name"],
                        is_service_account=True,
                    )
                except ServiceError as exc:
                    raise CommandError("; ".join(exc.messages)) from exc
                self.stdout.write(f"{user.username}\t{user.role}\t{unit.code}")
            elif action == "create":
                try:
                    user = User.objects.get(username=options["user"])
                except User.DoesNotExist as exc:
                    raise CommandError(f"--user: no user named {options['user']!r}") from exc
                try:
                    token, secret = token_create(actor=None, user=user, name=options["name"])
                except ServiceError as exc:
                    raise CommandError("; ".join(exc.messages)) from exc
                self.stdout.write(f"{token.prefix}\t{token.unit.code}\t{secret}")
                self.stderr.write("The secret above is shown once; only its SHA-256 is stored.")
            elif action == "list":
                for token in ApiToken.objects.select_related("user", "unit", "created_by"):
                    state = "revoked" if token.revoked_at else "active"
                    issuer = token.created_by.username if token.created_by else "-"
                    self.stdout.write(
                        f"{token.prefix}\t{state}\t{token.user.username}\t{token.unit.code}\t{token.name}"
                        f"\t{issuer}"
                    )
            elif action == "revoke":
                token = ApiToken.objects.filter(prefix=options["prefix"]).first()
                if token is None:
                    raise CommandError(f"prefix: no token {options['prefix']!r}")
                token_revoke(actor=None, token=token)
                self.stdout.write(f"{token.prefix}\trevoked")
