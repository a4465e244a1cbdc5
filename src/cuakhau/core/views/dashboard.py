from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from ..dashboard import cards_for
from ..navigation import module as find_module
from ..roles import Role


@login_required
def dashboard(request):
    return render(request, "core/dashboard.html", {"cards": cards_for(request.user)})


@login_required
def module_planned(request, key: str):
    module = find_module(key)
    role = Role.ADMIN if request.user.is_superuser else request.user.role
    if module is None or module.url_name or role not in module.roles:
        raise Http404
    return render(request, "core/module_planned.html", {"module": module})
