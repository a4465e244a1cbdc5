"""Prepaid deposits: each payer's balance (deposits received minus fees debited from them), stored in
PayerBalance and locked through its row, and the debits and credits that move it.

At gate-in, inside fee_assess's transaction, a fee the deposit covers is paid from it at once (a receipt
with method balance); a deposit (a transfer noted KQ<tax code>, or the excess of an overpaid transfer)
credits the balance and pays the payer's debts oldest first while it covers them. The stored balance
always equals the sum over the payer's payments (`balances_mismatched`, `cuakhau fees check-balances`)."""

from __future__ import annotations

import functools

from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cuakhau.core import plainsql
from cuakhau.core.audit import audit_record, snapshot
from cuakhau.core.errors import ServiceError

from .models import AssessmentStatus, FeeAssessment, PayerBalance, Payment, PaymentMethod, Receipt
from .receipts import _actor, _lock_due, _settle


def balance_of(unit_id: int) -> int:
    """Prepaid deposit left: deposits received minus fees debited from it (the stored PayerBalance)."""
    return PayerBalance.objects.filter(pk=unit_id).values_list("balance", flat=True).first() or 0


def _summed_balances(payments) -> dict[int, int]:
    """Per payer unit of these payments: deposits minus debits from the deposit, in one grouped query."""
    rows = (
        payments.filter(Q(is_deposit=True) | Q(method=PaymentMethod.BALANCE))
        .exclude(payer_unit=None)
        .values("payer_unit")
        .annotate(
            deposits=Sum("amount", filter=Q(is_deposit=True)),
            debits=Sum("amount", filter=Q(method=PaymentMethod.BALANCE)),
        )
    )
    return {r["payer_unit"]: (r["deposits"] or 0) - (r["debits"] or 0) for r in rows}


def balance_from_payments(unit_id: int) -> int:
    """The same balance summed over the payer's payments: what the stored one must always equal."""
    return _summed_balances(Payment.objects.filter(payer_unit_id=unit_id)).get(unit_id, 0)


def balances_mismatched() -> list[tuple[int, int, int]]:
    """(unit id, stored balance, balance summed over payments) for every payer where the two differ:
    two queries, whatever the number of payers."""
    stored = dict(PayerBalance.objects.values_list("unit_id", "balance"))
    summed = _summed_balances(Payment.objects.all())
    found = [(u, stored.get(u, 0), summed.get(u, 0)) for u in sorted(set(stored) | set(summed))]
    return [row for row in found if row[1] != row[2]]


def debt_of(unit_id: int) -> int:
    return (
        FeeAssessment.objects.filter(payer_unit_id=unit_id, status=AssessmentStatus.DUE).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )


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


def _settle_from_deposit(assessment: FeeAssessment) -> Receipt:
    """Pay a due assessment from its payer's deposit (balance row locked, balance checked)."""
    receipt = _settle(_lock_due(assessment.pk), method=PaymentMethod.BALANCE, payment_kwargs={})
    _add_to_balance(assessment.payer_unit_id, -assessment.amount)
    return receipt


def settle_from_balance(*, assessment: FeeAssessment) -> Receipt | None:
    """At gate-in, inside fee_assess's transaction: if the payer's deposit covers the fee, debit it and
    issue the receipt now. A replayed gate-in returns the assessment, hence this same receipt."""
    from .confirmations import unconfirmed_rules

    if assessment.payer_unit_id is None or assessment.amount == 0:
        return None
    if _lock_balance(assessment.payer_unit_id) < assessment.amount:
        return None
    if unconfirmed_rules(assessment):
        return None  # provisional: the fee stays due and the deposit untouched until the rate is confirmed
    receipt = _settle_from_deposit(assessment)
    assessment.status = AssessmentStatus.PAID
    return receipt


def deposit_credit(*, payer_unit_id: int, amount: int, reference: str = "", statement_line=None) -> Payment:
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
        received_by=_actor(),
    )
    _add_to_balance(payer_unit_id, amount)
    return payment


@transaction.atomic
def deposit_record(*, payer_unit, amount: int, reference: str = "", statement_line=None) -> Payment:
    """A prepaid deposit to an enterprise's account with the centre (bank transfer noted KQ<tax code>)."""
    if not isinstance(amount, int) or amount <= 0:
        raise ServiceError(_("Số tiền phải là số đồng nguyên dương."), field="amount")
    payment = deposit_credit(
        payer_unit_id=payer_unit.pk, amount=amount, reference=reference, statement_line=statement_line
    )
    audit_record(action="payment.deposit", obj=payment, after=snapshot(payment))
    settle_debts_from_balance(payer_unit_id=payer_unit.pk)
    return payment


def settle_debts_from_balance(*, payer_unit_id: int) -> list[Receipt]:
    """Oldest debts first, while the deposit covers them; a provisional fee (fees.confirmations) is
    passed over and waits for its rate to be confirmed."""
    from .confirmations import unconfirmed_rules

    receipts = []
    balance = _lock_balance(payer_unit_id)
    for assessment in FeeAssessment.objects.filter(
        payer_unit_id=payer_unit_id, status=AssessmentStatus.DUE
    ).order_by("charged_on", "pk"):
        if balance < assessment.amount:
            break
        if unconfirmed_rules(assessment):
            continue
        receipts.append(_settle_from_deposit(assessment))
        balance -= assessment.amount
    return receipts
