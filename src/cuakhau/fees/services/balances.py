"""Prepaid deposits: each payer's balance (deposits received minus fees debited from them), stored in
PayerBalance and locked through its row, and the debits and credits that move it.

At gate-in, inside fee_assess's transaction, a fee the deposit covers is paid from it at once (a receipt
with method balance); a deposit (a transfer noted KQ<tax code>, or the excess of an overpaid transfer)
credits the balance and pays the payer's debts oldest first while it covers them. The stored balance
always equals the sum over the payer's payments (`selectors.balances_mismatched`, `cuakhau fees
check-balances`)."""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import plainsql, policy
from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError
from cuakhau.core.service import service

from ..confirmations import unconfirmed_rules
from ..models import AssessmentStatus, FeeAssessment, PayerBalance, Payment, PaymentMethod, Receipt
from .receipts import _lock_due, _settle, _user


@functools.cache
def _balance_sql(vendor: str) -> tuple[str, str]:
    table, unit, balance = (
        plainsql.q(PayerBalance._meta.db_table),
        plainsql.column(PayerBalance, "unit"),
        plainsql.column(PayerBalance, "balance"),
    )
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    select = f"SELECT {balance} FROM {table} WHERE {unit} = %s{lock}"
    insert = (
        f"INSERT INTO {table} ({unit}, {balance}, {plainsql.column(PayerBalance, 'updated_at')}) "
        f"VALUES (%s, 0, %s) ON CONFLICT DO NOTHING"
    )
    return select, insert


def _lock_balance(unit_id: int) -> int:
    """Lock the payer's balance row until the transaction ends and return the balance: serialises
    spending and topping up one payer's deposit (two gate-ins of one enterprise, a gate-in and a
    deposit). A payer without a row gets one (balance 0), so that a deposit committing while a gate-in
    runs waits for it and then sees, and settles, the debt the gate-in left. One statement once the row
    exists (the gate-in path: no sum over the payer's payments)."""
    select, insert = _balance_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(select, [unit_id])
        row = cursor.fetchone()
        if row is None:
            cursor.execute(
                insert, [unit_id, plainsql.prep(PayerBalance._meta.get_field("updated_at"), timezone.now())]
            )
            cursor.execute(select, [unit_id])
            row = cursor.fetchone()
    return row[0]


def _add_to_balance(unit_id: int, amount: int) -> None:
    """Credit (amount > 0) or debit (amount < 0) a balance row locked by _lock_balance."""
    PayerBalance.objects.filter(pk=unit_id).update(balance=F("balance") + amount, updated_at=timezone.now())


def _settle_from_deposit(assessment: FeeAssessment, actor) -> Receipt:
    """Pay a due assessment from its payer's deposit (balance row locked, balance checked)."""
    receipt = _settle(_lock_due(assessment.pk), actor=actor, method=PaymentMethod.BALANCE, payment_kwargs={})
    _add_to_balance(assessment.payer_unit_id, -assessment.amount)
    return receipt


def _settle_from_balance(assessment: FeeAssessment, actor) -> Receipt | None:
    """At gate-in, inside fee_assess's transaction: if the payer's deposit covers the fee, debit it and
    issue the receipt now. A replayed gate-in returns the assessment, hence this same receipt."""
    if assessment.payer_unit_id is None or assessment.amount == 0:
        return None
    if _lock_balance(assessment.payer_unit_id) < assessment.amount:
        return None
    if unconfirmed_rules(assessment):
        return None  # provisional: the fee stays due and the deposit untouched until the rate is confirmed
    receipt = _settle_from_deposit(assessment, actor)
    assessment.status = AssessmentStatus.PAID
    return receipt


def _deposit_credit(
    actor, *, payer_unit_id: int, amount: int, reference: str = "", statement_line=None
) -> Payment:
    """Credit a prepaid deposit (a Payment marked is_deposit) and the payer's balance, inside the
    caller's transaction; the caller writes the audit event."""
    _lock_balance(payer_unit_id)
    payment = Payment.objects.create(
        method=PaymentMethod.TRANSFER,
        amount=amount,
        payer_unit_id=payer_unit_id,
        is_deposit=True,
        reference=reference[:64],
        statement_line=statement_line,
        received_by=_user(actor),
    )
    _add_to_balance(payer_unit_id, amount)
    return payment


@service
def deposit_record(*, actor, payer_unit, amount: int, reference: str = "", statement_line=None) -> Payment:
    """A prepaid deposit to an enterprise's account with the centre (bank transfer noted KQ<tax code>),
    recorded by whoever reconciles the statements (fees.permissions.may_reconcile), or the system."""
    if actor is not None and not policy.may(actor, "fees.reconcile"):
        raise ServiceError(
            _("Bạn không có quyền thực hiện thao tác này."), field="", code="forbidden", status=403
        )
    if not isinstance(amount, int) or amount <= 0:
        raise ServiceError(_("Số tiền phải là số đồng nguyên dương."), field="amount")
    payment = _deposit_credit(
        actor, payer_unit_id=payer_unit.pk, amount=amount, reference=reference, statement_line=statement_line
    )
    audit_record(action="fees.payment.deposit", obj=payment, actor=actor, after=snapshot(payment))
    _settle_debts_from_balance(payer_unit.pk, actor)
    return payment


def _settle_debts_from_balance(payer_unit_id: int, actor) -> list[Receipt]:
    """Oldest debts first, while the deposit covers them; a provisional fee (fees.confirmations) is
    passed over and waits for its rate to be confirmed."""
    receipts = []
    balance = _lock_balance(payer_unit_id)
    for assessment in FeeAssessment.objects.filter(
        payer_unit_id=payer_unit_id, status=AssessmentStatus.DUE
    ).order_by("charged_on", "pk"):
        if balance < assessment.amount:
            break
        if unconfirmed_rules(assessment):
            continue
        receipts.append(_settle_from_deposit(assessment, actor))
        balance -= assessment.amount
    return receipts
