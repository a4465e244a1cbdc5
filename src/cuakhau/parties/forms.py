"""Forms for the parties pages. They collect input; the services check it and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cuakhau.core.fields import VNDecimalField
from cuakhau.core.models import User
from cuakhau.core.roles import Role

from .countries import country_choices
from .models import Enterprise, IdKind, VehicleKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnterpriseForm(forms.Form):
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        max_length=20,
        help_text=_("10 chữ số; chi nhánh thêm 3 chữ số, ví dụ 0314409058-002."),
    )
    name = forms.CharField(label=_("Tên doanh nghiệp"), max_length=255)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=255, required=False)
    name_zh = forms.CharField(label=_("Tên tiếng Trung"), max_length=255, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False)
    is_customs_agent = forms.BooleanField(label=_("Là đại lý hải quan"), required=False)
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    # Fields an enterprise's own users may not change: the Board keeps them.
    BOARD_ONLY = ("tax_code", "is_customs_agent", "is_active")

    def __init__(self, *args, board: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not board:
            for name in self.BOARD_ONLY:
                del self.fields[name]


class MandateForm(forms.Form):
    agent = forms.ModelChoiceField(label=_("Đại lý hải quan"), queryset=Enterprise.objects.none())
    client = forms.ModelChoiceField(label=_("Doanh nghiệp ủy thác"), queryset=Enterprise.objects.none())
    reference = forms.CharField(label=_("Số hợp đồng đại lý"), max_length=64, required=False)
    valid_from = forms.DateField(label=_("Hiệu lực từ ngày"), widget=DATE_WIDGET)
    valid_to = forms.DateField(
        label=_("Hiệu lực đến ngày"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Bỏ trống nếu không thời hạn."),
    )

    def __init__(self, *args, agents, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents
        self.fields["client"].queryset = clients


class MandateRevokeForm(forms.Form):
    reason = forms.CharField(label=_("Lý do chấm dứt"), max_length=255)


class VehicleForm(forms.Form):
    plate = forms.CharField(
        label=_("Biển số"),
        max_length=30,
        help_text=_("Ví dụ 12C-123.45, rơ moóc 12R-001.23, xe Quảng Tây 桂F·12345."),
    )
    kind = forms.ChoiceField(label=_("Loại phương tiện"), choices=VehicleKind.choices)
    tonnage = VNDecimalField(
        label=_("Tải trọng (tấn)"), required=False, min_value=0, max_digits=6, decimal_places=2
    )
    owner = forms.ModelChoiceField(
        label=_("Doanh nghiệp sở hữu/khai thác"), queryset=Enterprise.objects.none(), required=False
    )
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    def __init__(self, *args, owners, owner_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].required = owner_required


class DriverForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    id_kind = forms.ChoiceField(label=_("Loại giấy tờ"), choices=IdKind.choices)
    id_number = forms.CharField(label=_("Số giấy tờ"), max_length=30)
    nationality = forms.ChoiceField(label=_("Quốc tịch"), choices=[])
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    employer = forms.ModelChoiceField(
        label=_("Doanh nghiệp sử dụng"), queryset=Enterprise.objects.none(), required=False
    )
    user = forms.ModelChoiceField(
        label=_("Tài khoản lái xe"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Tài khoản đăng nhập có vai trò lái xe, nếu có."),
    )
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    def __init__(self, *args, employers, employer_required: bool = False, link_users: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = country_choices()
        self.fields["employer"].queryset = employers
        self.fields["employer"].required = employer_required
        if link_users:
            self.fields["user"].queryset = User.objects.filter(role=Role.DRIVER, is_active=True)
        else:
            del self.fields["user"]
