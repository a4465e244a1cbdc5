"""The public's rating of the service they got, from a signed link (see core/feedback.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.feedback import FeedbackSubject, sender_hash
from cuakhau.core.models import Unit, User
from cuakhau.core.service import service

from ..models import Feedback
from ..validation import MAX_COMMENT, clean_text, feedback_limit


@service
def feedback_submit(
    *,
    actor: User | None,
    subject: FeedbackSubject,
    rating: Any,
    comment: str = "",
    client_ip: str | None = None,
) -> Feedback:
    """A citizen's or enterprise's rating (1-5, with a comment) of the service named by a signed link.
    No login (actor None: the public; the signed link is the permission); at most FEEDBACK_RATE_LIMIT
    ratings from one address per window; one per subject."""
    try:
        rating = int(rating)
    except (TypeError, ValueError) as exc:
        raise ServiceError(_("Hãy chọn mức hài lòng từ 1 đến 5 sao."), field="rating") from exc
    if not 1 <= rating <= 5:
        raise ServiceError(_("Mức hài lòng phải từ 1 đến 5 sao."), field="rating")
    comment = clean_text(comment, "comment", _("Ý kiến"), required=False, max_length=MAX_COMMENT)
    unit = Unit.objects.filter(pk=subject.unit_id, is_active=True).first()
    if unit is None:
        raise ServiceError(_("Liên kết đánh giá không còn hiệu lực."), field="token", status=404)
    staff = User.objects.filter(pk=subject.staff_id).first() if subject.staff_id else None
    sender = sender_hash(client_ip)
    limit, window = feedback_limit()
    if sender:
        since = timezone.now() - datetime.timedelta(seconds=window)
        if Feedback.objects.filter(sender_hash=sender, submitted_at__gte=since).count() >= limit:
            raise ServiceError(
                _(
                    "Bạn đã gửi quá nhiều đánh giá trong thời gian ngắn. Vui lòng thử lại sau %(minutes)s phút."
                )
                % {"minutes": window // 60},
                field="rating",
                status=429,
            )
    if Feedback.objects.filter(
        subject_type=subject.subject_type, subject_id=subject.subject_id, unit=unit
    ).exists():
        raise ServiceError(_("Việc này đã được đánh giá. Cảm ơn bạn."), field="token", status=409)
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                subject_type=subject.subject_type,
                subject_id=subject.subject_id,
                unit=unit,
                staff=staff,
                rating=rating,
                comment=comment,
                sender_hash=sender,
            )
    except IntegrityError as exc:  # two submissions of one link at the same moment
        raise ServiceError(_("Việc này đã được đánh giá. Cảm ơn bạn."), field="token", status=409) from exc
    audit_record(
        action="plans.feedback.submit",
        obj=feedback,
        after={
            "subject_type": feedback.subject_type,
            "subject_id": feedback.subject_id,
            "unit_id": unit.pk,
            "staff_id": staff.pk if staff else None,
            "rating": rating,
            "comment_length": len(comment),
        },
        unit=unit,
        actor=actor,
    )
    return feedback
