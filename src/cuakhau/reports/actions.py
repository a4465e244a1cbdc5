"""The reports' audit actions (core.actions)."""

from django.utils.translation import gettext_lazy as _

from cuakhau.core.actions import audit_actions

audit_actions.register(
    "reports",
    {
        "reports.report.draft": _("lập dự thảo báo cáo"),
        "reports.report.update": _("sửa báo cáo"),
        "reports.report.refresh": _("cập nhật số liệu báo cáo"),
        "reports.report.issue": _("ban hành báo cáo"),
    },
    legacy={f"report.{verb}": f"reports.report.{verb}" for verb in ("draft", "update", "refresh", "issue")},
)
