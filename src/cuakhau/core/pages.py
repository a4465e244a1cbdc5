"""The page kit: what every app's pages share, so that each is declared rather than written again.

* `TransitionPage`: the one view behind every workflow's buttons (core.actions). It offers the
  steps `Workflow.available` answers, posts one, shows the service's refusal on the form (or above the
  page when it names no field of the form) with the service's status, and redirects on success.
  Its partial, `includes/actions.html`, draws the steps as the detail pages did.
* `paginate`: lists are cut into pages without counting every row (core.pages.Page).
* `download`: a stored file answered only after the record's scope has been checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .actions import Transition, Workflow
from .errors import ServiceError, form_add_errors


@dataclass
class ActionForm:
    """One step offered on a detail page: its transition, its form, the URL it posts to."""

    transition: Transition
    form: forms.Form
    url: str
    failed: bool = False

    @property
    def name(self) -> str:
        return self.transition.name

    @property
    def label(self) -> Any:
        return self.transition.label


FormFactory = Callable[..., forms.Form]


class TransitionPage:
    """The steps of one workflow on one detail page.

    workflow     the record's Workflow
    get_object   (request, pk) -> the record in the user's scope (404 otherwise)
    form_for     (name, obj, data, files) -> the step's form (prefix=name)
    apply        (user, obj, name, cleaned_data, files) -> calls the step's service
    render       (request, obj, action_forms, failed_name, status) -> the detail page
    url_for      (obj, name) -> the URL a step posts to
    after        (request, obj) -> where to go after a step (the detail, or the list if the record
                 left the user's scope)
    """

    def __init__(
        self,
        *,
        workflow: Workflow,
        get_object: Callable[[HttpRequest, Any], Any],
        form_for: Callable[[str, Any, Any, Any], forms.Form],
        apply: Callable[[Any, Any, str, dict[str, Any], Any], Any],
        render: Callable[[HttpRequest, Any, list[ActionForm], str, int], HttpResponse],
        url_for: Callable[[Any, str], str],
        after: Callable[[HttpRequest, Any], str],
        done_message: Callable[[Any, Transition], str],
        available: Callable[[Any, Any], list[Transition]] | None = None,
    ) -> None:
        self.workflow = workflow
        self.get_object = get_object
        self.form_for = form_for
        self.apply = apply
        self._render = render
        self.url_for = url_for
        self.after = after
        self.done_message = done_message
        self._available = available or workflow.available

    def action_forms(
        self, user: Any, obj: Any, failed: str = "", failed_form: Any = None
    ) -> list[ActionForm]:
        items = []
        for transition in self._available(user, obj):
            is_failed = transition.name == failed and failed_form is not None
            form = failed_form if is_failed else self.form_for(transition.name, obj, None, None)
            items.append(ActionForm(transition, form, self.url_for(obj, transition.name), is_failed))
        return items

    def detail(
        self, request: HttpRequest, obj: Any, failed: str = "", failed_form: Any = None, status: int = 200
    ):
        forms_ = self.action_forms(request.user, obj, failed, failed_form)
        return self._render(request, obj, forms_, failed, status)

    def view(self) -> Callable[..., HttpResponse]:
        @login_required
        @require_POST
        def transition_view(request: HttpRequest, pk: Any, action: str) -> HttpResponse:
            if action not in self.workflow:
                raise Http404
            obj = self.get_object(request, pk)
            transition = self.workflow.get(action)
            if not self.workflow.permitted(request.user, obj, action):
                messages.error(
                    request,
                    _("Bạn không có quyền %(action)s %(object)s.")
                    % {"action": transition.label, "object": self.workflow.describe(obj)},
                )
                return self.detail(request, obj, status=403)
            form = self.form_for(action, obj, request.POST, request.FILES)
            if not form.is_valid():
                return self.detail(request, obj, action, form, status=400)
            try:
                self.apply(request.user, obj, action, dict(form.cleaned_data), request.FILES)
            except ServiceError as exc:
                if exc.field in form.fields:
                    form_add_errors(form, exc)
                else:  # a refused step, not a field: said above the page, where it is seen
                    for message in exc.messages:
                        messages.error(request, message)
                obj.refresh_from_db()
                return self.detail(
                    request, obj, action, form, status=exc.status if exc.status in (403, 409) else 400
                )
            messages.success(request, self.done_message(obj, transition))
            return redirect(self.after(request, obj))

        return transition_view


@dataclass
class Page:
    """One page of a list, cut without counting the rows (a list of years of trips must not COUNT
    millions of rows on every page): it reads one row more than it shows to know whether a next
    page exists. Links keep the list's filters (`query`)."""

    rows: list[Any]
    number: int
    per_page: int
    has_next: bool
    query: str  # the request's other parameters, url-encoded, for the page links

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.rows) - 1 if self.rows else 0

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


MAX_PAGE = 10_000


def paginate(request: HttpRequest, queryset: Any, *, per_page: int = 50, param: str = "page") -> Page:
    """The requested page (`?page=N`, 1 by default; a bad or too large number is page 1 or the
    last reachable page rather than an error) of an ordered queryset."""
    raw = request.GET.get(param, "1")
    number = int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_PAGE else 1
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    if not rows and number > 1:  # past the end: show page 1 rather than an empty page
        number, rows = 1, list(queryset[: per_page + 1])
    query = request.GET.copy()
    query.pop(param, None)
    return Page(rows[:per_page], number, per_page, len(rows) > per_page, query.urlencode())
