"""What waits for a person, as each service tells it (`GET …/waiting`) and the gateway gathers it
(`GET /v1/me/inbox`): one shape for every kind of item; `announce` tells of a new one as it starts to wait."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.events.outbox import record_event
from services.common.events.registry import EventData, EventType, register

InboxKind = Literal[
    "disbursement_approval",
    "reversal_approval",
    "update_review",
    "tambon_verification",
    "province_certification",
    "item_review",
]


class InboxItem(BaseModel):
    kind: InboxKind = Field(description="What is asked of you")
    source: str = Field(description="The service that holds it")
    subject_type: str
    subject_id: str
    area_code: str
    summary: str = Field(description="A few words on it (an amount, a purpose, an area)")
    waiting_since: datetime = Field(description="Since when it has waited for you")
    path: str = Field(description="The API path of the thing to act on")


class Waiting(BaseModel):
    items: list[InboxItem]


class InboxItemData(EventData):
    """A new item in an inbox, and for whom: anyone holding one of `roles` over the item's area, or (no
    roles) the accounts the service names — a fund's committee, a team's leads — whom it never publishes, as
    no event leaving Khabuan names people; `GET /v1/me/inbox` stays the truth of whose it is."""

    item: InboxItem
    roles: list[str] = Field(
        description="Any account with one of these roles covering `item.area_code` (empty: named accounts)"
    )


INBOX_ITEM_CREATED = EventType(
    "inbox.item.created",
    "inbox_item",
    2,  # v1 named the accounts (`user_ids`, `except_user_id`)
    InboxItemData,
    "Something new waits for someone (an approval, a review, a verification, a certification)",
    "มีรายการใหม่รอผู้ใช้ดำเนินการ (อนุมัติ ทบทวน ยืนยัน หรือรับรอง)",
)
register(INBOX_ITEM_CREATED)  # recorded by every service, published (and delivered) by the gateway alone


async def announce(session: AsyncSession, item: InboxItem, *, roles: Sequence[str] = ()) -> None:
    """Record `inbox.item.created` for a new item, in the transaction that makes it wait."""
    data = InboxItemData(item=item, roles=list(roles))
    await record_event(
        session, INBOX_ITEM_CREATED, aggregate_id=item.subject_id, area_code=item.area_code, data=data
    )
