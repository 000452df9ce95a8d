"""The records of funds that can name a private person: contributions from individuals, payments to
individuals, found by their names or their national ID's hash (the ledger itself never names one)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.privacy import DataSubject
from services.funds.contributions.models import Contribution, SourceKind
from services.funds.disbursements.models import Disbursement, PayeeKind


def _contributions(names: Sequence[str]) -> Any:
    return (col(Contribution.source_kind) == SourceKind.individual) & col(Contribution.source_name).in_(names)


def _disbursements(subject: DataSubject) -> Any:
    return (col(Disbursement.payee_kind) == PayeeKind.individual) & or_(
        col(Disbursement.payee_name).in_(subject.names),
        col(Disbursement.payee_national_id_hash).in_(subject.national_id_hashes),
    )


async def held(session: AsyncSession, subject: DataSubject) -> dict[str, list[dict[str, Any]]]:
    contributions = (
        await session.execute(select(Contribution).where(_contributions(subject.names)))
    ).scalars()
    disbursements = (await session.execute(select(Disbursement).where(_disbursements(subject)))).scalars()
    return {
        "contributions": [row.model_dump(mode="json") for row in contributions],
        "disbursements": [
            row.model_dump(mode="json", exclude={"payee_national_id_hash"}) for row in disbursements
        ],
    }


async def pseudonymise(session: AsyncSession, subject: DataSubject) -> dict[str, int]:
    """Their records under the pseudonym; a payee found by ID hash alone adds the name it was paid under to
    the subject's names, so the answers kept for retries lose that name too."""
    found = await session.execute(
        select(col(Disbursement.payee_name)).where(_disbursements(subject)).distinct()
    )
    subject.names = list(dict.fromkeys([*subject.names, *found.scalars()]))
    contributions = await session.execute(
        update(Contribution).where(_contributions(subject.names)).values(source_name=subject.pseudonym)
    )
    disbursements = await session.execute(
        update(Disbursement)
        .where(_disbursements(subject))
        .values(payee_name=subject.pseudonym, payee_national_id_hash=None, payee_national_id_last4=None)
    )
    return {
        "contributions": int(contributions.rowcount or 0),  # type: ignore[attr-defined]
        "disbursements": int(disbursements.rowcount or 0),  # type: ignore[attr-defined]
    }
