"""The kernel itself (core.actions, core.service, core.policy): the rules every app's actions,
services and policies rely on, tried on a workflow declared here over users' roles (any model with
a state and a scope would do)."""

from __future__ import annotations

import pytest
from django.db import transaction

from cuakhau.core import policy
from cuakhau.core.actions import Transition, Workflow, audit_actions
from cuakhau.core.errors import ServiceError
from cuakhau.core.models import AuditEvent, User
from cuakhau.core.roles import Role
from cuakhau.core.service import batch, in_service, model_update, service, takes_actor
from tests.factories import UserFactory

steps_seen: list[str] = []
notices: list[tuple[str, str]] = []


def _guard_not_self(user, obj):
    return user.pk != obj.pk


WORKFLOW = Workflow(
    User,
    "core.kerneltest",
    state_field="role",
    transitions=[
        Transition(
            "promote",
            "đề bạt",
            sources={Role.GATE_CASHIER},
            target=Role.GATE_OPERATOR,
            permission="change",
            guard=_guard_not_self,
            notify=lambda obj, actor: notices.append((obj.username, actor.username)),
        ),
        Transition(
            "note",
            "ghi chú",
            sources={Role.GATE_CASHIER, Role.GATE_OPERATOR},
            target=None,
            permission="change",
        ),
    ],
    on_step=lambda step: steps_seen.append(f"{step.name}:{step.from_state}->{step.obj.role}"),
    describe=lambda user: f"tài khoản {user.username}",
)


@service
def promote(*, actor, user, fail: bool = False):
    with WORKFLOW.step(actor, user, "promote") as step:
        step.obj.first_name = "Đã đề bạt"
        if fail:
            raise ServiceError("Không được.", field="first_name")
    return step.obj


@pytest.fixture(autouse=True)
def _clear():
    steps_seen.clear()
    notices.clear()


@pytest.mark.django_db(transaction=True)
def test_a_step_changes_state_records_audits_and_notifies_after_commit():
    admin = UserFactory(role=Role.ADMIN, username="quantri")
    cashier = UserFactory(role=Role.GATE_CASHIER, username="thungan")
    assert [t.name for t in WORKFLOW.available(admin, cashier)] == ["promote", "note"]

    promote(actor=admin, user=cashier)

    cashier.refresh_from_db()
    assert cashier.role == Role.GATE_OPERATOR and cashier.first_name == "Đã đề bạt"
    assert steps_seen == ["promote:gate_cashier->gate_operator"]
    event = AuditEvent.objects.get(action="core.kerneltest.promote")
    assert event.actor_id == admin.pk
    assert event.before["role"] == Role.GATE_CASHIER and event.after["role"] == Role.GATE_OPERATOR
    assert notices == [("thungan", "quantri")]  # after the commit
    assert [t.name for t in WORKFLOW.available(admin, cashier)] == ["note"]  # no longer a cashier


@pytest.mark.django_db
def test_the_same_check_refuses_state_permission_and_guard():
    admin = UserFactory(role=Role.ADMIN)
    operator = UserFactory(role=Role.GATE_OPERATOR)
    leader = UserFactory(role=Role.PROVINCIAL_LEADER)  # reads everything, changes nothing
    with pytest.raises(ServiceError) as wrong_state:
        promote(actor=admin, user=operator)
    assert wrong_state.value.status == 409 and "chỉ được khi" in wrong_state.value.messages[0]

    cashier = UserFactory(role=Role.GATE_CASHIER)
    with pytest.raises(ServiceError) as forbidden:
        promote(actor=leader, user=cashier)
    assert forbidden.value.status == 403
    assert WORKFLOW.available(leader, cashier) == []

    admin_cashier = UserFactory(role=Role.GATE_CASHIER, is_superuser=True)
    assert [t.name for t in WORKFLOW.available(admin_cashier, admin_cashier)] == ["note"]  # the guard
    cashier.refresh_from_db()
    assert cashier.role == Role.GATE_CASHIER
    assert not AuditEvent.objects.filter(action__startswith="core.kerneltest").exists()


@pytest.mark.django_db
def test_a_refusal_inside_the_step_changes_nothing():
    admin = UserFactory(role=Role.ADMIN)
    cashier = UserFactory(role=Role.GATE_CASHIER, first_name="An")
    with pytest.raises(ServiceError):
        promote(actor=admin, user=cashier, fail=True)
    cashier.refresh_from_db()
    assert (cashier.role, cashier.first_name) == (Role.GATE_CASHIER, "An")
    assert steps_seen == []


