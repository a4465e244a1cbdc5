"""The Board's usual procedures, seeded as version 1 of each. Every entry is marked "to be confirmed by
the Board": the deadlines are those the issue lists, the legal bases are cited from memory of the texts
and are NOT verified against the official gazette here (see docs in the app's README section of
docs/architecture.md); the Board confirms or corrects them by publishing a new version.

"Days" where the law says "ngày" without "làm việc" are calendar days (clock.py explains the rule:
Civil Code 2015 Art. 147-148); the Board may publish a version in working days if its published
list of procedures says so."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cuakhau.core.models import Unit
from cuakhau.core.workcal.calendar import TZ

from .models import DeadlineUnit, Procedure, ProcedureVersion

VALID_FROM = dt.datetime(2021, 3, 26, tzinfo=TZ)  # Decree 31/2021/ND-CP in force (unverified date)
DESK = "van-phong"  # the one-stop desk of the Board's office
ENTERPRISES = "phong-doanh-nghiep"
CONSTRUCTION = "phong-quy-hoach"
LEADERS = "ban-lanh-dao"

INVESTMENT_BASIS = (
    "Luật Đầu tư số 61/2020/QH14; Nghị định số 31/2021/NĐ-CP ngày 26/3/2021 quy định chi tiết và hướng "
    "dẫn thi hành một số điều của Luật Đầu tư (điều khoản cụ thể: chưa đối chiếu)."
)


def _steps(*parts):
    return [{"key": k, "name": n, "unit": u, "days": str(d)} for k, n, u, d in parts]


def _standard(days_total: Decimal, unit_code: str, appraise_name: str) -> list[dict]:
    """Receive (half a day), appraise (the rest less a day and a half), sign (one day), return."""
    appraise = max(days_total - Decimal("2"), Decimal("0.5"))
    return _steps(
        ("receive", "Tiếp nhận, kiểm tra hồ sơ", DESK, "0.5"),
        ("appraise", appraise_name, unit_code, appraise),
        ("sign", "Lãnh đạo Ban xem xét, ký", LEADERS, "1"),
        ("return", "Trả kết quả", DESK, "0.5"),
    )


CATALOGUE = [
    {
        "code": "dt-cap-gcn-dkdt",
        "field": "Đầu tư",
        "name": "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư",
        "legal_basis": INVESTMENT_BASIS
        + " Thời hạn 15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ (Luật Đầu tư, Điều 38).",
        "deadline": Decimal(15),
        "deadline_unit": DeadlineUnit.DAYS,
        "fee": 0,
        "fee_note": "Không thu phí, lệ phí.",
        "documents": [
            {"name": "Văn bản đề nghị thực hiện dự án đầu tư", "copies": 1, "template": "Mẫu A.I.1"},
            {"name": "Tài liệu về tư cách pháp lý của nhà đầu tư", "copies": 1, "template": ""},
            {"name": "Đề xuất dự án đầu tư", "copies": 1, "template": "Mẫu A.I.3"},
            {"name": "Tài liệu chứng minh năng lực tài chính của nhà đầu tư", "copies": 1, "template": ""},
        ],
        "steps": _standard(Decimal(11), ENTERPRISES, "Phòng Quản lý doanh nghiệp thẩm định"),
        "result_document": "Giấy chứng nhận đăng ký đầu tư",
        "unit": ENTERPRISES,
        "order": 10,
    },
    {
        "code": "dt-dieu-chinh-gcn-3",
        "field": "Đầu tư",
        "name": "Điều chỉnh Giấy chứng nhận đăng ký đầu tư (thay đổi thông tin không phải điều chỉnh chủ trương đầu tư)",
        "legal_basis": INVESTMENT_BASIS + " Thời hạn 03 ngày làm việc (Nghị định 31/2021/NĐ-CP, Điều 47).",
        "deadline": Decimal(3),
        "deadline_unit": DeadlineUnit.WORKING_DAYS,
        "fee": 0,
        "fee_note": "Không thu phí, lệ phí.",
        "documents": [
            {"name": "Văn bản đề nghị điều chỉnh dự án đầu tư", "copies": 1, "template": "Mẫu A.I.11"},
            {"name": "Tài liệu liên quan đến việc điều chỉnh", "copies": 1, "template": ""},
        ],
        "steps": _steps(
            ("receive", "Tiếp nhận, kiểm tra hồ sơ", DESK, "0.5"),
            ("appraise", "Phòng Quản lý doanh nghiệp xem xét", ENTERPRISES, "1.5"),
            ("sign", "Lãnh đạo Ban ký", LEADERS, "0.5"),
            ("return", "Trả kết quả", DESK, "0.5"),
        ),
        "result_document": "Giấy chứng nhận đăng ký đầu tư điều chỉnh",
        "unit": ENTERPRISES,
        "order": 20,
    },
    {
        "code": "dt-dieu-chinh-gcn-7",
        "field": "Đầu tư",
        "name": "Điều chỉnh Giấy chứng nhận đăng ký đầu tư (điều chỉnh nội dung dự án, không điều chỉnh chủ trương đầu tư)",
        "legal_basis": INVESTMENT_BASIS + " Thời hạn 07 ngày làm việc (Nghị định 31/2021/NĐ-CP, Điều 47).",
        "deadline": Decimal(7),
        "deadline_unit": DeadlineUnit.WORKING_DAYS,
        "fee": 0,
        "fee_note": "Không thu phí, lệ phí.",
        "documents": [
            {"name": "Văn bản đề nghị điều chỉnh dự án đầu tư", "copies": 1, "template": "Mẫu A.I.11"},
            {"name": "Báo cáo tình hình thực hiện dự án đầu tư", "copies": 1, "template": ""},
            {"name": "Giải trình về nội dung điều chỉnh", "copies": 1, "template": ""},
        ],
        "steps": _standard(Decimal(7), ENTERPRISES, "Phòng Quản lý doanh nghiệp thẩm định"),
        "result_document": "Giấy chứng nhận đăng ký đầu tư điều chỉnh",
        "unit": ENTERPRISES,
        "order": 30,
    },
    {
        "code": "dt-chap-thuan-nha-dau-tu",
        "field": "Đầu tư",
        "name": "Chấp thuận nhà đầu tư",
        "legal_basis": INVESTMENT_BASIS
        + " Thời hạn 25 ngày kể từ ngày nhận đủ hồ sơ hợp lệ (Nghị định 31/2021/NĐ-CP, điều khoản chưa đối chiếu).",
        "deadline": Decimal(25),
        "deadline_unit": DeadlineUnit.DAYS,
        "fee": 0,
        "fee_note": "Không thu phí, lệ phí.",
        "documents": [
            {"name": "Văn bản đề nghị chấp thuận nhà đầu tư", "copies": 1, "template": ""},
            {
                "name": "Tài liệu về tư cách pháp lý, năng lực tài chính của nhà đầu tư",
                "copies": 1,
                "template": "",
            },
        ],
        "steps": _steps(
            ("receive", "Tiếp nhận, kiểm tra hồ sơ", DESK, "0.5"),
            ("appraise", "Phòng Quản lý doanh nghiệp lấy ý kiến, thẩm định", ENTERPRISES, "14"),
            ("sign", "Lãnh đạo Ban xem xét, quyết định", LEADERS, "2"),
            ("return", "Trả kết quả", DESK, "0.5"),
        ),
        "result_document": "Văn bản chấp thuận nhà đầu tư",
        "unit": ENTERPRISES,
        "order": 40,
    },
    {
        "code": "ld-cap-gpld",
        "field": "Lao động",
        "name": "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại khu kinh tế",
        "legal_basis": (
            "Bộ luật Lao động năm 2019 (Điều 151-157); Nghị định số 152/2020/NĐ-CP (sửa đổi bởi Nghị định "
            "70/2023/NĐ-CP) về người lao động nước ngoài làm việc tại Việt Nam; thời hạn 10 ngày làm việc "
            "theo danh mục của Ban (điều khoản chưa đối chiếu; kiểm tra văn bản thay thế Nghị định 152/2020)."
        ),
        "deadline": Decimal(10),
        "deadline_unit": DeadlineUnit.WORKING_DAYS,
        "fee": 0,
        "fee_note": "Lệ phí theo Nghị quyết của HĐND tỉnh (Ban xác nhận mức thu).",
        "documents": [
            {"name": "Văn bản đề nghị cấp giấy phép lao động", "copies": 1, "template": "Mẫu số 11/PLI"},
            {"name": "Giấy chứng nhận sức khỏe", "copies": 1, "template": ""},
            {"name": "Phiếu lý lịch tư pháp", "copies": 1, "template": ""},
            {
                "name": "Văn bằng, giấy tờ chứng minh là nhà quản lý, chuyên gia, lao động kỹ thuật",
                "copies": 1,
                "template": "",
            },
            {"name": "02 ảnh màu 4x6 cm", "copies": 2, "template": ""},
            {"name": "Bản sao hộ chiếu còn giá trị", "copies": 1, "template": ""},
        ],
        "steps": _steps(
            ("receive", "Tiếp nhận, kiểm tra hồ sơ", DESK, "0.5"),
            ("appraise", "Phòng Quản lý doanh nghiệp thẩm định", ENTERPRISES, "7"),
            ("sign", "Lãnh đạo Ban ký giấy phép", LEADERS, "2"),
            ("return", "Trả kết quả", DESK, "0.5"),
        ),
        "result_document": "Giấy phép lao động",
        "unit": ENTERPRISES,
        "order": 50,
    },
    {
        "code": "xd-cap-gpxd",
        "field": "Xây dựng",
        "name": "Cấp giấy phép xây dựng công trình trong khu kinh tế",
        "legal_basis": (
            "Luật Xây dựng số 50/2014/QH13, sửa đổi bởi Luật số 62/2020/QH14 (Điều 102: 20 ngày kể từ ngày "
            "nhận đủ hồ sơ hợp lệ); Nghị định số 15/2021/NĐ-CP (chưa đối chiếu)."
        ),
        "deadline": Decimal(20),
        "deadline_unit": DeadlineUnit.DAYS,
        "fee": 150_000,
        "fee_note": "Lệ phí cấp giấy phép xây dựng theo Nghị quyết của HĐND tỉnh (mức minh họa, Ban xác nhận).",
        "documents": [
            {
                "name": "Đơn đề nghị cấp giấy phép xây dựng",
                "copies": 1,
                "template": "Mẫu số 01 Phụ lục II NĐ 15/2021",
            },
            {"name": "Giấy tờ hợp pháp về quyền sử dụng đất", "copies": 1, "template": ""},
            {"name": "Bản vẽ thiết kế xây dựng", "copies": 2, "template": ""},
        ],
        "steps": _standard(Decimal(16), CONSTRUCTION, "Phòng Quản lý quy hoạch và xây dựng thẩm định"),
        "result_document": "Giấy phép xây dựng",
        "unit": CONSTRUCTION,
        "order": 60,
    },
    {
        "code": "tm-vpdd",
        "field": "Thương mại",
        "name": "Cấp Giấy phép thành lập Văn phòng đại diện của thương nhân nước ngoài trong khu kinh tế",
        "legal_basis": (
            "Luật Thương mại 2005; Nghị định số 07/2016/NĐ-CP ngày 25/01/2016 về văn phòng đại diện, chi "
            "nhánh của thương nhân nước ngoài tại Việt Nam; thời hạn 09 ngày làm việc theo danh mục của Ban "
            "(điều khoản chưa đối chiếu)."
        ),
        "deadline": Decimal(9),
        "deadline_unit": DeadlineUnit.WORKING_DAYS,
        "fee": 3_000_000,
        "fee_note": "Lệ phí cấp Giấy phép thành lập Văn phòng đại diện (Thông tư 143/2016/TT-BTC, chưa đối chiếu).",
        "documents": [
            {
                "name": "Đơn đề nghị cấp Giấy phép thành lập Văn phòng đại diện",
                "copies": 1,
                "template": "Mẫu MĐ-1",
            },
            {
                "name": "Bản sao giấy đăng ký kinh doanh của thương nhân nước ngoài",
                "copies": 1,
                "template": "",
            },
            {"name": "Văn bản bổ nhiệm người đứng đầu Văn phòng đại diện", "copies": 1, "template": ""},
            {"name": "Báo cáo tài chính có kiểm toán năm gần nhất", "copies": 1, "template": ""},
        ],
        "steps": _standard(Decimal(9), ENTERPRISES, "Phòng Quản lý doanh nghiệp thẩm định"),
        "result_document": "Giấy phép thành lập Văn phòng đại diện",
        "unit": ENTERPRISES,
        "order": 70,
    },
]


def load_catalogue() -> str:
    """Create each procedure and its version 1 if missing (idempotent). Needs the Board's units."""
    created = 0
    for entry in CATALOGUE:
        unit = Unit.objects.filter(code=entry["unit"]).first()
        if unit is None:
            continue
        procedure, _new = Procedure.objects.get_or_create(
            code=entry["code"], defaults={"field": entry["field"], "order": entry["order"]}
        )
        if procedure.versions.exists():
            continue
        ProcedureVersion.objects.create(
            procedure=procedure,
            number=1,
            valid_from=VALID_FROM,
            name=entry["name"],
            legal_basis=entry["legal_basis"],
            deadline=entry["deadline"],
            deadline_unit=entry["deadline_unit"],
            deadline_note=DEADLINE_NOTES[entry["deadline_unit"]],
            fee=entry["fee"],
            fee_note=entry["fee_note"],
            documents=entry["documents"],
            steps=entry["steps"],
            result_document=entry["result_document"],
            handling_unit=unit,
            to_be_confirmed=True,
        )
        created += 1
    return f"{created} procedures created, {len(CATALOGUE)} in the catalogue"


DEADLINE_NOTES = {
    DeadlineUnit.WORKING_DAYS: (
        "Tính theo ngày làm việc kể từ khi tiếp nhận hồ sơ hợp lệ; hồ sơ nhận ngoài giờ hành chính tính từ "
        "phiên làm việc kế tiếp; không tính thời gian chờ bổ sung hồ sơ."
    ),
    DeadlineUnit.DAYS: (
        'Văn bản quy định "ngày": tính theo ngày lịch từ ngày tiếp theo ngày nhận đủ hồ sơ hợp lệ; nếu '
        "ngày cuối là ngày nghỉ thì hết hạn vào cuối ngày làm việc kế tiếp (Bộ luật Dân sự 2015, Điều 147-148); "
        "không tính thời gian chờ bổ sung hồ sơ."
    ),
    DeadlineUnit.WORKING_HOURS: "Tính theo giờ làm việc trong các buổi làm việc của cơ quan.",
}
