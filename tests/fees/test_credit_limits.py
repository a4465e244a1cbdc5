"""Payers' approved debt limits (issue 12, part 3): the Board's departments set them on the page, with
the decision they follow; other staff read them; an enterprise does not see the page."""

import pytest

from cuakhau.core.models import AuditEvent
from cuakhau.core.roles import Role
from cuakhau.fees.models import PayerCreditLimit
from tests.factories import EnterpriseFactory, GateFactory, UserFactory, enterprise_user, user_at_gate

pytestmark = pytest.mark.django_db


def test_the_departments_set_a_debt_limit_on_the_page_and_others_only_read(client):
    carrier = EnterpriseFactory(name="Công ty Vận tải Biên Giới")
    staff = UserFactory(role=Role.DEPARTMENT_STAFF)
    operator = user_at_gate(Role.GATE_OPERATOR, GateFactory(code="GATE_C"))
    url = "/fees/payments/credit/"
    data = {"payer_unit": carrier.unit.pk, "amount": "50.000.000", "decision": "QĐ 125/QĐ-BQL"}

    client.force_login(enterprise_user(carrier))
    assert client.get(url).status_code == 404
    client.force_login(operator)
    assert client.get(url).status_code == 200 and "Lưu hạn mức" not in client.get(url).content.decode()
    assert client.post(url, data).status_code == 404
    assert not PayerCreditLimit.objects.exists()

    client.force_login(staff)
    refused = client.post(url, data | {"decision": ""})
    assert refused.status_code == 400 and not PayerCreditLimit.objects.exists()
    assert client.post(url, data).status_code == 302
    limit = PayerCreditLimit.objects.get()
    assert (limit.unit, limit.amount, limit.approved_by) == (carrier.unit, 50_000_000, staff)
    assert AuditEvent.objects.get(action="fees.credit_limit.set").after["amount"] == 50_000_000
    html = client.get(url).content.decode()
    assert "Công ty Vận tải Biên Giới" in html and "50.000.000" in html and "QĐ 125/QĐ-BQL" in html
