"""Maker-checker requests, the domain-free part (docs/architecture.md, "Approval requests"): a request waits
in one status for approvals, each checker counts once, the maker never approves their own, and only current
checkers' approvals count; every change bumps the request's version. Funds' disbursements and reversals use
it; indicator verification and assessment reviews are next."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from typing import TypeVar

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from services.common import errors
from services.common.i18n import Text

Row = TypeVar("Row", bound=SQLModel)


class OwnRequest(errors.Forbidden):
    slug = "own-request"
    title = Text("You cannot approve your own request", "ผู้ยื่นคำขออนุมัติคำขอของตนเองไม่ได้")
    default_detail = Text(
        "Another committee member must approve it (maker-checker).",
        "ต้องให้กรรมการคนอื่นเป็นผู้อนุมัติ (ผู้ทำกับผู้ตรวจต้องเป็นคนละคน)",
    )


class AlreadyApproved(errors.Conflict):
    slug = "already-approved"
    title = Text("You have already approved this", "คุณอนุมัติรายการนี้ไปแล้ว")
    default_detail = Text(
        "Each committee member's approval counts once.", "การอนุมัติของกรรมการแต่ละคนนับได้ครั้งเดียว"
    )


class WrongStatus(errors.Conflict):
    slug = "wrong-status"
    title = Text("Not possible in the request's current status", "ทำรายการนี้ไม่ได้ในสถานะปัจจุบันของคำขอ")

    def __init__(self, *, status: str, status_th: str, action: Text) -> None:
        super().__init__(
            Text(
                f"The request is {status}: it cannot be {action.en}.",
                f"คำขออยู่ในสถานะ{status_th} จึง{action.th}ไม่ได้",
            ),
            extensions={"current_status": status},
        )


def require_status(status: str, allowed: Collection[str], action: Text, names_th: Mapping[str, str]) -> None:
    """409 unless the request is in one of the `allowed` statuses for `action`."""
    if status not in allowed:
        raise WrongStatus(status=str(status), status_th=names_th.get(status, status), action=action)


def counted(checkers: Collection[str], approvers: Collection[str]) -> int:
    """The approvals that count: only current checkers' (one given by someone removed no longer does)."""
    return len([approver for approver in approvers if approver in checkers])


def check_approval(
    actor: str, *, maker: str, approvers: Collection[str], checkers: Collection[str], required: int
) -> bool:
    """Whether `actor`'s approval is to be recorded: False when the request has enough already (given before
    the rule changed): completing it records nothing more. 403 for the maker, 409 for a second approval."""
    if actor == maker:
        raise OwnRequest()
    if counted(checkers, approvers) >= required:
        return False
    if actor in approvers:
        raise AlreadyApproved()
    return True


async def lock_waiting(
    session: AsyncSession, model: type[Row], *, parent: str, parent_id: uuid.UUID, waiting: str
) -> Sequence[Row]:
    """The requests of one parent (say, a fund) still waiting, locked in the order they were made: the one
    order in which a change of the checkers or the rule takes them."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    rows = await session.scalars(
        select(model)
        .where(table.c[parent] == parent_id, table.c.status == waiting)
        .order_by(table.c.created_at, table.c.id)
        .with_for_update()
    )
    return rows.all()
