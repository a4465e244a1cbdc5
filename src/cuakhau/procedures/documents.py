"""The one-stop forms as administrative documents, through the Decree 30/2020 document layer of the
core (core.documents: one `Document`, rendered as Word, PDF and Markdown):

    01 receipt and appointment slip (with a QR code for the public lookup)
    02 request to supplement the dossier
    03 refusal to receive
    04 apology and new appointment
    05 stop of handling (withdrawn dossier)
    06 handover and tracking slip: each hand-off, its step deadline, early / on time / late

Form names follow Circular 01/2018/TT-VPCP (guiding Decree 61/2018/ND-CP); the numbering of 05 and 06
follows the issue (in the circular, 05 is the tracking slip and 06 the dossier register: unverified)."""

from __future__ import annotations

import io

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from cuakhau.core import documents as layer
from cuakhau.core.vnformat import format_datetime, format_vnd

from .models import ApologyLetter, Dossier, Status

FORMS = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "05": "PHIẾU DỪNG GIẢI QUYẾT HỒ SƠ",
    "06": "PHIẾU GIAO NHẬN VÀ KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}
TIMING_VI = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn", "": "—"}


def lookup_url(dossier: Dossier, request=None) -> str:
    """The public lookup with the dossier's code and lookup key filled in: the applicant's link (the QR
    code on form 01, notifications), as secret as the key it carries."""
    path = reverse("procedures:lookup") + "?" + urlencode({"code": dossier.code, "key": dossier.lookup_key})
    base = getattr(settings, "PUBLIC_BASE_URL", "") or getattr(settings, "CUAKHAU_PUBLIC_URL", "")
    if base:
        return base.rstrip("/") + path
    return request.build_absolute_uri(path) if request is not None else path


def available(dossier: Dossier) -> list[str]:
    """The forms this dossier has reached."""
    forms = []
    if dossier.due_at:
        forms.append("01")
    actions = set(dossier.events.values_list("action", flat=True))
    if "request_supplement" in actions:
        forms.append("02")
    if dossier.status == Status.REFUSED:
        forms.append("03")
    if ApologyLetter.objects.filter(dossier=dossier).exists():
        forms.append("04")
    if dossier.status == Status.STOPPED:
        forms.append("05")
    if dossier.due_at:
        forms.append("06")
    return forms


def _place_date(moment) -> str:
    d = timezone.localtime(moment)
    province = getattr(settings, "PROVINCE_NAME", "Lạng Sơn")
    return f"{province}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def _who(d: Dossier) -> list[str]:
    return [
        f"Tổ chức/cá nhân: {d.applicant_name}",
        f"Mã số thuế/số giấy tờ: {d.masked_applicant_id}",
        f"Địa chỉ: {d.address or '—'}",
        f"Điện thoại: {d.applicant_phone or '—'}; thư điện tử: {d.applicant_email or '—'}",
    ]


def _last(d: Dossier, action: str):
    return d.events.filter(action=action).order_by("-at", "-id").first()


