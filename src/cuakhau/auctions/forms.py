from django import forms
from django.utils.translation import gettext_lazy as _

from cuakhau.core.fields import VNIntegerField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AuctionForm(forms.Form):
    code = forms.SlugField(label=_("Mã cuộc đấu giá"), max_length=40)
    title = forms.CharField(label=_("Tên cuộc đấu giá"), max_length=255)
    asset = forms.CharField(label=_("Mã tài sản"), max_length=40)
    starting_price = VNIntegerField(label=_("Giá khởi điểm (đồng/tháng)"), min_value=1)
    step = VNIntegerField(label=_("Bước giá (đồng)"), min_value=1)
    deposit = VNIntegerField(label=_("Tiền đặt trước (đồng)"), min_value=1)
    dossier_fee = VNIntegerField(label=_("Tiền hồ sơ (đồng)"), min_value=0, initial=0)
    lease_months = VNIntegerField(label=_("Thời hạn thuê (tháng)"), min_value=1, max_value=600, initial=60)
    session_start = forms.DateTimeField(
        label=_("Mở phiên lúc"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
    )
    session_minutes = VNIntegerField(label=_("Thời gian trả giá (phút)"), min_value=1, initial=30)
    registration_closes_at = forms.DateTimeField(
        label=_("Hết hạn đăng ký lúc"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
    )
    notice_1_on = forms.DateField(label=_("Thông báo lần 1"), widget=DATE)
    notice_2_on = forms.DateField(label=_("Thông báo lần 2"), widget=DATE)
    viewing_from = forms.DateField(label=_("Xem tài sản từ"), widget=DATE)
    viewing_to = forms.DateField(label=_("Xem tài sản đến"), widget=DATE)


class RegisterForm(forms.Form):
    representative = forms.CharField(label=_("Người đại diện"), max_length=150)
    documents = forms.FileField(
        label=_("Hồ sơ tham gia đấu giá (PDF, JPG, PNG)"),
        widget=forms.ClearableFileInput(attrs={"multiple": False}),
    )


class StatementForm(forms.Form):
    file = forms.FileField(label=_("Sao kê tài khoản tiền đặt trước (.csv, .xlsx)"))
