"""The records of funds that can name a private person: contributions from individuals, payments to
individuals (the ledger itself never names one)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.funds.contributions.models import Contribution, SourceKind
from services.funds.disbursements.models import Disbursement, PayeeKind


def _contributions(names: Sequence[str]) -> Any:
    return (col(Contribution.source_kind) == SourceKind.individual) & col(Contribution.source_name).in_(names)


def _disbursements(names: Sequence[str]) -> Any:
    return (col(Disbursement.payee_kind) == PayeeKind.individual) & col(Disbursement.payee_name).in_(names)


async def held(session: AsyncSession, names: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    contributions = (await session.execute(select(Contribution).where(_contributions(names)))).scalars()
    disbursements = (await session.execute(select(Disbursement).where(_disbursements(names)))).scalars()
    return {
        "contributions": [row.model_dump(mode="json") for row in contributions],
        "disbursements": [row.model_dump(mode="json") for row in disbursements],
    }


async def pseudonymise(session: AsyncSession, names: Sequence[str], pseudonym: str) -> dict[str, int]:
    contributions = await session.execute(
        update(Contribution).where(_contributions(names)).values(source_name=pseudonym)
    )
    disbursements = await session.execute(
        update(Disbursement).where(_disbursements(names)).values(payee_name=pseudonym)
    )
    return {
        "contributions": int(contributions.rowcount or 0),  # type: ignore[attr-defined]
        "disbursements": int(disbursements.rowcount or 0),  # type: ignore[attr-defined]
    }