def build(d: Dossier, form: str) -> layer.Document:
    v = d.version
    base = getattr(settings, "BOARD_NAME", "") or layer.body_short()
    province = getattr(settings, "PROVINCE_NAME", "Lạng Sơn")
    at = d.received_at or d.submitted_at
    sections: list[layer.Section] = []
    if form == "01":
        docs = [f"{i}. {x['name']} ({x.get('copies', 1)} bản)" for i, x in enumerate(v.documents or [], 1)]
        sections = [
            layer.Section(
                f"Bộ phận tiếp nhận và trả kết quả: {base}",
                [f"Tiếp nhận hồ sơ của: {d.applicant_name}", *_who(d)[1:]],
            ),
            layer.Section("Nội dung yêu cầu giải quyết", [v.name, d.subject]),
            layer.Section("Thành phần hồ sơ", docs or ["(theo danh mục thủ tục)"]),
            layer.Section(
                "Thời gian",
                [
                    f"Số lượng hồ sơ: 01 bộ. Hình thức nộp: {d.get_channel_display()}.",
                    f"Thời gian giải quyết theo quy định: {v.deadline_value} {v.get_deadline_unit_display()}.",
                    f"Thời gian nhận hồ sơ: {format_datetime(at)}; bắt đầu tính hạn: {format_datetime(d.clock_start)}.",
                    f"Thời gian trả kết quả: {format_datetime(d.first_due_at)}.",
                    "Vào Sổ theo dõi hồ sơ. Tra cứu tình trạng hồ sơ bằng mã QR, hoặc bằng mã hồ sơ "
                    f"{d.code} cùng mã tra cứu {d.lookup_key_display} (giữ kín mã tra cứu).",
                    f"Phí, lệ phí: {format_vnd(v.fee) if v.fee else 'không'}.",
                ],
            ),
        ]
    elif form == "02":
        e = _last(d, "request_supplement")
        sections = [
            layer.Section("Kính gửi", [d.applicant_name]),
            layer.Section("Hồ sơ", [f"Mã hồ sơ {d.code}: {v.name}", d.subject]),
            layer.Section(
                "Nội dung yêu cầu bổ sung, hoàn thiện",
                [
                    e.public_note if e else "",
                    "Thời hạn giải quyết tạm dừng từ khi ban hành phiếu này đến khi nhận đủ hồ sơ bổ sung.",
                ],
            ),
        ]
        at = e.at if e else at
    elif form == "03":
        e = _last(d, "refuse")
        sections = [
            layer.Section("Kính gửi", [d.applicant_name]),
            layer.Section("Hồ sơ", [f"Mã hồ sơ {d.code}: {v.name}"]),
            layer.Section("Lý do từ chối tiếp nhận", [d.refuse_reason]),
        ]
        at = e.at if e else at
    elif form == "04":
        letter = d.apology
        sections = [
            layer.Section("Kính gửi", [d.applicant_name]),
            layer.Section(
                "Nội dung",
                [
                    f"Ngày {format_datetime(d.received_at or d.submitted_at)}, {base} tiếp nhận hồ sơ {d.code} ({v.name}), "
                    f"hẹn trả kết quả {format_datetime(letter.previous_due_at)}.",
                    f"Đến nay hồ sơ chưa giải quyết xong. Lý do: {letter.reason}",
                    f"{base} xin lỗi và hẹn lại ngày trả kết quả: {format_datetime(letter.new_due_at)}.",
                ],
            ),
        ]
        at = letter.issued_at
    elif form == "05":
        e = _last(d, "stop")
        sections = [
            layer.Section("Kính gửi", [d.applicant_name]),
            layer.Section("Hồ sơ", [f"Mã hồ sơ {d.code}: {v.name}"]),
            layer.Section(
                "Nội dung", [f"Theo đề nghị rút hồ sơ ({d.stop_reason}), {base} dừng giải quyết hồ sơ."]
            ),
        ]
        at = e.at if e else at
    elif form == "06":
        rows = []
        for i, e in enumerate(
            d.events.exclude(action="submit").select_related("from_unit", "to_unit", "actor"), 1
        ):
            who = e.actor.display_name if e.actor_id else "Hệ thống"
            to = e.to_unit.name if e.to_unit_id else ""
            deadline = format_datetime(e.step_due_at) if e.step_due_at else "—"
            rows.append(
                f"{i}. {format_datetime(e.at)} · {e.step_name or e.get_to_status_display()} · giao: {who}"
                f"{' · nhận: ' + to if to else ''} · hạn bước: {deadline} · {TIMING_VI.get(e.timing, '—')}"
            )
        sections = [
            layer.Section(
                "Hồ sơ",
                [f"Mã hồ sơ {d.code}: {v.name}", f"Hẹn trả kết quả: {format_datetime(d.appointment_at)}"],
            ),
            layer.Section("Giao, nhận hồ sơ", rows or ["—"]),
        ]
        if d.finished_timing:
            sections.append(
                layer.Section(
                    "Kết quả", [f"{format_datetime(d.processed_at)}: {TIMING_VI[d.finished_timing]}"]
                )
            )
    else:
        raise ValueError(form)
    return layer.Document(
        parent_body=f"UBND TỈNH {province.upper()}",
        body=base.replace("–", "-").upper(),
        number=f"Mã hồ sơ: {d.code}",
        place_date=_place_date(at),
        kind_title=FORMS[form],
        summary=f"Mẫu số {form}",
        draft=False,
        sections=sections,
        recipients=[f"- {d.applicant_name};", "- Lưu: VT, Bộ phận một cửa."],
        signer_title="NGƯỜI TIẾP NHẬN" if form in ("01", "03") else "TRƯỞNG BAN",
        signer_name=(d.received_by.display_name if form == "01" and d.received_by_id else ""),
    )


def _qr_png(url: str) -> bytes:
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=4, border=2)
    return out.getvalue()


def _qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=3, border=1, title="Tra cứu hồ sơ")


def render(d: Dossier, form: str, fmt: str, request=None) -> tuple[bytes, str]:
    doc = build(d, form)
    url = lookup_url(d, request)
    if fmt == "pdf":
        from weasyprint import HTML

        html = layer.render_html(doc)
        if form == "01":
            block = (
                f'<div style="margin-top:10pt;text-align:center;font-size:11pt">{_qr_svg(url)}'
                f"<div>Tra cứu hồ sơ: {url}</div></div>"
            )
            html = html.replace('<table class="end">', block + '<table class="end">', 1)
        return HTML(string=html).write_pdf(), "application/pdf"
    if fmt == "docx":
        data = layer.render_docx(doc)
        if form == "01":
            from docx import Document as Docx
            from docx.enum.text import WD_ALIGN_PARAGRAPH
            from docx.shared import Cm

            word = Docx(io.BytesIO(data))
            p = word.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run().add_picture(io.BytesIO(_qr_png(url)), width=Cm(3))
            p.add_run(f"\nTra cứu hồ sơ: {url}")
            out = io.BytesIO()
            word.save(out)
            data = out.getvalue()
        return data, layer.RENDERERS["docx"][1]
    if fmt == "md":
        return layer.render_markdown(doc).encode("utf-8"), "text/markdown; charset=utf-8"
    raise ValueError(fmt)


def filename(d: Dossier, form: str, fmt: str) -> str:
    return f"mau-{form}-{d.code}.{fmt}"
