"""What the commands that cron runs daily share (`assets remind`, `plans remind`, `procedures warn`,
`traffic close-crossed`, `trade refresh`): `--date` to run as if on another day, and `--enqueue` to
hand the work to the background task, which calls the same services, instead of running it in the
command as the system."""

import datetime
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from cuakhau.core.context import acting_as


def add_date_argument(parser) -> None:
    parser.add_argument("--date", help="as if today were this date (YYYY-MM-DD)")


def add_enqueue_argument(parser) -> None:
    parser.add_argument(
        "--enqueue", action="store_true", help="enqueue the background task instead of running here"
    )


def date_option(options: dict) -> datetime.date | None:
    """The day `--date` names, or None for today."""
    text = options.get("date")
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--date: {text!r} is not a date (YYYY-MM-DD)") from exc


def enqueue_or_run(command: BaseCommand, options: dict, *, task, args=(), run: Callable[[], str]) -> None:
    """With `--enqueue`, enqueues `task` with `args` and prints its id; otherwise runs `run()` as the
    system on the command line (the audit channel "cli") and prints the summary it returns."""
    if options.get("enqueue"):
        result = task.enqueue(*args)
        command.stdout.write(f"enqueued {result.id}")
        return
    with acting_as(None, channel="cli"):
        summary = run()
    command.stdout.write(summary)
