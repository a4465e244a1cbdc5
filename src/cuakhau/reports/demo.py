"""Demo: one drafted 2017 year-end report, built from the published 2016-2017 figures. Idempotent."""


def load_demo(stdout=None) -> str:
    from .models import Kind, Report
    from .services import report_draft

    if Report.objects.filter(kind=Kind.ANNUAL, year=2017).exists():
        return "2017 report kept"
    report_draft(actor=None, year=2017, kind=Kind.ANNUAL)
    return "2017 report drafted"
