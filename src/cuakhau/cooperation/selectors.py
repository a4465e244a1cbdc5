"""Reads of the cooperation records, each starting from the user's scope."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from cuakhau.core.permissions import VIEW, get_for_user_or_404

from .models import OPEN_ACTION, ActionStatus, Agreement, Commitment, Counterpart, Meeting, Milestone


def counterpart_list(*, user):
    return Counterpart.objects.for_user(user).annotate(
        meeting_count=Count("meetings", distinct=True), agreement_count=Count("agreements", distinct=True)
    )


def meeting_list(*, user, q: str = ""):
    meetings = Meeting.objects.for_user(user).prefetch_related("counterparts")
    if q:
        meetings = meetings.filter(
            Q(title__icontains=q)
            | Q(place__icontains=q)
            | Q(minutes_vi__icontains=q)
            | Q(minutes_zh__icontains=q)
        )
    return meetings


def meeting_detail(*, user, pk, action: str = VIEW) -> Meeting:
    return get_for_user_or_404(
        Meeting.objects.prefetch_related("counterparts", "documents"), user, action, pk=pk
    )


def agreement_list(*, user):
    today = timezone.localdate()
    return (
        Agreement.objects.for_user(user)
        .prefetch_related("counterparts")
        .annotate(
            open_actions=Count("commitments", filter=Q(commitments__status__in=OPEN_ACTION), distinct=True),
            overdue_actions=Count(
                "commitments",
                filter=Q(commitments__status__in=OPEN_ACTION, commitments__due_on__lt=today),
                distinct=True,
            ),
        )
    )


def agreement_detail(*, user, pk, action: str = VIEW) -> Agreement:
    return get_for_user_or_404(
        Agreement.objects.select_related("meeting").prefetch_related("counterparts", "documents"),
        user,
        action,
        pk=pk,
    )


def action_list(*, user, status: str = "", overdue: bool = False, owner=None):
    actions = Commitment.objects.for_user(user).select_related("agreement", "owner_unit")
    if status == "open":
        actions = actions.filter(status__in=OPEN_ACTION)
    elif status:
        actions = actions.filter(status=status)
    if overdue:
        actions = actions.overdue()
    if owner is not None:
        actions = actions.filter(owner_unit=owner)
    return actions


def action_detail(*, user, pk, action: str = VIEW) -> Commitment:
    return get_for_user_or_404(
        Commitment.objects.select_related("agreement", "owner_unit"), user, action, pk=pk
    )


def milestone_list(*, user):
    return Milestone.objects.for_user(user).select_related("agreement")


def commitment_next_statuses(commitment: Commitment, user) -> list[str]:
    """The statuses `user` may report on `commitment` now, in the order of ActionStatus: its own (a
    note) and those the COMMITMENT workflow's steps lead to from here (dropping it: managers only)."""
    from .actions import COMMITMENT

    steps = {t.target for t in COMMITMENT.available(user, commitment) if t.target is not None}
    return [value for value in ActionStatus.values if value == commitment.status or value in steps]
