"""Demo cooperation records: Guangxi counterparts (real organisations, their names in Chinese and
Vietnamese), a meeting with the Pingxiang side (凭祥市) with bilingual minutes, one agreement signed
there with two commitments followed as actions (one already overdue), and milestones of the Đồng Đăng –
Bằng Tường cross-border economic cooperation zone. The meeting, the agreement and the milestones marked
"(Demo)" are invented; the 2013 memorandum is a public fact. Idempotent: looked up by natural keys."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cuakhau.core.models import Unit, User
from cuakhau.core.service import batch

from . import services
from .models import Agreement, Counterpart, Meeting, Milestone

COUNTERPARTS = [
    ("pingxiang", "Chính quyền nhân dân thành phố Bằng Tường", "凭祥市人民政府", "government"),
    ("chongzuo", "Chính quyền nhân dân thành phố Sùng Tả", "崇左市人民政府", "government"),
    ("gx-commerce", "Sở Thương mại Khu tự trị dân tộc Choang Quảng Tây", "广西壮族自治区商务厅", "commerce"),
    (
        "youyiguan-port",
        "Cơ quan quản lý cửa khẩu Hữu Nghị Quan (Bằng Tường)",
        "凭祥友谊关口岸管理机构",
        "port",
    ),
    ("pingxiang-bonded", "Khu bảo thuế tổng hợp Bằng Tường", "凭祥综合保税区", "zone"),
]

MINUTES_VI = """(Demo) Biên bản hội đàm

1. Hai bên thống nhất phối hợp điều tiết phương tiện chở nông sản mùa cao điểm tại cặp cửa khẩu Hữu Nghị – Hữu Nghị Quan.
2. Trung tâm Quản lý cửa khẩu Hữu Nghị và cơ quan quản lý cửa khẩu phía Bằng Tường trao đổi số liệu lượng xe hằng ngày trước 17 giờ.
3. Hai bên nghiên cứu thí điểm kéo dài thời gian thông quan vào thứ Bảy, Chủ nhật trong mùa cao điểm.
4. Tiếp tục trao đổi về các bước xây dựng Khu hợp tác kinh tế qua biên giới Đồng Đăng – Bằng Tường."""

MINUTES_ZH = """（示例）会谈纪要

