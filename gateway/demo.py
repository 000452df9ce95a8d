"""Demo accounts for development: one per role, all with KHABUAN_DEMO_PASSWORD (see README)."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.auth.clients import ensure_client
from gateway.auth.models import User
from gateway.auth.passwords import hash_password
from services.common.clock import utcnow
from services.common.settings import Settings

log = structlog.get_logger()

DEMO_ACCOUNTS: list[tuple[str, str, list[dict[str, Any]]]] = [
    ("demo-national", "ผู้ดูแลระดับประเทศ (สาธิต)", [{"role": "national", "area": "TH"}]),
    ("demo-regional-south", "ผู้ประสานภาคใต้ (สาธิต)", [{"role": "regional", "area": "south"}]),
    ("demo-provincial-93", "ขบวนจังหวัดพัทลุง (สาธิต)", [{"role": "provincial", "area": "93"}]),
    ("demo-provincial-18", "ขบวนจังหวัดชัยนาท (สาธิต)", [{"role": "provincial", "area": "18"}]),
    ("demo-provincial-57", "ขบวนจังหวัดเชียงราย (สาธิต)", [{"role": "provincial", "area": "57"}]),
    ("demo-tambon-930101", "แกนนำตำบลคูหาสวรรค์ (สาธิต)", [{"role": "tambon", "area": "930101"}]),
    ("demo-tambon-180101", "แกนนำตำบลในเมือง ชัยนาท (สาธิต)", [{"role": "tambon", "area": "180101"}]),
    (
        "demo-evaluator",
        "ทีมประเมินภายใน (สาธิต)",
        [{"role": "evaluator", "area": "93"}, {"role": "evaluator", "area": "18"}],
    ),
]


DEMO_PARTNER = "demo-partner"


async def ensure_demo_accounts(session: AsyncSession, settings: Settings) -> dict[str, uuid.UUID]:
    """Create or refresh the demo accounts; refuses in production. Returns each demo user's id by username
    (the funds demo names them on its committees)."""
    if settings.is_production or not settings.demo_accounts:
        raise RuntimeError(
            "demo accounts are only for development (KHABUAN_DEMO_ACCOUNTS=true, not production)"
        )
    password_hash = hash_password(settings.demo_password)
    ids: dict[str, uuid.UUID] = {}
    for username, display_name, grants in DEMO_ACCOUNTS:
        values = {
            "id": uuid.uuid4(),
            "created_at": utcnow(),
            "updated_at": utcnow(),
            "username": username,
            "display_name": display_name,
            "password_hash": password_hash,
            "grants": grants,
            "is_demo": True,
        }
        statement = insert(User).values(**values)
        upsert = statement.on_conflict_do_update(
            index_elements=[User.username],
            set_={
                "password_hash": password_hash,
                "grants": grants,
                "display_name": display_name,
                "updated_at": utcnow(),
            },
        )
        ids[username] = (await session.exec(upsert.returning(col(User.id)))).scalar_one()
    await ensure_client(
        session,
        client_id=DEMO_PARTNER,
        name="ภาคีสาธิต: ระบบข้อมูลจังหวัดพัทลุง (demo partner)",
        kind="partner",
        secret=settings.demo_password,
        grants=[{"role": "partner", "area": "93"}],
        is_demo=True,
    )
    log.info("auth.demo_accounts_ready", users=len(DEMO_ACCOUNTS), clients=1)
    return ids
