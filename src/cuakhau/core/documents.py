"""Administrative documents in the Decree 30/2020/NĐ-CP layout (Appendix I): A4; margins top and bottom
20 mm, left 30 mm, right 15 mm; Times New Roman (Liberation Serif, metric-compatible, where Times is not
installed) 13-14 pt; the issuing body and the number on the left, the national motto and place/date on
the right; the document kind and its summary centred; page numbers from page 2 centred at the top;
"Nơi nhận:" and the signature at the end. Rendered as Word (.docx), PDF (WeasyPrint) and Markdown from
one `Document`, so the three say the same thing. Reports, procedure forms and auction records build a
`Document` and render it here."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone, translation

PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
FONT = "Times New Roman"
BODY_PT = 14


def body_short() -> str:
    """The issuing body as printed in capitals at the top left of the Board's documents."""
    return "BAN QUẢN LÝ KHU KINH TẾ CỬA KHẨU ĐỒNG ĐĂNG - LẠNG SƠN"


@dataclass
class Section:
    heading: str
    paragraphs: list[str]


@dataclass
class Document:
    parent_body: str
    body: str
    number: str
    place_date: str
    kind_title: str
    summary: str
    draft: bool
    sections: list[Section] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer_title: str = "TRƯỞNG BAN"
    signer_name: str = ""

    @property
    def full_text(self) -> str:
        return render_markdown(self)


def render_markdown(doc: Document) -> str:
    lines = [
        f"**{doc.parent_body}**  ",
        f"**{doc.body}**  ",
        f"{doc.number}",
        "",
        "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**  ",
        "**Độc lập - Tự do - Hạnh phúc**  ",
        f"*{doc.place_date}*",
        "",
    ]
    if doc.draft:
        lines += ["*DỰ THẢO*", ""]
    lines += [f"# {doc.kind_title}", "", f"**{doc.summary}**", ""]
    for section in doc.sections:
        lines += [f"## {section.heading}", ""]
        for p in section.paragraphs:
            lines += [p, ""]
    lines += ["**Nơi nhận:**  "]
    lines += [f"{r}  " for r in doc.recipients]
    lines += ["", f"**{doc.signer_title}**", "", "", f"**{doc.signer_name}**" if doc.signer_name else "", ""]
    return "\n".join(lines)


# --- Word -------------------------------------------------------------------------------------------


def _font(run, size: float, *, bold=False, italic=False, underline=False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    return run


def _cell_text(cell, lines, align):
    first = True
    for text, size, opts in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        p.alignment = align
        p.paragraph_format.space_after = 0
        p.paragraph_format.space_before = 0
        _font(p.add_run(text), size, **opts)


def _no_borders(table):
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.makeelement(qn("w:tblBorders"), {})
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = borders.makeelement(qn(f"w:{edge}"), {qn("w:val"): "nil"})
        borders.append(el)
    tbl_pr.append(borders)


def _page_number(paragraph):
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    _font(run, 13)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            el = run._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            el = run._element.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = text
        run._element.append(el)


def render_docx(doc: Document) -> bytes:
    from docx import Document as Docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt

    d = Docx()
    section = d.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True  # no number on page 1
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(header)
    section.first_page_header.paragraphs[0].text = ""

    normal = d.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    from docx.oxml.ns import qn

    rfonts = normal.element.get_or_add_rPr().find(qn("w:rFonts"))
    if rfonts is not None:
        rfonts.set(qn("w:eastAsia"), FONT)

    center, left, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY
    top = d.add_table(rows=1, cols=2)
    _no_borders(top)
    top.alignment = WD_TABLE_ALIGNMENT.CENTER
    top.autofit = False
    widths = (Cm(6.5), Cm(10.0))
    for i, w in enumerate(widths):
        top.columns[i].width = w
        top.rows[0].cells[i].width = w
    _cell_text(
        top.rows[0].cells[0],
        [(doc.parent_body, 13, {}), (doc.body, 13, {"bold": True}), ("", 6, {}), (doc.number, 13, {})],
        center,
    )
    _cell_text(
        top.rows[0].cells[1],
        [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, {"bold": True}),
            ("Độc lập - Tự do - Hạnh phúc", 14, {"bold": True, "underline": True}),
            ("", 6, {}),
            (doc.place_date, 14, {"italic": True}),
        ],
        center,
    )

    def para(text, size=BODY_PT, align=justify, indent=True, before=0, after=6, **opts):
        p = d.add_paragraph()
        p.alignment = align
        fmt = p.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.line_spacing = 1.15
        if indent:
            fmt.first_line_indent = Cm(1.27)
        _font(p.add_run(text), size, **opts)
        return p

    if doc.draft:
        para("DỰ THẢO", 12, left, False, before=6, after=0, italic=True, bold=True)
    para(doc.kind_title, 14, center, False, before=18, after=0, bold=True)
    para(doc.summary, 14, center, False, after=18, bold=True)
    for section_ in doc.sections:
        para(section_.heading, BODY_PT, justify, True, before=6, after=6, bold=True)
        for text in section_.paragraphs:
            para(text)

    end = d.add_table(rows=1, cols=2)
    _no_borders(end)
    end.autofit = False
    for i, w in enumerate((Cm(8.0), Cm(8.5))):
        end.columns[i].width = w
        end.rows[0].cells[i].width = w
    _cell_text(
        end.rows[0].cells[0],
        [("Nơi nhận:", 12, {"bold": True, "italic": True}), *[(r, 11, {}) for r in doc.recipients]],
        left,
    )
    _cell_text(
        end.rows[0].cells[1],
        [
            (doc.signer_title, 14, {"bold": True}),
            ("", 14, {}),
            ("", 14, {}),
            ("", 14, {}),
            (doc.signer_name, 14, {"bold": True}),
        ],
        center,
    )
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------------------


def render_html(doc: Document, *, for_pdf: bool = True) -> str:
    with translation.override("vi"):
        return render_to_string(
            "documents/decree30.html",
            {"doc": doc, "margins": MARGINS_MM, "for_pdf": for_pdf, "now": timezone.now()},
        )


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(doc)).write_pdf()


RENDERERS = {
    "md": (lambda doc: render_markdown(doc).encode("utf-8"), "text/markdown; charset=utf-8"),
    "docx": (render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": (render_pdf, "application/pdf"),
}
