"""Trade's audit actions (core.actions)."""

from django.utils.translation import gettext_lazy as _

from cuakhau.core.actions import audit_actions

audit_actions.register(
    "trade",
    {
        "trade.series.create": _("tạo chuỗi số liệu"),
        "trade.rate.set": _("nhập tỷ giá"),
        "trade.import.open": _("mở lần nhập số liệu"),
        "trade.import.refuse": _("từ chối tệp số liệu"),
        "trade.import.commit": _("nhập số liệu thống kê"),
        "trade.computed.refresh": _("tính lại kim ngạch từ tờ khai"),
    },
    legacy={"trade.import": "trade.import.commit"},
)
