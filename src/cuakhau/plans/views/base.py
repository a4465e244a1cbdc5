"""What every plans page shares: who may open it, and how a form page is answered."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from cuakhau.core.views.forms import form_status

from ..permissions import is_manager, may_use


def module_page(view):
    """Logged in, and a role the module exists for (enterprises and drivers get 404)."""

    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not may_use(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def manager_page(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_manager(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def form_page(request, form, title, cancel_href, status=None, multipart=False):
    return render(
        request,
        "plans/form.html",
        {"form": form, "title": title, "cancel_href": cancel_href, "multipart": multipart},
        status=status if status is not None else form_status(form),
    )
