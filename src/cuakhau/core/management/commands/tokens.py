from django.core.management.base import BaseCommand, CommandError

from cuakhau.core.context import acting_as
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import ApiToken, User
from cuakhau.core.services import token_create, token_revoke


class Command(BaseCommand):
    help = "API tokens for devices and other systems: create (prints the secret once), list, revoke."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token acting as USER")
        create.add_argument("--user", required=True, help="username the token acts as")
        create.add_argument(
            "--name", required=True, help="what the token is for, e.g. 'Camera làn 1 Hữu Nghị'"
        )
        sub.add_parser("list", help="list tokens (never their secrets)")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        with acting_as(None, channel="cli"):
            if action == "create":
                try:
                    user = User.objects.get(username=options["user"])
                except User.DoesNotExist as exc:
                    raise CommandError(f"--user: no user named {options['user']!r}") from exc
                try:
                    token, secret = token_create(user=user, name=options["name"])
                except ServiceError as exc:
                    raise CommandError("; ".join(exc.messages)) from exc
                self.stdout.write(f"{token.prefix}\t{token.unit.code}\t{secret}")
                self.stderr.write("The secret above is shown once; only its SHA-256 is stored.")
            elif action == "list":
                for token in ApiToken.objects.select_related("user", "unit"):
                    state = "revoked" if token.revoked_at else "active"
                    self.stdout.write(
                        f"{token.prefix}\t{state}\t{token.user.username}\t{token.unit.code}\t{token.name}"
                    )
            elif action == "revoke":
                token = ApiToken.objects.filter(prefix=options["prefix"]).first()
                if token is None:
                    raise CommandError(f"prefix: no token {options['prefix']!r}")
                token_revoke(token=token)
                self.stdout.write(f"{token.prefix}\trevoked")
