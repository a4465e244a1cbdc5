"""/api/v1/reports: the reports and the figures they are built from."""

from __future__ import annotations

import datetime

from django.http import Http404
from ninja import Router, Schema

from cuakhau.core.api_params import Year
from cuakhau.core.permissions import get_for_user_or_404

from . import figures
from .models import Report
from .permissions import reads

router = Router(tags=["reports"])


class ReportOut(Schema):
    id: int
    kind: str
    year: int
    status: str
    number: str
    issued_on: datetime.date | None
    results_text: str
    shortcomings_text: str
    next_text: str
    figures: dict


@router.get("/", response=list[ReportOut], summary="Các báo cáo")
def list_reports(request):
    if not reads(request.user):
        raise Http404
    return Report.objects.for_user(request.user)


@router.get("/annual-figures", response=dict, summary="Số liệu của báo cáo năm, lập từ dữ liệu")
def annual_figures(request, year: Year):
    if not reads(request.user):
        raise Http404
    figs = figures.annual(year)
    return {"figures": figs.as_json(), "paragraphs": figures.sentences(figs)}


@router.get("/{report_id}", response=ReportOut, summary="Một báo cáo")
def get_report(request, report_id: int):
    if not reads(request.user):
        raise Http404
    return get_for_user_or_404(Report, request.user, pk=report_id)
