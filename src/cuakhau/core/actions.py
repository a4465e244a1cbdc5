"""The action kernel: every state change of a record (a declaration approved, an incident handed to a
force, a dossier returned, a directive closed) is one `Transition` of the record's `Workflow`.

A transition declares, once:

* the states it moves from and the state it leads to (or None: the record keeps its state);
* the permission it needs, answered by the app's scope (`Model.objects.for_user(user, permission)`)
  and, when the step has a further rule, a `guard(user, obj) -> bool`;
* the audit action it records (`<app>.<object>.<verb>`, registered with `audit_actions`);
* what it notifies once the change has committed.

The same `Workflow.check` decides which buttons a page shows (`available`) and guards the change
inside the service (`step`), so a page never offers what the service would refuse, and the service
refuses what a hand-made request asks for. Learned from Wagtail's actions (`check()` beside
`execute()`) and Zulip's `do_*` functions.

    WORKFLOW = Workflow(Incident, "incidents.incident", transitions=[
        Transition("close", _("đóng"), sources={Status.RESOLVED}, target=Status.CLOSED, permission=MANAGE),
        ...
    ], on_step=record_event, snapshot=snap)

    @service
    def incident_close(*, actor, incident, note=""):
        with WORKFLOW.step(actor, incident, "close", note=note) as step:
            step.obj.closed_at = timezone.now()     # the step's own changes, on the locked row
        return step.obj                              # saved, recorded, audited, notified

Audit actions that are not transitions (a record created, a file added) are registered by the app
with `audit_actions.register(...)`; `audit_record` refuses an unregistered action under tests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from .errors import ServiceError


class AuditActions:
    """The registry of audit action names: `<app>.<object>.<verb>` with a label for the audit log.
    Names recorded by earlier versions stay readable through `legacy` (old name -> new name)."""

    def __init__(self) -> None:
        self._labels: dict[str, Any] = {}
        self._legacy: dict[str, str] = {}

    def register(
        self, app_label: str, actions: dict[str, Any], *, legacy: dict[str, str] | None = None
    ) -> None:
        for name, label in actions.items():
            if not name.startswith(f"{app_label}.") or name.count(".") < 2:
                raise ValueError(f"audit action {name!r} must be named {app_label}.<object>.<verb>")
            self._labels[name] = label
        for old, new in (legacy or {}).items():
            if new not in self._labels:
                raise ValueError(f"legacy audit action {old!r} points to unregistered {new!r}")
            self._legacy[old] = new

    def is_registered(self, name: str) -> bool:
        return name in self._labels

    def label(self, name: str) -> Any:
        name = self._legacy.get(name, name)
        return self._labels.get(name, name)

    def names(self, app_label: str | None = None) -> list[str]:
        return sorted(n for n in self._labels if app_label is None or n.startswith(f"{app_label}."))

    def canonical(self, name: str) -> str:
        """The current name of an action recorded under an older name (for filters and counts)."""
        return self._legacy.get(name, name)

    def aliases(self, name: str) -> list[str]:
        """The names one action was recorded under: its own and any legacy ones."""
        return [name, *sorted(old for old, new in self._legacy.items() if new == name)]


audit_actions = AuditActions()


@dataclass(frozen=True)
class Transition:
    name: str
    label: Any  # lazy text: "phân loại"; used in buttons and messages ("Đã phân loại ...")
    sources: Collection[str]  # stored as a frozenset
    target: str | None  # None: the step keeps the record's state (a note, a reminder)
    permission: str  # the scope action asked of Model.objects.for_user(user, permission)
    audit: str = ""  # defaults to "<workflow.audit_prefix>.<name>"
    guard: Callable[[Any, Any], bool] | None = None  # a further rule: guard(user, obj)
    notify: Callable[[Any, Any], None] | None = None  # notify(obj, actor), after commit
    style: str = ""  # "danger" for a refusal or a withdrawal: the button says so
    system: bool = False  # the system (actor None: a task, the clock) may take this step too
    confirm: Any = ""  # a question the page asks before posting the step (data-confirm)
    # A rule of the record beyond its state, for the buttons only: a step that is not `ready(obj)` (no
    # next step to hand to, nothing late to apologise for) is not offered; the service refuses it
    # with its own message, naming the field and the rule (409), instead of a 403 from a guard.
    ready: Callable[[Any], bool] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", frozenset(self.sources))


@dataclass
class Step:
    """One transition in progress: the locked record, its state and snapshot before the change."""

    workflow: Workflow
    transition: Transition
    actor: Any
    obj: Any
    from_state: str
    before: dict[str, Any]
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # for the app's on_step (history row fields)
    facts: dict[str, Any] = field(default_factory=dict)  # added to the audit event's `after`
    audit: str = ""  # a registered action that replaces the transition's (an outcome: "…unsuccessful")

    @property
    def name(self) -> str:
        return self.transition.name


REGISTRY: dict[str, Workflow] = {}


class Workflow:
    def __init__(
        self,
        model: type[models.Model],
        audit_prefix: str,
        *,
        transitions: Iterable[Transition],
        state_field: str = "status",
        snapshot: Callable[[Any], dict[str, Any]] | None = None,
        on_step: Callable[[Step], None] | None = None,
        describe: Callable[[Any], str] | None = None,
        state_label: Callable[[str], Any] | None = None,
    ) -> None:
        self.model = model
        self.audit_prefix = audit_prefix
        self.state_field = state_field
        self.transitions: dict[str, Transition] = {}
        for item in transitions:
            if item.name in self.transitions:
                raise ValueError(f"{audit_prefix}: transition {item.name!r} declared twice")
            if not item.audit:
                item = replace(item, audit=f"{audit_prefix}.{item.name}")
            self.transitions[item.name] = item
        self._snapshot = snapshot
        self.on_step = on_step
        self.describe = describe or str
        self._state_label = state_label
        app_label = audit_prefix.split(".", 1)[0]
        audit_actions.register(app_label, {t.audit: t.label for t in self.transitions.values()})
        REGISTRY[audit_prefix] = self

    # -- questions ------------------------------------------------------------------------------

    def __contains__(self, name: object) -> bool:
        return name in self.transitions

    def get(self, name: str) -> Transition:
        try:
            return self.transitions[name]
        except KeyError as exc:
            raise ServiceError(
                _("Không có thao tác “%(name)s”.") % {"name": name}, code="unknown_action"
            ) from exc

    def state(self, obj: Any) -> str:
        return getattr(obj, self.state_field)

    def permitted(self, user: Any, obj: Any, name: str) -> bool:
        """Whether the user may take this step on this record, whatever its state."""
        transition = self.get(name)
        if user is None:
            return transition.system and (transition.guard is None or bool(transition.guard(user, obj)))
        manager = type(obj)._default_manager
        if not manager.all().for_user(user, transition.permission).filter(pk=obj.pk).exists():
            return False
        return transition.guard is None or bool(transition.guard(user, obj))

    def allows_from(self, obj: Any, name: str) -> bool:
        return self.state(obj) in self.get(name).sources

    def available(self, user: Any, obj: Any) -> list[Transition]:
        """The steps this user may take on this record now, in declaration order (its buttons)."""
        state = self.state(obj)
        return [
            t
            for t in self.transitions.values()
            if state in t.sources and (t.ready is None or t.ready(obj)) and self.permitted(user, obj, t.name)
        ]

    def check(self, user: Any, obj: Any, name: str) -> Transition:
        """Refuse the step (403 without the permission, 409 from the wrong state), or return it."""
        transition = self.get(name)
        if not self.permitted(user, obj, name):
            raise ServiceError(
                _("Bạn không có quyền %(action)s %(object)s.")
                % {"action": transition.label, "object": self.describe(obj)},
                code="forbidden",
                status=403,
            )
        if not self.allows_from(obj, name):
            allowed = ", ".join(str(self.state_label(s)) for s in sorted(transition.sources))
            raise ServiceError(
                _("Không thể %(action)s %(object)s đang ở trạng thái “%(state)s”; chỉ được khi: %(allowed)s.")
                % {
                    "action": transition.label,
                    "object": self.describe(obj),
                    "state": self.state_label(self.state(obj)),
                    "allowed": allowed,
                },
                field=self.state_field,
                code="illegal_transition",
                status=409,
            )
        return transition

    def state_label(self, state: str) -> Any:
        if self._state_label is not None:
            return self._state_label(state)
        field_ = self.model._meta.get_field(self.state_field)
        return dict(field_.flatchoices).get(state, state)  # type: ignore[union-attr]

    def snapshot(self, obj: Any) -> dict[str, Any]:
        if self._snapshot is not None:
            return self._snapshot(obj)
        from .audit import snapshot

        return snapshot(obj)

    # -- the change -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def step(self, actor: Any, obj: Any, name: str, *, note: str = "", **extra: Any) -> Iterator[Step]:
        """Lock the record, check the step, let the caller change it, then set the new state, save,
        run the app's `on_step` (its history row), write the audit event and queue the notice.
        Must run inside the service's transaction; an exception inside the block changes nothing."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError(f"{self.audit_prefix}.{name} must run inside a service's transaction")
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        transition = self.check(actor, locked, name)
        current = Step(
            self, transition, actor, locked, self.state(locked), self.snapshot(locked), note, extra
        )
        yield current
        self.finish(current)

    def finish(self, current: Step) -> Any:
        from .audit import audit_record

        obj = current.obj
        transition = current.transition
        if transition.target is not None:
            setattr(obj, self.state_field, transition.target)
        obj.save()
        if self.on_step is not None:
            self.on_step(current)
        audit_record(
            action=current.audit or transition.audit,
            obj=obj,
            before=current.before,
            after={**self.snapshot(obj), **current.facts},
            actor=current.actor,
        )
        if transition.notify is not None:
            notify = transition.notify
            actor = current.actor
            transaction.on_commit(lambda: notify(obj, actor), robust=True)
        return obj


def workflow_for(obj_or_model: Any) -> Workflow | None:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return next((w for w in REGISTRY.values() if issubclass(model, w.model)), None)