@pytest.mark.django_db(transaction=True)
def test_a_step_outside_a_transaction_is_a_bug():
    admin = UserFactory(role=Role.ADMIN)
    cashier = UserFactory(role=Role.GATE_CASHIER)
    with pytest.raises(RuntimeError), WORKFLOW.step(admin, cashier, "note"):
        pass


def test_a_service_must_take_a_required_keyword_actor():
    with pytest.raises(TypeError):

        @service
        def no_actor(*, user):
            return user

    with pytest.raises(TypeError):

        @service
        def optional_actor(*, actor=None):
            return actor

    def positional(actor):
        return actor

    assert not takes_actor(positional)


@pytest.mark.django_db(transaction=True)
def test_services_nest_and_batches_hold_them():
    seen = []

    @service
    def inner(*, actor):
        seen.append(("inner", in_service(), transaction.get_connection().in_atomic_block))

    @service
    def outer(*, actor):
        inner(actor=actor)  # joins the outer transaction instead of asking for a durable one

    outer(actor=None)
    assert seen == [("inner", True, True)]
    # a durable service inside someone else's transaction
    with pytest.raises(RuntimeError), transaction.atomic():
        inner(actor=None)
    with batch():
        inner(actor=None)  # a loader's batch lets it join
    assert not in_service()


@pytest.mark.django_db
def test_model_update_saves_only_what_changed():
    user = UserFactory(first_name="An", last_name="Nguyễn")
    change = model_update(user, first_name="An", last_name="Trần")
    assert change.fields == ("last_name",)
    assert change.before == {"last_name": "Nguyễn"} and change.after == {"last_name": "Trần"}
    user.refresh_from_db()
    assert user.last_name == "Trần"
    assert not model_update(user, last_name="Trần")
    with pytest.raises(TypeError):
        model_update(user, no_such_field=1)


def test_audit_actions_are_named_by_app_and_keep_old_names_readable():
    with pytest.raises(ValueError):
        audit_actions.register("core", {"kerneltest.free_string": "x"})
    with pytest.raises(ValueError):
        audit_actions.register("core", {"core.flat": "x"})
    audit_actions.register(
        "core", {"core.kerneltest.renamed": "đổi tên"}, legacy={"kt.old": "core.kerneltest.renamed"}
    )
    assert audit_actions.label("kt.old") == "đổi tên"
    assert audit_actions.aliases("core.kerneltest.renamed") == ["core.kerneltest.renamed", "kt.old"]
    assert audit_actions.is_registered("core.kerneltest.promote")  # transitions register themselves


@pytest.mark.django_db
def test_policy_questions_go_to_the_apps_policy_or_the_scope():
    inspector = UserFactory(role=Role.INSPECTOR)
    cashier = UserFactory(role=Role.GATE_CASHIER)
    assert policy.may(inspector, "core.open_audit") and not policy.may(cashier, "core.open_audit")
    with pytest.raises(LookupError):
        policy.may(inspector, "nosuchapp.open")
    with pytest.raises(LookupError):
        policy.may(inspector, "core.no_such_question")
    # no may_ function: the object's scope answers (an inspector reads users but changes none)
    assert policy.may(inspector, "core.view", cashier) and not policy.may(inspector, "core.change", cashier)
    with pytest.raises(ServiceError) as refused:
        policy.require(inspector, "core.change", cashier)
    assert refused.value.status == 403


def test_the_kernels_conventions_hold_for_every_converted_app():
    """Every service takes a required actor and every literal audit action is registered (the system
    checks of core.checks; apps still being converted are listed in SERVICES_PENDING, which only
    shrinks)."""
    from cuakhau.core import checks

    assert checks.check_services_take_actor() == []
    assert checks.check_audit_actions_registered() == []
    assert not checks.SERVICES_PENDING  # every app is on the contract


@pytest.mark.django_db
def test_pages_are_cut_without_counting_and_keep_the_filters(rf, django_assert_num_queries):
    from cuakhau.core.pages import paginate

    for n in range(7):
        UserFactory(username=f"u{n}")
    users = User.objects.filter(username__startswith="u").order_by("username")
    with django_assert_num_queries(1):  # the rows and one more, no COUNT
        page = paginate(rf.get("/x/", {"q": "u", "page": "2"}), users, per_page=3)
    assert [u.username for u in page] == ["u3", "u4", "u5"]
    assert (page.has_previous, page.has_next, page.start_index, page.end_index) == (True, True, 4, 6)
    assert page.query == "q=u"
    last = paginate(rf.get("/x/", {"page": "3"}), users, per_page=3)
    assert [u.username for u in last] == ["u6"] and not last.has_next
    for junk in ("0", "-1", "abc", "99999999", "9"):  # past the end or nonsense: page 1
        assert paginate(rf.get("/x/", {"page": junk}), users, per_page=3).number == 1
