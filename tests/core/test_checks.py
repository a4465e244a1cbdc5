"""The project's system checks (`cuakhau check`, run by `make check`)."""

from django.apps import apps
from django.core.checks.registry import registry

from cuakhau.core import checks
from cuakhau.traffic.models import Declaration, GoodsLine


def _ids(messages):
    return [(m.id, m.obj) for m in messages]


def test_every_model_is_scoped_or_listed_with_a_reason():
    assert checks.check_scoped_managers() == []
    assert all(reason.strip() for _label, reason in checks.UNSCOPED_MODELS)
    labels = [label for label, _reason in checks.UNSCOPED_MODELS]
    assert len(labels) == len(set(labels))


def test_a_model_without_a_scope_is_an_error(monkeypatch):
    kept = tuple(e for e in checks.UNSCOPED_MODELS if e[0] != "traffic.GoodsLine")
    monkeypatch.setattr(checks, "UNSCOPED_MODELS", kept)
    assert _ids(checks.check_scoped_managers()) == [("cuakhau.E001", GoodsLine)]
    # Asked for one app, the check looks at that app alone.
    assert _ids(checks.check_scoped_managers([apps.get_app_config("core")])) == []


def test_a_listed_model_that_is_scoped_or_missing_is_reported(monkeypatch):
    listed = (*checks.UNSCOPED_MODELS, ("traffic.Declaration", "x"), ("traffic.Nothing", "y"))
    monkeypatch.setattr(checks, "UNSCOPED_MODELS", listed)
    messages = checks.check_scoped_managers()
    assert _ids(messages) == [("cuakhau.W001", Declaration), ("cuakhau.E002", None)]
    assert "traffic.Nothing" in messages[1].msg


def test_the_check_is_registered_with_the_project_tag():
    assert checks.check_scoped_managers in registry.get_checks()
    assert checks.TAG in checks.check_scoped_managers.tags
    assert checks.TAG in registry.tags_available()
