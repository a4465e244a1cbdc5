"""One demo world per module for the security suite: the reference data, every module's demo records and
one user per role (`cuakhau reference load` + `cuakhau demo load`), plus a user of another enterprise and
a customs agent of another enterprise for object scope. Built once inside an outer transaction that is
rolled back at the end of the module, so other test modules never see it; each test runs in a savepoint
inside it (pytest-django's `db`)."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from cuakhau.core.reference import DEMO_USERS
from cuakhau.core.roles import Role

OTHER_ENTERPRISE = "other_enterprise"
OTHER_AGENT = "other_customs_agent"


@pytest.fixture(scope="module", name="demo_world")
def demo_world_fixture(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    from cuakhau.core.models import User

    media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("reference", "load", stdout=io.StringIO())
            call_command("demo", "load", stdout=io.StringIO())
            users = {role: User.objects.get(username=name) for name, role, _u, _n in DEMO_USERS}
            users.update(_outsiders())
            yield users
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            settings.MEDIA_ROOT = media


def _outsiders() -> dict:
    """A user of an enterprise that is not the demo enterprise, and a customs agent (an enterprise user
    of another customs brokerage) with no mandate from the demo enterprise."""
    from tests.factories import EnterpriseFactory, enterprise_user

    other = EnterpriseFactory(name="Công ty Khác (kiểm thử phạm vi)")
    agent = EnterpriseFactory(name="Đại lý hải quan khác (kiểm thử phạm vi)", is_customs_agent=True)
    return {OTHER_ENTERPRISE: enterprise_user(other), OTHER_AGENT: enterprise_user(agent)}


ROLES = [*Role.values, OTHER_ENTERPRISE, OTHER_AGENT]
