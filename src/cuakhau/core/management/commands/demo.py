import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from cuakhau.core.context import acting_as
from cuakhau.core.loaders import demo_loaders, generators
from cuakhau.core.service import batch


class Command(BaseCommand):
    help = (
        "Demo data for a living zone. `demo load` is idempotent and prints the demo logins; "
        "`demo generate` writes years of synthetic trips, fees, receipts and customs statistics."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="load every module's demo records and one user per role")
        gen = sub.add_parser(
            "generate",
            help="synthetic data from every registered generator (traffic trips, fees and receipts, "
            "customs statistics), for benchmarks; needs `reference load` first",
        )
        gen.add_argument("--years", type=int, default=10)
        gen.add_argument("--vehicles-per-day", type=int, default=2000)
        gen.add_argument("--seed", type=int, default=7)
        gen.add_argument("--until", type=int, default=None, help="last year (default: last year)")
        gen.add_argument(
            "--only", default="", help="comma-separated generator names (default: every registered one)"
        )

    def handle(self, *args, **options):
        with acting_as(None, channel="cli"):
            getattr(self, "do_" + options["action"])(options)

    def do_load(self, options):
        for name, loader in demo_loaders():
            with batch():  # one loader, all or nothing: its services join this transaction
                result = loader(stdout=self.stdout)
            if result:
                self.stdout.write(f"{name}: {result}")

    def do_generate(self, options):
        if options["years"] < 1 or options["vehicles_per_day"] < 1:
            raise CommandError("--years and --vehicles-per-day must be at least 1")
        last = options["until"] or dt.date.today().year - 1
        start, end = dt.date(last - options["years"] + 1, 1, 1), dt.date(last, 12, 31)
        chosen = {n.strip() for n in options["only"].split(",") if n.strip()}
        registered = generators()
        unknown = chosen - {name for name, _fn in registered}
        if unknown:
            known = ", ".join(name for name, _fn in registered)
            raise CommandError(f"no generator {', '.join(sorted(unknown))}; registered: {known}")
        self.stdout.write(
            f"generating {start:%d/%m/%Y}–{end:%d/%m/%Y}, {options['vehicles_per_day']} vehicles a day "
            f"(seed {options['seed']})"
        )
        from cuakhau.core.services.installation import installation_mark_demo

        installation_mark_demo(actor=None)  # synthetic receipts are samples, like the demo's
        began_all = time.monotonic()
        for name, fn in registered:
            if chosen and name not in chosen:
                continue
            began = time.monotonic()
            result = fn(
                start=start,
                end=end,
                vehicles_per_day=options["vehicles_per_day"],
                seed=options["seed"],
                stdout=self.stdout,
            )
            self.stdout.write(f"{name}: {result} ({time.monotonic() - began:.1f}s)")
        self.stdout.write(f"done in {time.monotonic() - began_all:.1f}s")
