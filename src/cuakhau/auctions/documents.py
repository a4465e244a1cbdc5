"""The auction record (biên bản đấu giá) in Word and PDF, in the Decree 30/2020 layout of the reports
module (its Document, render_docx and render_pdf are reused, not copied): start and end time, number of
participants, the winning price and the winner, and the certified extract of the system log (every
entry of the bid chain with its server time and hash, the chain's head, and the auction's audit events)
(Law 01/2016 art. 44)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from cuakhau.core.actions import audit_actions
from cuakhau.core.models import AuditEvent
from cuakhau.core.vnformat import amount_in_words, format_date, format_vnd

from . import chain
from .models import Auction, BidKind, DepositKind


def _t(moment) -> str:
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return f"{local:%H:%M:%S} ngày {format_date(local)}"


def build(auction: Auction):
    from cuakhau.core.documents import Document, Section

    province = getattr(settings, "PROVINCE_NAME", "Lạng Sơn")
    body = getattr(settings, "BOARD_NAME", "") or "BAN QUẢN LÝ KHU KINH TẾ CỬA KHẨU ĐỒNG ĐĂNG - LẠNG SƠN"
    signed = auction.record_signed_at or auction.closed_at or timezone.now()
    local = timezone.localtime(signed)
    asset = auction.asset
    registrations = list(auction.registrations.select_related("enterprise").order_by("label"))
    joined = [r for r in registrations if r.joined_at is not None]
    pack = auction.rule_pack
    sections = [
        Section(
            "I. Tài sản và quyết định đấu giá",
            [
                f"Tài sản: quyền thuê {asset.name} (mã {asset.code}), {asset.gate.name}; diện tích "
                f"{str(asset.area_m2).replace('.', ',')} m²"
                + (
                    f"; thửa đất số {asset.parcel_number}, tờ bản đồ số {asset.map_sheet}"
                    if asset.parcel_number
                    else ""
                )
                + ".",
                f"Quyết định phê duyệt số {auction.decision_number} ngày "
                f"{format_date(auction.decision_date) if auction.decision_date else '—'}; hình thức đấu giá trực tuyến, "
                "phương thức trả giá lên.",
                f"Giá khởi điểm: {format_vnd(auction.starting_price, long=True)}/tháng; bước giá: "
                f"{format_vnd(auction.step, long=True)}; tiền đặt trước: {format_vnd(auction.deposit, long=True)}; "
                f"thời hạn thuê {auction.lease_months} tháng.",
                f"Quy tắc áp dụng: {pack.name if pack else '—'}.",
            ],
        ),
        Section(
            "II. Diễn biến phiên đấu giá",
            [
                f"Bắt đầu trả giá: {_t(auction.started_at)}; kết thúc: {_t(auction.ends_at)} (giờ hệ thống).",
                f"Số người đăng ký: {len(registrations)}; số người đủ điều kiện: "
                f"{sum(1 for r in registrations if r.joined_at is not None or r.status == 'eligible')}; "
                f"số người tham gia trả giá: {len(joined)}; số lượt ghi trong chuỗi: {auction.bid_count}.",
                *[
                    f"Mã {r.label}: {r.enterprise.name} (MST {r.enterprise.tax_code}), người đại diện "
                    f"{r.representative}; {r.get_status_display().lower()}"
                    + (f" ({r.decision_note})" if r.decision_note else "")
                    + "."
                    for r in registrations
                ],
            ],
        ),
        Section("III. Kết quả", _result(auction)),
        Section("IV. Tiền đặt trước", _deposits(registrations)),
        Section("V. Trích xuất nhật ký hệ thống (có xác thực)", _log(auction)),
    ]
    return Document(
        parent_body="UBND TỈNH " + province.upper(),
        body=body,
        number=f"Số: {auction.record_number or '…'}/BB-ĐG",
        place_date=f"{province}, ngày {local.day:02d} tháng {local.month:02d} năm {local.year}",
        kind_title="BIÊN BẢN ĐẤU GIÁ",
        summary=f"Quyền thuê {asset.name} — cuộc đấu giá {auction.code}",
        draft=auction.record_signed_at is None,
        sections=sections,
        recipients=[
            "- Người trúng đấu giá;",
            "- Người có tài sản đấu giá;",
            "- Lưu: VT, hồ sơ đấu giá (5 năm).",
        ],
        signer_title="ĐẤU GIÁ VIÊN ĐIỀU HÀNH",
        signer_name="",
    )


def _result(auction: Auction) -> list[str]:
    if auction.winner_id and auction.winning_price:
        w = auction.winner
        return [
            f"Người trúng đấu giá: mã {w.label} — {w.enterprise.name} (MST {w.enterprise.tax_code}).",
            f"Giá trúng đấu giá: {format_vnd(auction.winning_price, long=True)}/tháng "
            f"({amount_in_words(auction.winning_price)}).",
        ]
    return [f"{auction.get_status_display()}: {auction.outcome_reason} ({auction.outcome_basis})."]


def _deposits(registrations) -> list[str]:
    rows = []
    for r in registrations:
        entries = list(r.deposit_entries.all())
        if not entries:
            rows.append(f"Mã {r.label}: chưa nộp tiền đặt trước.")
            continue
        parts = []
        for e in entries:
            text = f"{e.get_kind_display().lower()} {format_vnd(e.amount)} ({format_date(timezone.localtime(e.at))})"
            if e.kind == DepositKind.REFUNDED and e.due_on:
                text += f", hạn {format_date(e.due_on)}, {'đúng hạn' if e.on_time else 'quá hạn'}"
            if e.kind == DepositKind.FORFEITED:
                text += f", lý do: {e.get_reason_display().lower()} — {e.legal_basis}"
            parts.append(text)
        rows.append(f"Mã {r.label}: " + "; ".join(parts) + ".")
    return rows


def _log(auction: Auction) -> list[str]:
    verdict = chain.verify(auction)
    rows = [
        f"{b.seq}. {timezone.localtime(b.placed_at):%H:%M:%S.%f} — {b.registration.label} — "
        + (
            {
                BidKind.BID: "trả",
                BidKind.WITHDRAWAL: f"rút lại giá lượt {b.withdraws_seq}",
                BidKind.LOT: "bốc thăm",
            }[b.kind]
        )
        + f" {format_vnd(b.amount)}"
        + (f" (vòng {b.round})" if b.round else "")
        + f" — băm {b.hash[:16]}…"
        for b in auction.bids.select_related("registration").order_by("seq")
    ]
    rows.append(
        f"Mã băm cuối chuỗi (SHA-256, công bố cùng kết quả): {auction.chain_head or verdict.head}. "
        f"Kiểm tra chuỗi: {'khớp' if verdict.ok else 'KHÔNG KHỚP — ' + verdict.problem}, {verdict.count} lượt."
    )
    events = (
        AuditEvent.objects.filter(object_type="auctions.auction", object_id=str(auction.pk))
        .exclude(action__in=audit_actions.aliases("auctions.auction.bid"))
        .order_by("id")
    )
    for e in events:
        basis = (e.after or {}).get("legal_basis", "") if isinstance(e.after, dict) else ""
        rows.append(
            f"Nhật ký #{e.pk}: {_t(e.occurred_at)} — {e.action} — {e.actor_label or 'hệ thống'}"
            + (f" — căn cứ: {basis}" if basis else "")
        )
    return rows


def render(auction: Auction, fmt: str) -> tuple[bytes, str]:
    from cuakhau.core.documents import RENDERERS

    fn, content_type = RENDERERS[fmt]
    return fn(build(auction)), content_type


def filename(auction: Auction, fmt: str) -> str:
    return f"bien-ban-dau-gia-{auction.code}.{fmt}"
