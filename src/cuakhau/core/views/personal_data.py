"""The personal data page of an inspector or the admin: export one person's records as JSON, see
what is past its retention period and anonymise it (core.personal_data). Everyone else gets a 404."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import personal_data
from ..errors import ServiceError
from ..models import User
from ..permissions import may_open_personal_data


class SubjectForm(forms.Form):
    id_number = forms.CharField(label=gettext_lazy("Số giấy tờ tùy thân"), required=False, max_length=30)
    username = forms.CharField(label=gettext_lazy("Tên đăng nhập"), required=False, max_length=150)


def _allowed(request) -> None:
    if not may_open_personal_data(request.user):
        raise Http404


@login_required
def personal_data_page(request):
    _allowed(request)
    form = SubjectForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "erase":
        with transaction.atomic():
            counts = personal_data.erase_due(actor=request.user)
        messages.success(
            request, _("Đã ẩn danh %(n)s bản ghi quá thời hạn lưu trữ.") % {"n": sum(counts.values())}
        )
        return redirect("core:personal_data")
    if request.method == "POST" and form.is_valid():
        user = None
        username = form.cleaned_data["username"].strip()
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                form.add_error("username", _("Không có tài khoản %(u)s.") % {"u": username})
        if not form.errors:
            try:
                with transaction.atomic():
                    data = personal_data.export(
                        actor=request.user, id_number=form.cleaned_data["id_number"], user=user
                    )
            except ServiceError as exc:
                form.add_error(None, exc.messages[0])
            else:
                response = HttpResponse(
                    json.dumps(data, ensure_ascii=False, indent=2),
                    content_type="application/json; charset=utf-8",
                )
                response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
                response["Cache-Control"] = "no-store"
                return response
    due = [
        (source.label, source.name, personal_data.retention_days(source.name), len(rows))
        for source in personal_data.sources()
        for rows in [personal_data.due().get(source.name, [])]
    ]
    status = 400 if request.method == "POST" else 200
    return render(request, "core/personal_data.html", {"form": form, "due": due}, status=status)


urlpatterns = [path("personal-data/", personal_data_page, name="personal_data")]
