"""A payer's approved debt limit (`credit_limit_set`) and what a gate asks of a trip's fee before the
vehicle leaves (`exit_standing`): whether it is paid, and if not, whether the payer's deposit covers it
or its debts stay within the limit the Board approved. Traffic reads these through fees.selectors and
sets nothing here but through fees.services (credit_limit_set)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import Sum

from cuakhau.core import plainsql

from .models import AssessmentStatus, FeeAssessment, PayerBalance, PayerCreditLimit


def credit_limit_of(unit_id: int) -> int:
    return PayerCreditLimit.objects.filter(pk=unit_id).values_list("amount", flat=True).first() or 0


def debt_of(unit_id: int) -> int:
    """The payer's unpaid fees, in đồng."""
    return (
        FeeAssessment.objects.filter(payer_unit_id=unit_id, status=AssessmentStatus.DUE).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )


@dataclass(frozen=True)
class Standing:
    """A trip's fee as the gate sees it when the vehicle leaves."""

    assessment_id: int
    status: str
    amount: int
    reference: str
    payer_unit_id: int | None
    balance: int | None = None  # the payer's prepaid deposit left (asked only with credit=True)
    limit: int | None = None  # its approved debt limit
    debt: int | None = None  # what it owes, this fee included

    @property
    def settled(self) -> bool:
        return self.status in (AssessmentStatus.PAID, AssessmentStatus.EXEMPT)

    @property
    def covered(self) -> bool:
        """Owing allowed: the deposit covers the fee, or the debts stay within the approved limit."""
        if self.settled:
            return True
        if self.balance is not None and self.balance >= self.amount:
            return True
        return bool(self.limit) and self.debt is not None and self.debt <= self.limit


@functools.cache
def _standing_sql(vendor: str, credit: bool) -> str:
    q, col = plainsql.q, plainsql.column
    fields = ("status", "amount", "payment_reference", "payer_unit")
    columns = ", ".join(col(FeeAssessment, f, "a") for f in fields)
    if credit:
        payer = col(FeeAssessment, "payer_unit", "a")
        columns += (
            f", (SELECT {col(PayerBalance, 'balance')} FROM {q(PayerBalance._meta.db_table)} "
            f"WHERE {col(PayerBalance, 'unit')} = {payer})"
            f", (SELECT {col(PayerCreditLimit, 'amount')} FROM {q(PayerCreditLimit._meta.db_table)} "
            f"WHERE {col(PayerCreditLimit, 'unit')} = {payer})"
            f", (SELECT SUM(d.{q('amount')}) FROM {q(FeeAssessment._meta.db_table)} d "
            f"WHERE {col(FeeAssessment, 'payer_unit', 'd')} = {payer} "
            f"AND {col(FeeAssessment, 'status', 'd')} = %s)"
        )
    return f"SELECT {columns} FROM {q(FeeAssessment._meta.db_table)} a WHERE a.{q('id')} = %s"


def exit_standing(assessment_id: int, *, credit: bool = False) -> Standing | None:
    """One statement: the assessment's status, amount and reference, and with `credit` (a gate that lets
    enterprises leave owing) the payer's deposit left, its approved debt limit and its debts, read in
    the same statement by subqueries on the payer's rows (its balance, its limit, its due fees)."""
    params = [AssessmentStatus.DUE, assessment_id] if credit else [assessment_id]
    with connection.cursor() as cursor:
        cursor.execute(_standing_sql(connection.vendor, credit), params)
        row = cursor.fetchone()
    if row is None:
        return None
    status, amount, reference, payer = row[:4]
    if not credit or payer is None:
        return Standing(assessment_id, status, int(amount), reference, payer)
    balance, limit, debt = row[4:]
    return Standing(
        assessment_id,
        status,
        int(amount),
        reference,
        payer,
        balance=int(balance or 0),
        limit=int(limit or 0),
        debt=int(debt or 0),
    )


def provisional_reason(assessment_id: int) -> str:
    """Why the fee cannot be paid yet ('' when it can): a provisional fee, on an illustrative rate the
    Board has not confirmed, takes no payment and no receipt (fees.confirmations)."""
    from .confirmations import provisional_reason as reason

    assessment = FeeAssessment.objects.filter(pk=assessment_id).first()
    return reason(assessment) if assessment is not None and assessment.amount else ""


def payment_qr(assessment_id: int, *, svg: bool = True) -> dict | None:
    """The VietQR to pay an assessment, as the payment notice gives it (fees.documents.payment_qr): the
    collection account, the payload for exactly the amount with the payment reference as the transfer
    note, and (svg=True) its image; None if there is no such assessment. A provisional fee gets no
    payload (nothing may be collected on it yet) and its reason in `provisional`."""
    from .collecting import assessment_account
    from .confirmations import provisional_reason as reason
    from .documents import payment_qr as notice_qr
    from .vietqr import build_payload

    assessment = FeeAssessment.objects.select_related("gate").filter(pk=assessment_id).first()
    if assessment is None:
        return None
    provisional = reason(assessment) if assessment.amount else ""
    if provisional:
        bank = assessment_account(assessment)
        return bank | {
            "payload": "",
            "svg": "",
            "reference": assessment.payment_reference,
            "provisional": provisional,
        }
    if svg:
        return notice_qr(assessment) | {"provisional": ""}
    bank = assessment_account(assessment)
    payload = build_payload(
        bank_bin=bank["bin"],
        account=bank["account"],
        amount=assessment.amount,
        purpose=assessment.payment_reference,
    )
    return bank | {"payload": payload, "reference": assessment.payment_reference, "provisional": ""}
