from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from cuakhau.core.workcal import add_working_days, working_days_between, year_calendar
from cuakhau.core.workcal.calendar import TZ


def _moment(text: str) -> date | datetime:
    """An ISO date (2026-02-13) or date-time (2026-02-13T10:00, taken in Asia/Ho_Chi_Minh if it has
    no offset)."""
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"not an ISO date or date-time: {text!r}") from exc
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment


def _iso(value: date | datetime) -> str:
    return value.astimezone(TZ).isoformat() if isinstance(value, datetime) else value.isoformat()


class Command(BaseCommand):
    help = "The working calendar: a year's days off, and working-day arithmetic."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        holidays = sub.add_parser(
            "holidays",
            help="days off of a year, one per line: ISO date, name, and 'provisional' "
            "when no official decision was entered (tab-separated)",
        )
        holidays.add_argument("year", type=int)
        add = sub.add_parser(
            "add-working-days",
            help="DATE plus N working days (N may be 0.5, 1.5 ... with a date-time such as 2026-02-13T08:00)",
        )
        add.add_argument("date")
        add.add_argument("n")
        between = sub.add_parser("working-days-between", help="working days after A up to B")
        between.add_argument("start")
        between.add_argument("end")

    def handle(self, *args, **options):
        try:
            if options["action"] == "holidays":
                cal = year_calendar(options["year"])
                for day in cal.days_off:
                    suffix = "" if cal.official else "\tprovisional"
                    self.stdout.write(f"{day.date.isoformat()}\t{day.label}{suffix}")
            elif options["action"] == "add-working-days":
                try:
                    n = Decimal(options["n"])
                except InvalidOperation as exc:
                    raise CommandError(f"not a number: {options['n']!r}") from exc
                self.stdout.write(_iso(add_working_days(_moment(options["date"]), n)))
            else:
                start, end = _moment(options["start"]), _moment(options["end"])
                result = working_days_between(start, end)
                self.stdout.write(str(int(result)) if result == result.to_integral_value() else str(result))
        except (TypeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
