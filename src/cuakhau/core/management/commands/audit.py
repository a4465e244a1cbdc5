"""`cuakhau audit verify` checks the hash chain; `cuakhau audit seal` seals pending events."""

from django.core.management.base import BaseCommand

from cuakhau.core.audit_chain import seal_pending, verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, or seal pending events into it."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Recompute every hash and link; exit 1 at the first broken event.")
        seal = sub.add_parser("seal", help="Seal events that are not in the chain yet.")
        seal.add_argument("--limit", type=int, default=1000, help="events per sealing transaction")

    def handle(self, *args, subcommand, **options):
        if subcommand == "seal":
            sealed = seal_pending(limit=options["limit"], wait=True)
            self.stdout.write(f"sealed {sealed} events")
            return
        result = verify_chain()
        for warning in result.warnings:
            self.stderr.write(f"WARNING: {warning}")
        if not result.ok:
            self.stdout.write(str(result))
            raise SystemExit(1)
        self.stdout.write(str(result))
