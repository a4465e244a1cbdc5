"""Registration to bid: the dossier, the close of registration, the deposits check, eligibility and
the fixing of the bidders (Law 01/2016 arts. 38, 39, 52)."""

from __future__ import annotations

import os
import secrets

from django.utils.translation import gettext as _

from cuakhau.core import uploads
from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError
from cuakhau.core.service import service

from .. import clock
from ..actions import ELIGIBILITY, WORKFLOW
from ..models import (
    Auction,
    Registration,
    RegistrationDocument,
    RegStatus,
    Status,
)
from ..permissions import may_register
from ..rules import refuse
from ..selectors import deposit_received
from ..validation import CODE_ALPHABET, pack_of, random_code
from .common import _end_unsuccessful, _lock_registration
from .drafting import _auction

MAX_DOC_BYTES = 10 * 1024 * 1024


# extension with its dot -> content type, from core's one table of file kinds (pdf, jpg, png)
DOC_TYPES = {f".{ext}": kind[0] for ext, kind in uploads.file_types("pdf", "jpg", "jpeg", "png").items()}


def _new_label(auction: Auction) -> str:
    used = set(auction.registrations.values_list("label", flat=True))
    while True:
        label = "N-" + "".join(secrets.choice(CODE_ALPHABET) for _i in range(4))
        if label not in used:
            return label


def _new_deposit_reference() -> str:
    while True:
        ref = random_code("DG")
        if not Registration.objects.filter(deposit_reference=ref).exists():
            return ref


def _wrong_state(auction: Auction) -> ServiceError:
    return ServiceError(
        _("Cuộc đấu giá đang ở bước “%(s)s”; bước này không làm được lúc này.")
        % {"s": auction.get_status_display()},
        field="status",
        code="wrong_state",
        status=409,
    )


def _check_documents(documents: list) -> list:
    if not documents:
        raise ServiceError(_("Cần nộp hồ sơ tham gia đấu giá (ít nhất một tệp)."), field="documents")
    checked = []
    for upload in documents:
        name = os.path.basename(getattr(upload, "name", "") or "")
        ext = os.path.splitext(name)[1].lower()
        if ext not in DOC_TYPES:
            raise ServiceError(_("Hồ sơ chỉ nhận tệp PDF, JPG hoặc PNG."), field="documents")
        if upload.size > MAX_DOC_BYTES:
            raise ServiceError(_("Mỗi tệp tối đa 10 MB."), field="documents")
        if not uploads.has_signature(uploads.head(upload), uploads.FILE_TYPES[ext[1:]][1]):
            raise ServiceError(
                _("Tệp %(name)s không đúng định dạng %(kind)s.") % {"name": name, "kind": ext[1:].upper()},
                field="documents",
            )
        checked.append((name, ext, upload))
    return checked


@service
def registration_submit(
    *, actor, auction_id: int, enterprise, representative: str, documents: list
) -> Registration:
    """An enterprise registers to bid: its dossier (at least one document) while registration is open;
    no condition beyond the law's may be added (Law 01/2016 art. 38). It then pays the dossier fee and
    the deposit by transfer (VietQR) with its deposit reference in the note. Its own users register it
    (or the Board, for a dossier handed in on paper)."""
    if enterprise is None:
        raise ServiceError(_("Cần doanh nghiệp đăng ký."), field="enterprise")
    if not may_register(actor, enterprise):
        raise ServiceError(
            _("Bạn không đăng ký được cho doanh nghiệp này."),
            field="enterprise",
            code="forbidden",
            status=403,
        )
    auction = Auction.objects.for_user(actor).select_for_update().filter(pk=auction_id).first()
    if auction is None:
        raise ServiceError(_("Không có cuộc đấu giá này."), field="auction", code="not_found", status=404)
    if auction.status != Status.REGISTRATION_OPEN:
        raise _wrong_state(auction)
    pack = pack_of(auction)
    if clock.now() >= auction.registration_closes_at:
        raise refuse(pack, "registration_close_days_before", _("Đã hết hạn nhận đăng ký."), "auction")
    if Registration.objects.filter(auction=auction, enterprise=enterprise).exists():
        raise ServiceError(_("Doanh nghiệp đã đăng ký cuộc đấu giá này."), field="enterprise")
    if not (representative or "").strip():
        raise ServiceError(_("Cần ghi người đại diện."), field="representative")
    checked = _check_documents(documents)
    registration = Registration.objects.create(
        auction=auction,
        enterprise=enterprise,
        label=_new_label(auction),
        representative=representative.strip()[:150],
        deposit_reference=_new_deposit_reference(),
        submitted_by=actor,
        submitted_at=clock.now(),
    )
    for name, ext, upload in checked:
        doc = RegistrationDocument(
            registration=registration, title=name[:255], original_name=name[:255], content_type=DOC_TYPES[ext]
        )
        doc.file.save(name, upload, save=False)
        doc.save()
    audit_record(
        action="auctions.registration.submit",
        obj=registration,
        after={
            "auction": auction.code,
            "enterprise": enterprise.pk,
            "label": registration.label,
            "documents": len(checked),
            "legal_basis": pack.cite("registration_close_days_before"),
        },
        actor=actor,
    )
    return registration