一、双方同意在友谊关—友谊口岸协调农产品旺季运输车辆通关。
二、友谊口岸管理中心与凭祥方口岸管理机构每日17时前交换车辆通关数据。
三、双方研究在旺季试行周六、周日延长通关时间。
四、继续就同登—凭祥跨境经济合作区建设步骤进行交流。"""


def load_demo(stdout=None) -> str:
    with batch():  # the loader runs inside the command's transaction: the services join it
        return _load()


def _load() -> str:
    today = timezone.localdate()
    created = []
    counterparts = {}
    for code, name_vi, name_zh, kind in COUNTERPARTS:
        existing = Counterpart.objects.filter(code=code).first()
        counterparts[code] = existing or services.counterpart_save(
            actor=None, code=code, name_vi=name_vi, name_zh=name_zh, kind=kind
        )
        if existing is None:
            created.append(code)

    title = "(Demo) Hội đàm với thành phố Bằng Tường về thông quan nông sản mùa cao điểm"
    held_on = today - datetime.timedelta(days=45)
    meeting = Meeting.objects.filter(title=title).first()
    if meeting is None:
        meeting = services.meeting_record(
            actor=None,
            title=title,
            held_on=held_on,
            place="Nhà hội đàm cửa khẩu quốc tế Hữu Nghị, Lạng Sơn",
            counterparts=[counterparts["pingxiang"], counterparts["youyiguan-port"]],
            participants_vn="(Demo) Lãnh đạo Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn; "
            "Trung tâm Quản lý cửa khẩu Hữu Nghị; Chi cục Hải quan cửa khẩu Hữu Nghị; "
            "Đồn Biên phòng cửa khẩu quốc tế Hữu Nghị",
            participants_cn="（示例）凭祥市人民政府领导；友谊关口岸管理机构；凭祥海关代表",
            minutes_vi=MINUTES_VI,
            minutes_zh=MINUTES_ZH,
        )
        created.append("meeting")

    agreement_title = "(Demo) Biên bản thỏa thuận phối hợp thông quan nông sản mùa cao điểm"
    agreement = Agreement.objects.filter(title_vi=agreement_title).first()
    if agreement is None:
        agreement = services.agreement_record(
            actor=None,
            kind="minutes",
            number="01/BB-BQL-BT",
            title_vi=agreement_title,
            title_zh="（示例）关于农产品旺季通关协调的会谈纪要",
            signed_on=held_on,
            signed_place="Cửa khẩu quốc tế Hữu Nghị",
            parties_vn="Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn",
            counterparts=[counterparts["pingxiang"]],
            meeting=meeting,
            text_vi=MINUTES_VI,
            text_zh=MINUTES_ZH,
        )
        centre = Unit.objects.filter(code="ttqlck-huu-nghi").first()
        planning = Unit.objects.filter(code="phong-ke-hoach").first()
        if centre is not None and planning is not None:
            services.commitment_add(
                actor=None,
                agreement=agreement,
                text_vi="Trao đổi số liệu lượng xe qua cửa khẩu hằng ngày với phía Bằng Tường trước 17 giờ",
                text_zh="每日17时前与凭祥方交换车辆通关数据",
                owner_unit=centre,
                due_on=today + datetime.timedelta(days=20),
            )
            late = services.commitment_add(
                actor=None,
                agreement=agreement,
                text_vi="Trình Ủy ban nhân dân tỉnh phương án thí điểm thông quan thứ Bảy, Chủ nhật mùa cao điểm",
                text_zh="向省人民政府报送旺季周六、周日通关试点方案",
                owner_unit=planning,
                due_on=held_on + datetime.timedelta(days=30),
            )
            reporter = User.objects.filter(username="chuyenvien").first()
            services.commitment_report(
                actor=reporter,
                commitment=late,
                status="in_progress",
                note="(Demo) Đã lấy ý kiến Hải quan, Biên phòng; đang hoàn thiện dự thảo.",
            )
        created.append("agreement")

    milestones = [
        (
            datetime.date(2013, 10, 13),
            "Bộ Công Thương Việt Nam và Bộ Thương mại Trung Quốc ký Bản ghi nhớ về phát triển khu hợp tác "
            "kinh tế qua biên giới",
            "中越两国商务部签署关于建设跨境经济合作区的谅解备忘录",
            "achieved",
            "Bản ghi nhớ ký tại Hà Nội ngày 13/10/2013.",
            None,
        ),
        (
            held_on,
            "(Demo) Hội đàm với thành phố Bằng Tường về phối hợp thông quan trong khu hợp tác",
            "（示例）与凭祥市就合作区通关协调举行会谈",
            "achieved",
            "",
            agreement,
        ),
        (
            datetime.date(today.year, 12, 31),
            "(Demo) Hoàn thành quy hoạch chi tiết khu vực lõi phía Việt Nam (Đồng Đăng)",
            "（示例）完成越方（同登）核心区详细规划",
            "planned",
            "",
            None,
        ),
        (
            datetime.date(today.year + 1, 6, 30),
            "(Demo) Hai bên ký văn bản về xây dựng và quản lý Khu hợp tác kinh tế qua biên giới "
            "Đồng Đăng – Bằng Tường",
            "（示例）双方签署同登—凭祥跨境经济合作区建设与管理文件",
            "planned",
            "",
            None,
        ),
    ]
    for on, title_vi, title_zh, status, source, related in milestones:
        if not Milestone.objects.filter(title_vi=title_vi).exists():
            services.milestone_save(
                actor=None,
                on=on,
                title_vi=title_vi,
                title_zh=title_zh,
                status=status,
                source=source,
                agreement=related,
            )
            created.append("milestone")
    return f"{len(created)} demo cooperation records created"
