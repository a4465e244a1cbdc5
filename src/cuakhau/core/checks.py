"""System checks for the project's own conventions (`cuakhau check`, run by `make check`).

Each check is registered with the tag `cuakhau`, so `cuakhau check --tag cuakhau` runs them alone;
a plain `cuakhau check` runs them with Django's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.core import checks
from django.db import models

from .permissions import ScopedQuerySet

TAG = "cuakhau"

# Models read without a scope of their own, each with the reason. Anything else a person can read goes
# through `Model.objects.for_user(user, action)`, so its manager's queryset must be a ScopedQuerySet.
UNSCOPED_MODELS: tuple[tuple[str, str], ...] = (
    # Public reference data and single-row state: the same for every reader, or never shown.
    ("core.AuditSeal", "the audit chain's head row, locked by the sealer; never listed"),
    ("core.AuditAnchor", "published chain heads: the public anchors page shows them to anyone"),
    ("core.CalendarDay", "the official working calendar, public; written by the calendar service"),
    ("core.AttemptThrottle", "rate-limit counters (keyed hashes), read only by core.throttle"),
    ("auctions.RulePack", "the published legal rules of auctions, the same for everyone"),
    ("procedures.Procedure", "the public catalogue of procedures (`published()`)"),
    ("procedures.ProcedureVersion", "a public procedure's requirements from a date, read through it"),
    # Counters and records of the machinery: locked rows, never read by a person.
    ("traffic.QueueCounter", "a gate's queue counter, locked for update while a number is given"),
    ("traffic.IdempotencyRecord", "a device call's first answer, looked up by its caller and key"),
    ("procedures.DossierCounter", "the day's dossier sequence, locked for update"),
    ("procedures.DueWarning", "one warning per due moment, so the daily run may repeat"),
    # Computed aggregates: trade's selectors choose rows by the series or enterprise the reader may see.
    ("trade.StatRollup", "month totals of a series, read with the series the reader sees"),
    ("trade.ComputedTurnover", "monthly sums; enterprise rows filtered to the reader's enterprise"),
    ("trade.StagedRow", "a web import's checked rows before they move into StatRow"),
    # Parts and append-only histories of a scoped parent, read only through that parent.
    ("traffic.GoodsLine", "a declaration's goods lines, read through the declaration"),
    ("traffic.Container", "a declaration's containers, read through the declaration"),
    ("traffic.YardStay", "a vehicle's yard stay, read through the yard and the declaration"),
    ("incidents.IncidentPhoto", "an incident's photos, read through the incident"),
    ("incidents.IncidentEvent", "an incident's history, read through the incident"),
    ("cooperation.CommitmentUpdate", "a commitment's updates, read through the commitment"),
    ("plans.Indicator", "a task's indicators, read through the task"),
    ("plans.ProgressUpdate", "a task's progress reports, read through the task"),
    ("plans.Evidence", "a progress report's files, read through the task"),
    ("plans.ActionUpdate", "an action's updates, read through the action and its task"),
    ("procedures.DossierFile", "a dossier's files, read through the dossier"),
    ("procedures.DossierEvent", "a dossier's history, read through the dossier"),
    ("procedures.ApologyLetter", "a late dossier's apology (form 04), read through the dossier"),
    ("assets.AssetFile", "an asset's files, read through the asset"),
    ("assets.RentPayment", "an instalment's payments, read through the asset's lease"),
    ("auctions.RegistrationDocument", "a registration's documents, read through the registration"),
    ("auctions.Bid", "an auction's append-only bid chain, read through the auction"),
)


def _project_models(app_configs: Sequence[AppConfig] | None) -> Iterable[type[models.Model]]:
    configs = app_configs if app_configs is not None else apps.get_app_configs()
    for config in configs:
        if not config.name.startswith("cuakhau."):
            continue
        for model in config.get_models():
            if not model._meta.proxy:
                yield model


def is_scoped(model: type[models.Model]) -> bool:
    """Whether one of the model's managers gives a ScopedQuerySet (`objects.for_user` exists)."""
    return any(isinstance(manager.get_queryset(), ScopedQuerySet) for manager in model._meta.managers)


@checks.register(checks.Tags.models, TAG)
def check_scoped_managers(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Every concrete model of the cuakhau apps is scoped, or named in UNSCOPED_MODELS with a reason."""
    exempt = dict(UNSCOPED_MODELS)
    errors: list[checks.CheckMessage] = []
    seen: set[str] = set()
    for model in _project_models(app_configs):
        label = model._meta.label
        seen.add(label)
        scoped = is_scoped(model)
        if not scoped and label not in exempt:
            errors.append(
                checks.Error(
                    f"{label} has no manager whose queryset is a ScopedQuerySet.",
                    hint="Give it a ScopedQuerySet with scope(user, action), or add it to "
                    "cuakhau.core.checks.UNSCOPED_MODELS with the reason it needs none.",
                    obj=model,
                    id="cuakhau.E001",
                )
            )
        elif scoped and label in exempt:
            errors.append(
                checks.Warning(
                    f"{label} is scoped now but still listed in UNSCOPED_MODELS.",
                    hint="Remove it from cuakhau.core.checks.UNSCOPED_MODELS.",
                    obj=model,
                    id="cuakhau.W001",
                )
            )
    if app_configs is None:
        for label in sorted(set(exempt) - seen):
            errors.append(
                checks.Error(
                    f"UNSCOPED_MODELS names {label}, which is not a model of the cuakhau apps.",
                    hint="Correct or remove the entry in cuakhau.core.checks.UNSCOPED_MODELS.",
                    id="cuakhau.E002",
                )
            )
    return errors


# Apps whose services are still being moved onto the contract (issue 14): their services may lack a
# required `actor` for now. The set only shrinks; an app not in it that gains such a service fails.
SERVICES_PENDING: frozenset[str] = frozenset()


@checks.register(TAG)
def check_services_take_actor(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Every public function of the apps' services modules takes `actor` as a required keyword
    (core.service): a write names who makes it and checks that person's rights itself."""
    from .service import services_without_actor

    errors: list[checks.CheckMessage] = []
    for name in services_without_actor():
        app_label = name.split(".")[1]
        if app_label in SERVICES_PENDING:
            continue
        errors.append(
            checks.Error(
                f"{name} is a public function of a services module without a required keyword `actor`.",
                hint="Give it `*, actor: User | None` (and @service), make it private, or move a read "
                "to the app's selectors.",
                id="cuakhau.E010",
            )
        )
    return errors


@checks.register(TAG)
def check_audit_actions_registered(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Every audit action written as a literal in an `audit_record(action=...)` call of the apps is
    registered by its app (core.actions.audit_actions), and named `<app>.<object>.<verb>`; workflows
    register theirs when declared."""
    import ast
    from pathlib import Path

    from .actions import audit_actions

    root = Path(__file__).resolve().parent.parent
    pending = {root / app for app in SERVICES_PENDING}
    errors: list[checks.CheckMessage] = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts or any(parent in pending for parent in path.parents):
            continue
        source = path.read_text(encoding="utf-8")
        if "audit_record(" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if not (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "audit_record"
            ):
                continue
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg != "action"
                    or not isinstance(value, ast.Constant)
                    or not isinstance(value.value, str)
                ):
                    continue
                if not audit_actions.is_registered(value.value):
                    errors.append(
                        checks.Error(
                            f"audit action {value.value!r} ({path.relative_to(root)}:{node.lineno}) is not registered.",
                            hint="Register it in the app's actions.py with audit_actions.register(...).",
                            id="cuakhau.E011",
                        )
                    )
    return errors
