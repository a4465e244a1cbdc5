"""The seed's year in the Board's own management (Báo Lạng Sơn, 16/01/2018, the Board's 2017 review):

* the 2017 plan's 7 key tasks and the province's evaluation: 1 completed with clear results, 6 completed
  without clear results, none not completed (the counts are the seed's, see
  ../shared/data/turnover_series.csv; the task titles are written from the Board's remit, the
  article does not list them);
* the 2018 plan's 9 tasks and solutions;
* the provincial Vice Chairman's directives at the review conference, as four tracked actions
  (the conference date is taken as the day before the article; the leader is named by office only);
* a few ratings of the Hữu Nghị gate centre's service.

Targets of the indicators are invented for the demo; the 2017 actual values are the seed's (turnover
5,250 million USD, infrastructure fees 645.262 billion đồng), entered by hand until the trade and fees
apps register their statistics. Everything goes through the services. Idempotent: a year's plan, the
directive and each rating are looked up first.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from cuakhau.core.feedback import FeedbackSubject
from cuakhau.core.models import Unit, User
from cuakhau.core.service import batch

from . import services
from .models import (
    ActionStatus,
    Directive,
    Evaluation,
    Feedback,
    Plan,
    ProgressUpdate,
    Task,
    TaskKind,
    TaskStatus,
)

D = datetime.date

KEY_TASKS_2017 = [
    # title, lead unit, cooperating units, deadline, evaluation
    (
        "Quản lý, thu phí sử dụng công trình kết cấu hạ tầng, công trình dịch vụ, tiện ích công cộng trong "
        "khu vực cửa khẩu đúng quy định, chống thất thu",
        "phong-ke-hoach",
        ["ttqlck-huu-nghi", "ttqlck-tan-thanh", "ttqlck-coc-nam", "ttqlck-chi-ma"],
        D(2017, 12, 31),
        Evaluation.CLEAR,
    ),
    (
        "Tạo thuận lợi cho hoạt động xuất nhập khẩu, thông quan hàng hóa; điều tiết phương tiện, chống ùn "
        "tắc tại các cửa khẩu",
        "phong-doanh-nghiep",
        ["ttqlck-huu-nghi", "ttqlck-tan-thanh", "hq-huu-nghi", "hq-tan-thanh"],
        D(2017, 12, 31),
        Evaluation.UNCLEAR,
    ),
    (
        "Đầu tư, nâng cấp kết cấu hạ tầng tại các cửa khẩu: bãi kiểm hóa, bãi xe chờ xuất, đường nội bộ",
        "phong-quy-hoach",
        ["ttqlck-tan-thanh", "ttqlck-coc-nam"],
        D(2017, 11, 30),
        Evaluation.UNCLEAR,
    ),
    (
        "Cải cách hành chính, công khai thủ tục, góp phần nâng cao chỉ số năng lực cạnh tranh cấp tỉnh",
        "van-phong",
        ["phong-doanh-nghiep"],
        D(2017, 12, 15),
        Evaluation.UNCLEAR,
    ),
    (
        "Phối hợp với các lực lượng chức năng giữ gìn an ninh, trật tự, vệ sinh môi trường tại khu vực "
        "cửa khẩu",
        "ttqlck-huu-nghi",
        ["ttqlck-tan-thanh", "ttqlck-coc-nam", "ttqlck-chi-ma", "bp-huu-nghi"],
        D(2017, 12, 31),
        Evaluation.UNCLEAR,
    ),
    (
        "Hợp tác với các cơ quan hữu quan tỉnh Quảng Tây (Trung Quốc) về quản lý cửa khẩu, thông quan hàng "
        "hóa",
        "phong-ke-hoach",
        ["van-phong"],
        D(2017, 12, 31),
        Evaluation.UNCLEAR,
    ),
    (
        "Rà soát, điều chỉnh quy hoạch chung xây dựng Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn",
        "phong-quy-hoach",
        ["phong-ke-hoach"],
        D(2017, 10, 31),
        Evaluation.UNCLEAR,
    ),
]

SOLUTIONS_2018 = [
    # title, lead unit, cooperating units, deadline, done on (None: still in progress)
    (
        "Tăng cường quản lý thu phí sử dụng công trình kết cấu hạ tầng; triển khai thu phí không dùng "
        "tiền mặt",
        "phong-ke-hoach",
        ["ttqlck-huu-nghi", "ttqlck-tan-thanh", "ttqlck-coc-nam", "ttqlck-chi-ma"],
        D(2018, 12, 31),
        D(2018, 12, 28),
    ),
    (
        "Đẩy mạnh cải cách thủ tục hành chính, thực hiện cơ chế một cửa tại Ban",
        "van-phong",
        [],
        D(2018, 9, 30),
        D(2018, 9, 25),
    ),
    (
        "Tổ chức đấu giá quyền cho thuê nhà dịch vụ và các lô đất tại các cửa khẩu",
        "phong-quy-hoach",
        ["phong-ke-hoach"],
        D(2018, 6, 30),
        D(2018, 8, 20),
    ),
    (
        "Phối hợp với phía Quảng Tây xây dựng Khu hợp tác kinh tế qua biên giới Đồng Đăng – Bằng Tường",
        "phong-ke-hoach",
        ["phong-quy-hoach"],
        D(2018, 12, 31),
        None,
    ),
    (
        "Nâng cấp hạ tầng các cửa khẩu Hữu Nghị, Tân Thanh, Cốc Nam, Chi Ma",
        "phong-quy-hoach",
        ["ttqlck-huu-nghi", "ttqlck-tan-thanh", "ttqlck-coc-nam", "ttqlck-chi-ma"],
        D(2018, 12, 31),
        None,
    ),
    (
        "Điều tiết phương tiện, bảo đảm thông quan thông suốt vào mùa cao điểm xuất khẩu nông sản",
        "ttqlck-huu-nghi",
        ["ttqlck-tan-thanh", "hq-huu-nghi"],
        D(2018, 3, 31),
        D(2018, 3, 30),
    ),
    (
        "Giữ gìn an ninh, trật tự, vệ sinh môi trường tại khu vực cửa khẩu Tân Thanh",
        "ttqlck-tan-thanh",
        ["bp-tan-thanh"],
        D(2018, 12, 31),
        D(2018, 12, 20),
    ),
    (
        "Xúc tiến đầu tư, hỗ trợ doanh nghiệp đầu tư vào khu kinh tế cửa khẩu",
        "phong-doanh-nghiep",
        [],
        D(2018, 11, 30),
        D(2018, 11, 29),
    ),
    (
        "Nâng cao trách nhiệm, đạo đức công vụ của cán bộ trực tiếp giải quyết công việc của người dân, "
        "doanh nghiệp",
        "van-phong",
        ["ttqlck-huu-nghi", "ttqlck-tan-thanh"],
        D(2018, 12, 31),
        None,
    ),
]

DIRECTIVE = {
    "leader": "Phó Chủ tịch UBND tỉnh Lạng Sơn",
    "leader_title": "Phó Chủ tịch Ủy ban nhân dân tỉnh",
    "given_on": D(2018, 1, 15),
    "meeting": "Hội nghị tổng kết công tác năm 2017, triển khai nhiệm vụ năm 2018 của Ban Quản lý Khu kinh tế "
    "cửa khẩu Đồng Đăng – Lạng Sơn",
    "text": "Đề nghị Ban Quản lý Khu kinh tế cửa khẩu tổ chức đấu giá quyền cho thuê nhà dịch vụ và các lô đất "
    "tại các cửa khẩu; phối hợp với phía Quảng Tây (Trung Quốc) xúc tiến xây dựng Khu hợp tác kinh tế qua "
    "biên giới Đồng Đăng – Bằng Tường; đẩy mạnh cải cách thủ tục hành chính; nâng cao tinh thần trách nhiệm "
    "của cán bộ, công chức trực tiếp tiếp xúc, giải quyết công việc của người dân và doanh nghiệp.",
}
ACTIONS = [
    # title, owner, cooperating, due, (status, completed on, result)
    (
        "Tổ chức đấu giá quyền cho thuê nhà dịch vụ và các lô đất tại các cửa khẩu",
        "phong-quy-hoach",
        ["phong-ke-hoach"],
        D(2018, 6, 30),
        (ActionStatus.DONE, D(2018, 8, 20), "Đã tổ chức đấu giá quyền cho thuê nhà dịch vụ và 6 lô đất."),
    ),
    (
        "Phối hợp với phía Quảng Tây xúc tiến xây dựng Khu hợp tác kinh tế qua biên giới Đồng Đăng – Bằng Tường",
        "phong-ke-hoach",
        ["phong-quy-hoach"],
        D(2018, 12, 31),
        (ActionStatus.IN_PROGRESS, None, ""),
    ),
    (
        "Đẩy mạnh cải cách thủ tục hành chính tại Ban và các Trung tâm Quản lý cửa khẩu",
        "van-phong",
        ["ttqlck-huu-nghi"],
        D(2018, 12, 31),
        (
            ActionStatus.DONE,
            D(2018, 12, 20),
            "Công khai toàn bộ thủ tục; tiếp nhận hồ sơ qua bộ phận một cửa.",
        ),
    ),
    (
        "Nâng cao tinh thần trách nhiệm của cán bộ trực tiếp tiếp xúc, giải quyết công việc của người dân, "
        "doanh nghiệp",
        "van-phong",
        ["ttqlck-huu-nghi", "ttqlck-tan-thanh"],
        D(2018, 3, 31),
        (ActionStatus.OPEN, None, ""),
    ),
]

FEEDBACK = [
    # subject id, staff username, rating, comment
    ("DEMO-BL-0001", "thungan", 5, "Thu phí nhanh, biên lai rõ ràng."),
    ("DEMO-BL-0002", "thungan", 4, ""),
    ("DEMO-BL-0003", "dieuhanh", 3, "Phải chờ gọi xe vào bãi khá lâu."),
    ("DEMO-BL-0004", "dieuhanh", 5, "Hướng dẫn tận tình."),
]


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _load_2017() -> str:
    if Plan.objects.filter(year=2017).exists():
        return ""
    plan = services.plan_create(
        actor=None,
        year=2017,
        title="Kế hoạch công tác năm 2017",
        reference="05/KH-BQLKKTCK",
        issued_on=D(2017, 1, 20),
    )
    tasks = []
    for title, lead, coop, deadline, _level in KEY_TASKS_2017:
        tasks.append(
            services.task_add(
                actor=None,
                plan=plan,
                kind=TaskKind.KEY,
                title=title,
                lead_unit=_unit(lead),
                cooperating_units=[_unit(c) for c in coop],
                deadline=deadline,
            )
        )
    services.indicator_add(
        actor=None,
        task=tasks[0],
        statistic_key="infrastructure_fee_revenue",
        target="600",
        actual_entered="645.262",
        actual_source="Báo Lạng Sơn, 16/01/2018",
    )
    services.indicator_add(
        actor=None,
        task=tasks[1],
        statistic_key="turnover_total",
        target="5000",
        actual_entered="5250",
        actual_source="Báo Lạng Sơn, 16/01/2018",
    )
    plan = services.plan_activate(actor=None, plan=plan)
    for task, (*_rest, deadline, _level) in zip(tasks, KEY_TASKS_2017, strict=True):
        services.task_report_progress(
            actor=None, task=task, note="Đã hoàn thành theo kế hoạch.", status=TaskStatus.DONE
        )
        Task.objects.filter(pk=task.pk).update(completed_on=deadline)
        ProgressUpdate.objects.filter(task=task).update(
            created_at=timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(16, 0)))
        )
    plan = services.plan_close(actor=None, plan=plan)
    services.plan_evaluation_record(
        actor=None,
        plan=plan,
        evaluations={t.pk: level for t, (*_r, level) in zip(tasks, KEY_TASKS_2017, strict=True)},
        reference="Đánh giá của UBND tỉnh về kết quả thực hiện nhiệm vụ trọng tâm năm 2017",
        evaluated_on=D(2018, 1, 15),
    )
    return "2017: 7 key tasks evaluated"


def _load_2018() -> str:
    if Plan.objects.filter(year=2018).exists():
        return ""
    plan = services.plan_create(
        actor=None,
        year=2018,
        title="Kế hoạch công tác năm 2018",
        reference="08/KH-BQLKKTCK",
        issued_on=D(2018, 1, 22),
    )
    tasks = []
    for title, lead, coop, deadline, _done in SOLUTIONS_2018:
        tasks.append(
            services.task_add(
                actor=None,
                plan=plan,
                kind=TaskKind.SOLUTION,
                title=title,
                lead_unit=_unit(lead),
                cooperating_units=[_unit(c) for c in coop],
                deadline=deadline,
            )
        )
    services.indicator_add(
        actor=None, task=tasks[0], statistic_key="infrastructure_fee_revenue", target="700"
    )
    services.indicator_add(actor=None, task=tasks[0], statistic_key="turnover_total", target="5500")
    services.indicator_add(
        actor=None, task=tasks[1], name="Thủ tục giải quyết đúng hạn", measure="%", target="100"
    )
    plan = services.plan_activate(actor=None, plan=plan)
    for task, (*_rest, _deadline, done) in zip(tasks, SOLUTIONS_2018, strict=True):
        if done:
            services.task_report_progress(
                actor=None, task=task, note="Đã hoàn thành.", status=TaskStatus.DONE
            )
            Task.objects.filter(pk=task.pk).update(completed_on=done)
            ProgressUpdate.objects.filter(task=task).update(
                created_at=timezone.make_aware(datetime.datetime.combine(done, datetime.time(16, 0)))
            )
        else:
            services.task_report_progress(
                actor=None,
                task=task,
                note="Đang triển khai theo kế hoạch.",
                status=TaskStatus.IN_PROGRESS,
                percent=60,
            )
    return "2018: 9 tasks and solutions"


def _load_directive() -> str:
    if Directive.objects.filter(given_on=DIRECTIVE["given_on"], leader=DIRECTIVE["leader"]).exists():
        return ""
    directive = services.directive_create(actor=None, **DIRECTIVE)
    for title, owner, coop, due, (status, completed_on, result) in ACTIONS:
        action = services.action_add(
            actor=None,
            directive=directive,
            title=title,
            owner_unit=_unit(owner),
            cooperating_units=[_unit(c) for c in coop],
            due_date=due,
        )
        if status == ActionStatus.IN_PROGRESS:
            services.action_update(
                actor=None, action=action, status=status, note="Đã làm việc với phía Bằng Tường."
            )
        elif status == ActionStatus.DONE:
            services.action_update(
                actor=None,
                action=action,
                status=status,
                note="Hoàn thành.",
                result=result,
                completed_on=completed_on,
            )
    return "1 directive, 4 actions"


def _load_feedback() -> int:
    unit = Unit.objects.filter(code="ttqlck-huu-nghi").first()
    if unit is None:
        return 0
    made = 0
    for subject_id, username, rating, comment in FEEDBACK:
        if Feedback.objects.filter(subject_type="receipt", subject_id=subject_id, unit=unit).exists():
            continue
        staff = User.objects.filter(username=username).first()
        subject = FeedbackSubject("receipt", subject_id, unit.pk, staff.pk if staff else None)
        services.feedback_submit(actor=None, subject=subject, rating=rating, comment=comment)
        made += 1
    return made


def load_demo(stdout=None) -> str:
    if not Unit.objects.filter(code="phong-ke-hoach").exists():
        return "skipped: reference units not loaded"
    with batch():  # the loader runs inside the command's transaction: the services join it
        done = [part for part in (_load_2017(), _load_2018(), _load_directive()) if part]
        ratings = _load_feedback()
    if ratings:
        done.append(f"{ratings} ratings")
    return "; ".join(done) or "already loaded"