@service
def auction_registration_close(*, actor, auction_id: int) -> Auction:
    """Close registration at its deadline (server time). No registrant: the auction is unsuccessful
    (Law 01/2016 art. 52)."""
    with WORKFLOW.step(actor, _auction(auction_id), "registration_close") as step:
        auction = step.obj
        pack = pack_of(auction)
        now = clock.now()
        if now < auction.registration_closes_at:
            raise refuse(
                pack, "registration_close_days_before", _("Chưa đến hạn kết thúc nhận đăng ký."), "status"
            )
        auction.registration_closed_at = now
        if not auction.registrations.exists():
            _end_unsuccessful(step, pack, _("Không có người đăng ký tham gia đấu giá."), "no_registrants")
        else:
            auction.status = Status.REGISTRATION_CLOSED
            step.facts.update(
                legal_basis=pack.cite("registration_close_days_before"),
                registrations=auction.registrations.count(),
            )
    return step.obj


@service
def auction_deposits_check(*, actor, auction_id: int) -> Auction:
    """Check deposits and dossier fees: a registrant without its deposit received in full by the close
    of registration is not eligible (Law 01/2016 art. 39)."""
    with WORKFLOW.step(actor, _auction(auction_id), "deposits_check") as step:
        auction = step.obj
        pack = pack_of(auction)
        missing = []
        for registration in auction.registrations.select_for_update().filter(status=RegStatus.SUBMITTED):
            problems = []
            if deposit_received(registration) is None:
                problems.append(_("chưa nộp đủ tiền đặt trước"))
            if auction.dossier_fee and registration.dossier_fee_paid_at is None:
                problems.append(_("chưa nộp tiền hồ sơ"))
            if problems:
                registration.status = RegStatus.INELIGIBLE
                registration.decision_note = "; ".join(problems)
                registration.save(update_fields=["status", "decision_note"])
                missing.append(registration.label)
        auction.deposits_checked_at = clock.now()
        step.facts.update(legal_basis=pack.cite("deposit_percent"), ineligible=missing)
    return step.obj


@service
def registration_decide(*, actor, registration_id: int, eligible: bool, note: str = "") -> Registration:
    """Decide a registrant's eligibility after its dossier and deposit are checked (the registration's
    workflow: admit or reject)."""
    registration = _lock_registration(registration_id)
    auction = registration.auction
    if auction.status != Status.DEPOSITS_CHECKED:
        raise _wrong_state(auction)
    if registration.status not in (RegStatus.SUBMITTED, RegStatus.ELIGIBLE, RegStatus.INELIGIBLE):
        raise ServiceError(_("Người này đã bị truất quyền."), field="registration", status=409)
    if eligible and deposit_received(registration) is None:
        raise refuse(
            auction.rule_pack, "deposit_percent", _("Chưa nhận tiền đặt trước của người này."), "eligible"
        )
    if not eligible and not note.strip():
        raise ServiceError(_("Ghi lý do không đủ điều kiện."), field="note")
    with ELIGIBILITY.step(actor, registration, "admit" if eligible else "reject", note=note) as step:
        step.obj.decision_note = note.strip()[:500]
        step.facts["note"] = step.obj.decision_note
    return step.obj


@service
def auction_bidders_fix(*, actor, auction_id: int) -> Auction:
    """Fix the eligible bidders. Fewer than the pack's minimum (2 for state property and land lease):
    the auction is unsuccessful and every deposit is refunded (Law 01/2016 art. 52)."""
    with WORKFLOW.step(actor, _auction(auction_id), "bidders_fix") as step:
        auction = step.obj
        pack = pack_of(auction)
        if auction.registrations.filter(status=RegStatus.SUBMITTED).exists():
            raise ServiceError(_("Còn người đăng ký chưa được xét điều kiện."), field="registrations")
        eligible = auction.registrations.filter(status=RegStatus.ELIGIBLE).count()
        auction.bidders_fixed_at = clock.now()
        minimum = pack.value("min_eligible_bidders")
        if eligible < minimum:
            _end_unsuccessful(
                step,
                pack,
                _("Chỉ có %(n)s người đủ điều kiện; cần ít nhất %(m)s (%(c)s).")
                % {"n": eligible, "m": minimum, "c": pack.cite("min_eligible_bidders")},
                "too_few_eligible",
                legal_basis=pack.cite("min_eligible_bidders"),
                eligible=eligible,
            )
        else:
            auction.status = Status.BIDDERS_FIXED
            step.facts.update(legal_basis=pack.cite("min_eligible_bidders"), eligible=eligible)
    return step.obj
