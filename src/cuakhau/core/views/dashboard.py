from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .. import policy
from ..dashboard import cards_for
from ..navigation import module as find_module


@login_required
def dashboard(request):
    return render(request, "core/dashboard.html", {"cards": cards_for(request.user)})


@login_required
def module_planned(request, key: str):
    module = find_module(key)
    if module is None or module.url_name or not policy.may(request.user, module.question):
        raise Http404
    return render(request, "core/module_planned.html", {"module": module})
