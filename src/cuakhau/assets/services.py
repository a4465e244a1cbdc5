"""Writes to the asset register and the leases. Each function is one transaction with one audit event;
bad input raises ServiceError naming the field, and nothing is changed.

Legal basis: leasing the premises of a public unit goes through auction and the rent is the winning
price (Law on Management and Use of Public Assets 15/2017/QH14, art. 57; the auction itself is in
cuakhau.auctions). A lease fixes its rent schedule when it is signed: instalments of `interval_months`,
paid in advance, each due on the 15th day of its period, with the rent raised by `escalation_percent`
at every lease anniversary (compounded, rounded to the đồng)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import l10n, numbers, policy, uploads
from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import NotFound, ServiceError
from cuakhau.core.permissions import CHANGE
from cuakhau.core.service import service

from .models import (
    PLAN_HEIGHT,
    PLAN_WIDTH,
    Asset,
    AssetFile,
    AssetKind,
    Lease,
    LeaseStatus,
    RentBasis,
    RentInstalment,
    RentPayment,
)
from .schedule import schedule

MAX_FILE_BYTES = 10 * 1024 * 1024
# extension with its dot -> content type, from core's one table of file kinds
ALLOWED_FILES = {
    f".{ext}": kind[0] for ext, kind in uploads.file_types("pdf", "jpg", "jpeg", "png", "docx").items()
}


def _require_manager(actor) -> None:
    policy.require(actor, "assets.manage", message=_("Bạn không có quyền thay đổi sổ tài sản."))


def _require_manager_or_system(actor) -> None:
    """A scheduled run (the task, the command) acts as the system: actor None, said explicitly."""
    if actor is not None:
        _require_manager(actor)


def _area(value: Any, field: str = "area_m2") -> Decimal:
    try:
        # A number as it is; text through the one reader in the active language ("1.250,5" m²).
        area = numbers.to_number(value, label=_("Diện tích (m²)"))
    except numbers.NumberReadError as exc:
        raise ServiceError(exc.message, field=field) from None
    if not area.is_finite() or area <= 0 or area > Decimal("10000000"):
        raise ServiceError(_("Diện tích phải lớn hơn 0 m²."), field=field)
    return area.quantize(Decimal("0.01"))


def _money(value: Any, field: str, *, allow_zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError(_("Số tiền phải là số đồng nguyên."), field=field)
    if value < 0 or (value == 0 and not allow_zero):
        raise ServiceError(_("Số tiền phải lớn hơn 0 đồng."), field=field)
    return value


# --- assets ----------------------------------------------------------------------------------------


@service
def asset_create(
    *,
    actor,
    kind: str,
    code: str,
    name: str,
    gate,
    area_m2: Any,
    parent: Asset | None = None,
    floor: int | None = None,
    floors: int | None = None,
    parcel_number: str = "",
    map_sheet: str = "",
    planned_use: str = "",
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    plan: tuple[int, int, int, int] = (0, 0, 10, 10),
    notes: str = "",
) -> Asset:
    """Register a building, a space in a building, or a land plot (parcel number and map sheet as in
    the land records)."""
    _require_manager(actor)
    if kind not in AssetKind.values:
        raise ServiceError(_("Loại tài sản không hợp lệ."), field="kind")
    code = (code or "").strip()
    if not code:
        raise ServiceError(_("Cần ghi mã tài sản."), field="code")
    if Asset.objects.filter(code=code).exists():
        raise ServiceError(_("Mã tài sản %(code)s đã có.") % {"code": code}, field="code")
    if not (name or "").strip():
        raise ServiceError(_("Cần ghi tên tài sản."), field="name")
    if kind == AssetKind.SPACE:
        if parent is None or parent.kind != AssetKind.BUILDING:
            raise ServiceError(_("Phòng, mặt bằng phải thuộc một nhà dịch vụ."), field="parent")
        if parent.gate_id != gate.pk:
            raise ServiceError(_("Phòng phải ở cùng cửa khẩu với nhà."), field="gate")
    elif parent is not None:
        raise ServiceError(_("Chỉ phòng, mặt bằng mới thuộc một nhà."), field="parent")
    if kind == AssetKind.LAND_PLOT and not (parcel_number or "").strip():
        raise ServiceError(_("Lô đất cần số thửa."), field="parcel_number")
    x, y, w, h = plan
    if not (0 <= x < PLAN_WIDTH and 0 <= y < PLAN_HEIGHT and 0 < w and 0 < h):
        raise ServiceError(_("Vị trí trên sơ đồ nằm ngoài khung 100 × 60."), field="plan")
    asset = Asset.objects.create(
        kind=kind,
        code=code,
        name=name.strip(),
        gate=gate,
        parent=parent,
        floor=floor,
        floors=floors,
        area_m2=_area(area_m2),
        parcel_number=parcel_number.strip(),
        map_sheet=map_sheet.strip(),
        planned_use=planned_use.strip(),
        address=address.strip(),
        latitude=latitude,
        longitude=longitude,
        plan_x=x,
        plan_y=y,
        plan_w=min(w, PLAN_WIDTH - x),
        plan_h=min(h, PLAN_HEIGHT - y),
        notes=notes,
    )
    audit_record(action="assets.asset.create", obj=asset, after=snapshot(asset), actor=actor)
    return asset


@service
def asset_file_add(*, actor, asset: Asset, kind: str, title: str, upload) -> AssetFile:
    """Attach a document (land-use certificate, decision, drawing) or a photo to an asset."""
    import os

    if not Asset.objects.for_user(actor, CHANGE).filter(pk=asset.pk).exists():
        raise NotFound(_("Không có tài sản này."), field="asset")
    if kind not in AssetFile.Kind.values:
        raise ServiceError(_("Loại tệp không hợp lệ."), field="kind")
    name = os.path.basename(getattr(upload, "name", "") or "")
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED_FILES:
        raise ServiceError(_("Chỉ nhận tệp PDF, JPG, PNG hoặc DOCX."), field="file")
    if kind == AssetFile.Kind.PHOTO and ext not in (".jpg", ".jpeg", ".png"):
        raise ServiceError(_("Ảnh phải là JPG hoặc PNG."), field="file")
    if upload.size > MAX_FILE_BYTES:
        raise ServiceError(_("Tệp lớn quá 10 MB."), field="file")
    if not uploads.has_signature(uploads.head(upload), uploads.FILE_TYPES[ext[1:]][1]):
        raise ServiceError(
            _("Tệp %(name)s không đúng định dạng %(kind)s.") % {"name": name, "kind": ext[1:].upper()},
            field="file",
        )
    item = AssetFile(
        asset=asset,
        kind=kind,
        title=(title or name).strip()[:255],
        original_name=name[:255],
        content_type=ALLOWED_FILES[ext],
        uploaded_by=actor,
    )
    item.file.save(name, upload, save=False)
    item.save()
    audit_record(
        action="assets.asset.file_add",
        obj=asset,
        after={"file": item.pk, "kind": kind, "title": item.title},
        actor=actor,
    )
    return item


# --- leases ----------------------------------------------------------------------------------------


@service
def lease_create(
    *,
    actor,
    number: str,
    asset: Asset,
    lessee,
    signed_on: datetime.date,
    starts_on: datetime.date,
    ends_on: datetime.date,
    rent_basis: str,
    rent_rate: int,
    interval_months: int = 3,
    escalation_percent: Any = 0,
    deposit_amount: int = 0,
    area_m2: Any = None,
    notes: str = "",
) -> Lease:
    """Record a signed lease and fix its rent schedule. An asset is leased to one lessee at a time:
    a lease overlapping a current one on the same asset (or on its building, or on one of its spaces)
    is refused."""
    _require_manager(actor)
    number = (number or "").strip()
    if not number:
        raise ServiceError(_("Cần ghi số hợp đồng."), field="number")
    if Lease.objects.filter(number=number).exists():
        raise ServiceError(_("Số hợp đồng %(n)s đã có.") % {"n": number}, field="number")
    if ends_on <= starts_on:
        raise ServiceError(_("Ngày hết hạn phải sau ngày bắt đầu."), field="ends_on")
    if rent_basis not in RentBasis.values:
        raise ServiceError(_("Cách tính tiền thuê không hợp lệ."), field="rent_basis")
    _money(rent_rate, "rent_rate")
    _money(deposit_amount, "deposit_amount", allow_zero=True)
    if not isinstance(interval_months, int) or not 1 <= interval_months <= 12:
        raise ServiceError(_("Kỳ thanh toán từ 1 đến 12 tháng."), field="interval_months")
    try:
        escalation = numbers.to_number(escalation_percent, label=_("Tăng giá mỗi năm (%)"))
    except numbers.NumberReadError as exc:
        raise ServiceError(exc.message, field="escalation_percent") from None
    if not escalation.is_finite() or not Decimal(0) <= escalation <= Decimal(50):
        raise ServiceError(_("Tỷ lệ tăng giá từ 0 đến 50% một năm."), field="escalation_percent")
    related = [
        asset.pk,
        *([asset.parent_id] if asset.parent_id else []),
        *asset.spaces.values_list("pk", flat=True),
    ]
    clash = Lease.objects.filter(
        asset_id__in=related, status=LeaseStatus.ACTIVE, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).first()
    if clash is not None:
        raise ServiceError(
            _("Tài sản đang cho thuê theo hợp đồng %(n)s đến %(d)s.")
            % {"n": clash.number, "d": clash.ends_on.strftime("%d/%m/%Y")},
            field="asset",
        )
    lease = Lease.objects.create(
        number=number,
        asset=asset,
        lessee=lessee,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        rent_basis=rent_basis,
        rent_rate=rent_rate,
        area_m2=_area(area_m2 if area_m2 is not None else asset.area_m2),
        interval_months=interval_months,
        escalation_percent=escalation.quantize(Decimal("0.01")),
        deposit_amount=deposit_amount,
        notes=notes,
    )
    RentInstalment.objects.bulk_create(RentInstalment(lease=lease, **row) for row in schedule(lease))
    audit_record(
        action="assets.lease.create",
        obj=lease,
        after={
            **snapshot(lease),
            "instalments": lease.instalments.count(),
            "monthly_rent": lease.monthly_rent,
        },
        actor=actor,
    )
    return lease


@service
def rent_payment_record(
    *, actor, instalment_id: int, amount: int, paid_on: datetime.date, reference: str = ""
) -> RentPayment:
    """Record rent received for one instalment (bank transfer or cash); more than the balance is refused."""
    instalment = (
        RentInstalment.objects.for_user(actor, CHANGE).select_for_update().filter(pk=instalment_id).first()
    )
    if instalment is None:
        raise NotFound(_("Không có kỳ tiền thuê này."), field="instalment")
    _money(amount, "amount")
    if amount > instalment.balance:
        raise ServiceError(
            _("Số tiền lớn hơn số còn phải nộp của kỳ (%(b)s đồng).")
            % {"b": l10n.format_number(instalment.balance)},
            field="amount",
        )
    before = snapshot(instalment, ["paid_amount", "paid_on"])
    payment = RentPayment.objects.create(
        instalment=instalment, amount=amount, paid_on=paid_on, reference=reference[:64], recorded_by=actor
    )
    instalment.paid_amount += amount
    if instalment.paid_amount >= instalment.amount:
        instalment.paid_on = paid_on
    instalment.save(update_fields=["paid_amount", "paid_on"])
    audit_record(
        action="assets.instalment.pay",
        obj=instalment,
        before=before,
        after={
            **snapshot(instalment, ["paid_amount", "paid_on"]),
            "payment": payment.pk,
            "reference": reference,
        },
        actor=actor,
    )
    return payment


# A rent reminder goes when an instalment comes within REMIND_DAYS_AHEAD days of its due date, again on
# the first run after the date has passed unpaid, then every OVERDUE_REPEAT_DAYS while it stays unpaid.
REMIND_DAYS_AHEAD = 7
OVERDUE_REPEAT_DAYS = 7


def _reminder_due(instalment: RentInstalment, today: datetime.date) -> bool:
    last = instalment.reminded_on
    if last is None:
        return True
    if instalment.due_on >= today:  # not yet due: one reminder before the date is enough
        return False
    return last <= instalment.due_on or (today - last).days >= OVERDUE_REPEAT_DAYS


@service
def rent_reminders_send(
    *, actor, today: datetime.date | None = None, days_ahead: int = REMIND_DAYS_AHEAD
) -> int:
    """Remind each lessee, by e-mail to the enterprise and its users, of the unpaid instalments due
    within `days_ahead` days or overdue (see _reminder_due for how often), and mark them reminded (the
    lessee and the Board see the date on the lease). One audit event for the run, listing them. Runs
    daily from the `send_lease_reminders` task or `cuakhau assets remind` (actor None: the system);
    the leases page has a button."""
    _require_manager_or_system(actor)
    from django.urls import reverse
    from django.utils import translation

    from cuakhau.core.vnformat import format_date, format_vnd

    from . import notify

    today = today or timezone.localdate()
    candidates = (
        RentInstalment.objects.select_for_update(of=("self",))
        .filter(
            lease__status=LeaseStatus.ACTIVE,
            due_on__lte=today + datetime.timedelta(days=days_ahead),
            paid_amount__lt=F("amount"),
        )
        .select_related("lease", "lease__asset", "lease__lessee")
        .order_by("lease__lessee_id", "due_on", "lease_id", "seq")
    )
    due = [i for i in candidates if _reminder_due(i, today)]
    if not due:
        return 0
    RentInstalment.objects.filter(pk__in=[i.pk for i in due]).update(reminded_on=today)
    by_lessee: dict[int, list[RentInstalment]] = {}
    for instalment in due:
        by_lessee.setdefault(instalment.lease.lessee_id, []).append(instalment)
    with translation.override("vi"):
        for items in by_lessee.values():
            lessee = items[0].lease.lessee
            lines = []
            for i in items:
                line = _(
                    "Hợp đồng %(number)s (%(asset)s), kỳ %(seq)s: còn phải nộp %(amount)s, hạn nộp %(due)s"
                ) % {
                    "number": i.lease.number,
                    "asset": i.lease.asset.name,
                    "seq": i.seq,
                    "amount": format_vnd(i.balance, long=True),
                    "due": format_date(i.due_on),
                }
                if i.due_on < today:
                    line += " " + _("(đã quá hạn)")
                lines.append(f"- {line}")
            body = "\n".join(
                [
                    _("Kính gửi %(name)s,") % {"name": lessee.name},
                    "",
                    _("Ban Quản lý Khu kinh tế cửa khẩu nhắc quý đơn vị nộp tiền thuê tài sản:"),
                    *lines,
                    "",
                    _("Lịch nộp và số đã nộp: %(url)s") % {"url": notify.absolute(reverse("assets:leases"))},
                ]
            )
            notify.send_on_commit(_("Nhắc nộp tiền thuê tài sản"), body, notify.lessee_addresses(lessee))
    audit_record(
        action="assets.instalment.remind",
        object_type="assets.rentinstalment",
        object_id="batch",
        object_repr=_("Nhắc nộp tiền thuê"),
        after={"instalments": [i.pk for i in due], "lessees": sorted(by_lessee), "on": today},
        actor=actor,
    )
    return len(due)


@service
def lease_expiry_warnings_send(
    *, actor, today: datetime.date | None = None, within_days: int | None = None
) -> int:
    """Warn the Board (its leaders and departments, by e-mail) once per lease that an active lease ends
    within `within_days` (EXPIRY_WARNING_DAYS by default): its lease right must be auctioned again
    before it ends (Law on Management and Use of Public Assets 15/2017/QH14, art. 57), and the message
    links to a new auction of the asset, linked to this lease. One audit event for the run (actor None:
    the scheduled run, as the system)."""
    from django.urls import reverse
    from django.utils import translation

    from cuakhau.core.vnformat import format_date

    from . import notify
    from .selectors import EXPIRY_WARNING_DAYS

    _require_manager_or_system(actor)
    today = today or timezone.localdate()
    within_days = EXPIRY_WARNING_DAYS if within_days is None else within_days
    leases = list(
        Lease.objects.select_for_update(of=("self",))
        .filter(
            status=LeaseStatus.ACTIVE,
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=within_days),
            expiry_warned_on__isnull=True,
        )
        .select_related("asset", "lessee")
        .order_by("ends_on", "number")
    )
    if not leases:
        return 0
    Lease.objects.filter(pk__in=[lease.pk for lease in leases]).update(expiry_warned_on=today)
    recipients = notify.board_addresses()
    with translation.override("vi"):
        for lease in leases:
            query = urlencode({"asset": lease.asset.code, "lease": lease.pk})
            start = notify.absolute(reverse("auctions:create")) + f"?{query}"
            body = "\n".join(
                [
                    _(
                        "Hợp đồng thuê %(number)s (%(asset)s, bên thuê %(lessee)s) hết hạn ngày %(ends)s, "
                        "còn %(days)s ngày. Quyền thuê phải được đấu giá lại trước khi hợp đồng hết hạn."
                    )
                    % {
                        "number": lease.number,
                        "asset": lease.asset.name,
                        "lessee": lease.lessee.name,
                        "ends": format_date(lease.ends_on),
                        "days": (lease.ends_on - today).days,
                    },
                    "",
                    _("Lập cuộc đấu giá mới: %(url)s") % {"url": start},
                    _("Hợp đồng: %(url)s")
                    % {"url": notify.absolute(reverse("assets:lease", args=[lease.pk]))},
                ]
            )
            notify.send_on_commit(
                _("Hợp đồng thuê %(number)s sắp hết hạn") % {"number": lease.number}, body, recipients
            )
    audit_record(
        action="assets.lease.expiry_warn",
        object_type="assets.lease",
        object_id="batch",
        object_repr=_("Cảnh báo hợp đồng thuê sắp hết hạn"),
        after={"leases": [lease.pk for lease in leases], "within_days": within_days, "on": today},
        actor=actor,
    )
    return len(leases)


@service
def lease_end(*, actor, lease_id: int, status: str = LeaseStatus.ENDED, reason: str = "") -> Lease:
    """End a lease at its term or terminate it early (reason required): a step of the lease's
    workflow (assets.actions)."""
    from .actions import LEASE_WORKFLOW

    lease = Lease.objects.filter(pk=lease_id).first()
    if lease is None:
        raise NotFound(_("Không có hợp đồng đang hiệu lực này."), field="lease")
    steps = {LeaseStatus.ENDED: "end", LeaseStatus.TERMINATED: "terminate"}
    if status not in steps:
        raise ServiceError(_("Trạng thái không hợp lệ."), field="status")
    if status == LeaseStatus.TERMINATED and not reason.strip():
        raise ServiceError(_("Cần ghi lý do chấm dứt trước hạn."), field="reason")
    with LEASE_WORKFLOW.step(actor, lease, steps[status], note=reason) as step:
        step.obj.notes = (step.obj.notes + "\n" + reason).strip()
        step.facts["reason"] = reason
    return step.obj
