"""`cuakhau audit verify` checks the hash chain, the sealed business rows and, with --anchors, the
published chain heads; `cuakhau audit seal` seals pending events; `cuakhau audit anchor` publishes the
chain's head (core.anchors)."""

from django.core.management.base import BaseCommand, CommandError

from cuakhau.core.audit_chain import seal_pending, verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and sealed rows, seal pending events, or anchor the head."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser(
            "verify",
            help="Recompute every hash and link, compare sealed business rows with the chain; exit 1 if broken.",
        )
        verify.add_argument(
            "--anchors",
            metavar="FILE_OR_URL",
            help="published anchors (JSON or CSV, a file or an http(s) URL) the chain must reproduce",
        )
        verify.add_argument("--no-rows", action="store_true", help="skip the comparison of business rows")
        verify.add_argument(
            "--rows", action="store_true", help="only compare the business rows with the chain"
        )
        seal = sub.add_parser("seal", help="Seal events that are not in the chain yet.")
        seal.add_argument("--limit", type=int, default=1000, help="events per sealing transaction")
        anchor = sub.add_parser(
            "anchor", help="Publish the chain's head (page, open data, e-mail, RFC 3161 timestamp)."
        )
        anchor.add_argument("--daily", action="store_true", help="the day's closing anchor (run at day end)")

    def handle(self, *args, subcommand, **options):
        if subcommand == "seal":
            sealed = seal_pending(limit=options["limit"], wait=True)
            self.stdout.write(f"sealed {sealed} events")
            return
        if subcommand == "anchor":
            from cuakhau.core.anchors import anchor_create
            from cuakhau.core.models import AnchorKind

            anchor = anchor_create(kind=AnchorKind.DAILY if options["daily"] else AnchorKind.HOURLY)
            stamp = (
                "stamped"
                if anchor.tsa_token
                else (f"not stamped: {anchor.tsa_error}" if anchor.tsa_error else "")
            )
            self.stdout.write(
                f"anchored {anchor.kind} seq {anchor.seq} {anchor.hash}"
                + (f", e-mailed to {anchor.emailed_to}" if anchor.emailed_to else "")
                + (f", {stamp}" if stamp else "")
            )
            return
        self._verify(options)

    def _verify(self, options):
        ok = True
        if not options["rows"]:
            result = verify_chain()
            for warning in result.warnings:
                self.stderr.write(f"WARNING: {warning}")
            self.stdout.write(str(result))
            ok = ok and result.ok
            if options["anchors"]:
                from cuakhau.core.anchors import parse_anchors, read_source, verify_anchors

                try:
                    published = parse_anchors(read_source(options["anchors"]))
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    raise CommandError(f"--anchors {options['anchors']}: {exc}") from exc
                anchors = verify_anchors(published)
                self.stdout.write(f"anchors: {anchors}")
                for problem in anchors.problems[:50]:
                    self.stdout.write(f"  {problem}")
                ok = ok and anchors.ok
        if not options["no_rows"]:
            from cuakhau.core.sealed_rows import verify_rows

            rows = verify_rows()
            self.stdout.write(f"rows: {rows} in {rows.seconds:.1f} s")
            for problem in rows.problems:
                self.stdout.write(f"  {problem}")
            if rows.unsealed:
                self.stderr.write(
                    f"WARNING: {rows.unsealed} registered row(s) were never sealed (written before tamper "
                    f"evidence or in bulk), e.g. {', '.join(rows.unsealed_examples)}"
                )
            ok = ok and rows.ok
        if not ok:
            raise SystemExit(1)
