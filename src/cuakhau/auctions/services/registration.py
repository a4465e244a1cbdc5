"""Registration to bid: the dossier, the close of registration, the deposits check, eligibility and
the fixing of the bidders (Law 01/2016 arts. 38, 39, 52)."""

from __future__ import annotations

import os
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from cuakhau.core import uploads
from cuakhau.core.audit import audit_record
from cuakhau.core.errors import ServiceError

from .. import clock
from ..models import (
    Auction,
    Registration,
    RegistrationDocument,
    RegStatus,
    Status,
)
from ..rules import refuse
from .common import (
    CODE_ALPHABET,
    acting_user,
    deposit_received,
    end_unsuccessful,
    lock_auction,
    lock_registration,
    pack_of,
    random_code,
    record_transition,
    require_status,
)

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


@transaction.atomic
def registration_submit(*, auction_id: int, enterprise, representative: str, documents: list) -> Registration:
    """An enterprise registers to bid: its dossier (at least one document) while registration is open;
    no condition beyond the law's may be added (Law 01/2016 art. 38). It then pays the dossier fee and
    the deposit by transfer (VietQR) with its deposit reference in the note."""
    auction = lock_auction(auction_id)
    require_status(auction, Status.REGISTRATION_OPEN)
    pack = pack_of(auction)
    if clock.now() >= auction.registration_closes_at:
        raise refuse(pack, "registration_close_days_before", _("Đã hết hạn nhận đăng ký."), "auction")
    if enterprise is None:
        raise ServiceError(_("Cần doanh nghiệp đăng ký."), field="enterprise")
    if Registration.objects.filter(auction=auction, enterprise=enterprise).exists():
        raise ServiceError(_("Doanh nghiệp đã đăng ký cuộc đấu giá này."), field="enterprise")
    if not (representative or "").strip():
        raise ServiceError(_("Cần ghi người đại diện."), field="representative")
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
    registration = Registration.objects.create(
        auction=auction,
        enterprise=enterprise,
        label=_new_label(auction),
        representative=representative.strip()[:150],
        deposit_reference=_new_deposit_reference(),
        submitted_by=acting_user(),
        submitted_at=clock.now(),
    )
    for name, ext, upload in checked:
        doc = RegistrationDocument(
            registration=registration, title=name[:255], original_name=name[:255], content_type=DOC_TYPES[ext]
        )
        doc.file.save(name, upload, save=False)
        doc.save()
    audit_record(
        action="auction.registration_submit",
        obj=registration,
        after={
            "auction": auction.code,
            "enterprise": enterprise.pk,
            "label": registration.label,
            "documents": len(checked),
            "legal_basis": pack.cite("registration_close_days_before"),
        },
    )
    return registration


@transaction.atomic
def auction_registration_close(*, auction_id: int) -> Auction:
    """Close registration at its deadline (server time). No registrant: the auction is unsuccessful
    (Law 01/2016 art. 52)."""
    auction = lock_auction(auction_id)
    require_status(auction, Status.REGISTRATION_OPEN)
    pack = pack_of(auction)
    now = clock.now()
    if now < auction.registration_closes_at:
        raise refuse(
            pack, "registration_close_days_before", _("Chưa đến hạn kết thúc nhận đăng ký."), "status"
        )
    before = auction.status
    auction.registration_closed_at = now
    if not auction.registrations.exists():
        end_unsuccessful(auction, pack, _("Không có người đăng ký tham gia đấu giá."), "no_registrants")
        record_transition(
            auction, "unsuccessful", before, basis=pack.cite("unsuccessful"), reason="no_registrants"
        )
        return auction
    auction.status = Status.REGISTRATION_CLOSED
    auction.save()
    record_transition(
        auction,
        "registration_close",
        before,
        basis=pack.cite("registration_close_days_before"),
        registrations=auction.registrations.count(),
    )
    return auction


@transaction.atomic
def auction_deposits_check(*, auction_id: int) -> Auction:
    """Check deposits and dossier fees: a registrant without its deposit received in full by the close
    of registration is not eligible (Law 01/2016 art. 39)."""
    auction = lock_auction(auction_id)
    require_status(auction, Status.REGISTRATION_CLOSED)
    pack = pack_of(auction)
    before = auction.status
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
    auction.status = Status.DEPOSITS_CHECKED
    auction.deposits_checked_at = clock.now()
    auction.save()
    record_transition(
        auction, "deposits_check", before, basis=pack.cite("deposit_percent"), ineligible=missing
    )
    return auction


@transaction.atomic
def registration_decide(*, registration_id: int, eligible: bool, note: str = "") -> Registration:
    """Decide a registrant's eligibility after its dossier and deposit are checked."""
    registration = lock_registration(registration_id)
    auction = registration.auction
    require_status(auction, Status.DEPOSITS_CHECKED)
    if registration.status not in (RegStatus.SUBMITTED, RegStatus.ELIGIBLE, RegStatus.INELIGIBLE):
        raise ServiceError(_("Người này đã bị truất quyền."), field="registration", status=409)
    if eligible and deposit_received(registration) is None:
        raise refuse(
            auction.rule_pack, "deposit_percent", _("Chưa nhận tiền đặt trước của người này."), "eligible"
        )
    if not eligible and not note.strip():
        raise ServiceError(_("Ghi lý do không đủ điều kiện."), field="note")
    before = registration.status
    registration.status = RegStatus.ELIGIBLE if eligible else RegStatus.INELIGIBLE
    registration.decision_note = note.strip()[:500]
    registration.save(update_fields=["status", "decision_note"])
    audit_record(
        action="auction.registration_decide",
        obj=registration,
        before={"status": before},
        after={"status": registration.status, "note": registration.decision_note},
    )
    return registration


@transaction.atomic
def auction_bidders_fix(*, auction_id: int) -> Auction:
    """Fix the eligible bidders. Fewer than the pack's minimum (2 for state property and land lease):
    the auction is unsuccessful and every deposit is refunded (Law 01/2016 art. 52)."""
    auction = lock_auction(auction_id)
    require_status(auction, Status.DEPOSITS_CHECKED)
    pack = pack_of(auction)
    if auction.registrations.filter(status=RegStatus.SUBMITTED).exists():
        raise ServiceError(_("Còn người đăng ký chưa được xét điều kiện."), field="registrations")
    before = auction.status
    eligible = auction.registrations.filter(status=RegStatus.ELIGIBLE).count()
    auction.bidders_fixed_at = clock.now()
    minimum = pack.value("min_eligible_bidders")
    if eligible < minimum:
        end_unsuccessful(
            auction,
            pack,
            _("Chỉ có %(n)s người đủ điều kiện; cần ít nhất %(m)s (%(c)s).")
            % {"n": eligible, "m": minimum, "c": pack.cite("min_eligible_bidders")},
            "too_few_eligible",
        )
        record_transition(
            auction,
            "unsuccessful",
            before,
            basis=pack.cite("min_eligible_bidders"),
            reason="too_few_eligible",
            eligible=eligible,
        )
        return auction
    auction.status = Status.BIDDERS_FIXED
    auction.save()
    record_transition(
        auction, "bidders_fix", before, basis=pack.cite("min_eligible_bidders"), eligible=eligible
    )
    return auction
