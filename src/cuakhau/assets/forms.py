from django import forms
from django.utils.translation import gettext_lazy as _

from cuakhau.core.fields import VNDecimalField, VNIntegerField
from cuakhau.gates.models import Gate

from .models import AssetFile, AssetKind, RentBasis


class AssetForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại tài sản"), choices=AssetKind.choices)
    code = forms.SlugField(label=_("Mã tài sản"), max_length=40)
    name = forms.CharField(label=_("Tên"), max_length=255)
    gate = forms.ModelChoiceField(label=_("Cửa khẩu"), queryset=Gate.objects.filter(is_active=True))
    parent = forms.CharField(label=_("Thuộc nhà (mã)"), required=False, max_length=40)
    floor = VNIntegerField(label=_("Tầng"), required=False)
    area_m2 = VNDecimalField(label=_("Diện tích (m²)"), min_value=0, decimal_places=2, max_digits=12)
    parcel_number = forms.CharField(label=_("Số thửa"), required=False, max_length=32)
    map_sheet = forms.CharField(label=_("Tờ bản đồ số"), required=False, max_length=32)
    planned_use = forms.CharField(label=_("Mục đích sử dụng"), required=False, max_length=255)
    plan_x = VNIntegerField(label=_("Sơ đồ: x (0–99)"), min_value=0, max_value=99, initial=0)
    plan_y = VNIntegerField(label=_("Sơ đồ: y (0–59)"), min_value=0, max_value=59, initial=0)
    plan_w = VNIntegerField(label=_("Sơ đồ: rộng"), min_value=1, max_value=100, initial=10)
    plan_h = VNIntegerField(label=_("Sơ đồ: cao"), min_value=1, max_value=60, initial=10)


class AssetFileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=AssetFile.Kind.choices)
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255, required=False)
    file = forms.FileField(label=_("Tệp"))


class LeaseForm(forms.Form):
    number = forms.CharField(label=_("Số hợp đồng"), max_length=64)
    asset = forms.CharField(label=_("Mã tài sản"), max_length=40)
    lessee = forms.CharField(label=_("Mã số thuế bên thuê"), max_length=14)
    signed_on = forms.DateField(label=_("Ngày ký"))
    starts_on = forms.DateField(label=_("Thuê từ ngày"))
    ends_on = forms.DateField(label=_("Đến ngày"))
    rent_basis = forms.ChoiceField(label=_("Cách tính tiền thuê"), choices=RentBasis.choices)
    rent_rate = VNIntegerField(label=_("Đơn giá/tiền thuê tháng (đồng)"), min_value=1)
    interval_months = VNIntegerField(label=_("Kỳ thanh toán (tháng)"), min_value=1, max_value=12, initial=3)
    escalation_percent = VNDecimalField(
        label=_("Tăng giá mỗi năm (%)"), min_value=0, max_value=50, decimal_places=2, initial=0
    )
    deposit_amount = VNIntegerField(label=_("Tiền đặt cọc (đồng)"), min_value=0, initial=0)


class PaymentForm(forms.Form):
    amount = VNIntegerField(label=_("Số tiền (đồng)"), min_value=1)
    paid_on = forms.DateField(label=_("Ngày nộp"))
    reference = forms.CharField(label=_("Chứng từ"), max_length=64, required=False)
