"""Data subject requests (PDPA): access exports what every service holds about a person; erasure replaces
their names everywhere by one pseudonym and clears their national ID's hash and birth date — the services'
records first, then the gateway's own (the account, its logins in the audit log) — so a request that fails
half-way is simply made again. Ledger entries stay: the ledger never holds a private person's name, so every
chain still verifies, and the audit log hashes each detail through its own digest, so a name replaced by the
pseudonym is told apart from an edit (gateway/audit/chain.py)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import delete
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.audit import repository as audit
from gateway.audit.chain import PERSONAL_DETAILS
from gateway.audit.models import AuditEntry
from gateway.auth.keys import SigningKey
from gateway.auth.models import LoginFailures, User
from gateway.auth.tokens import issue_access_token
from gateway.privacy.schemas import PrivacyRequestCreate, PrivacyResult
from gateway.users import repository as users
from gateway.users import service as accounts
from gateway.users.problems import OwnAccount
from services.common import errors
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.i18n import Text
from services.common.idempotency import IdempotencyStore
from services.common.privacy import (
    GATEWAY_SUBJECT,
    PSEUDONYM_PREFIX,
    DataSubject,
    Erased,
    Held,
    national_id_hash,
)
from services.common.settings import Settings

log = structlog.get_logger()
SERVICES = ("plans", "funds", "assessment")

OWN_ERASURE = Text(
    "You cannot erase your own account: another national administrator makes the request.",
    "ลบข้อมูลบัญชีของตนเองไม่ได้ กรุณาให้ผู้ดูแลระดับประเทศคนอื่นยื่นคำขอ",
)


def require_national(principal: Principal) -> None:
    if principal.kind == "user" and any(grant.role == "national" for grant in principal.grants):
        return
    raise errors.Forbidden(
        Text(
            "Data subject requests are made by national administrators.",
            "คำขอของเจ้าของข้อมูลทำโดยผู้ดูแลระดับประเทศ",
        )
    )


async def handle(
    session: AsyncSession,
    principal: Principal,
    data: PrivacyRequestCreate,
    *,
    http: httpx.AsyncClient,
    urls: Mapping[str, str],
    key: SigningKey,
    settings: Settings,
    redis: Redis,
    stored_answers: IdempotencyStore,
) -> PrivacyResult:
    require_national(principal)
    request_id = uuid.uuid4()
    hashes = {national_id_hash(number, settings) for number in data.national_ids}
    account = await _account_of(session, data, hashes)
    if account is not None and data.kind == "erasure" and str(account.id) == principal.subject:
        raise OwnAccount(OWN_ERASURE)
    names = sorted({*data.names, *([account.display_name, account.username] if account else [])})
    if account is not None and account.national_id_hash is not None:
        hashes.add(account.national_id_hash)
    subject = DataSubject(
        request_id=request_id,
        user_ids=[str(account.id)] if account else [],
        names=names,
        national_id_hashes=sorted(hashes),
        pseudonym=f"{PSEUDONYM_PREFIX}{request_id.hex[:8]}",
    )
    token = issue_access_token(key, settings, subject=GATEWAY_SUBJECT, kind="service", grants=[])
    step = "held" if data.kind == "access" else "erasures"
    answers = [await _ask(http, urls[name], name, step, subject, token) for name in SERVICES]
    result = PrivacyResult(
        request_id=request_id, kind=data.kind, pseudonym=None, account=None, held=[], erased=[]
    )
    if data.kind == "access":
        result.held = [Held.model_validate(answer) for answer in answers]
        result.held.append(Held(service="gateway", records=await _held_here(session, account, names)))
        result.account = _account(account)
    else:
        result.erased = [Erased.model_validate(answer) for answer in answers]
        changed = await _erase_here(session, account, subject, redis)
        changed["stored_answers"] = await stored_answers.pseudonymise(
            session, subject.names, subject.pseudonym
        )
        result.erased.append(Erased(service="gateway", changed=changed))
        result.pseudonym = subject.pseudonym
    await audit.append(
        session,
        [
            audit.Fact(
                action=f"privacy.{data.kind}",
                occurred_at=utcnow(),
                actor=f"user:{principal.subject}",
                area_code="TH",
                source="gateway",
                subject_type="data_subject",
                subject_id=str(request_id),
                details={"changed": {e.service: sum(e.changed.values()) for e in result.erased}}
                if result.erased
                else {},
            )
        ],
    )
    log.info("privacy.request_handled", request_id=str(request_id), kind=data.kind)
    return result


async def _account_of(session: AsyncSession, data: PrivacyRequestCreate, hashes: set[str]) -> User | None:
    """Their account: the one named, or else the one that holds one of their national IDs (by keyed hash)."""
    if data.user_id is not None:
        try:
            return await users.get(session, data.user_id, for_update=True)
        except errors.NotFound:
            raise errors.nothing_at("/user_id", users.USER, data.user_id) from None
    return await users.by_national_id(session, sorted(hashes), for_update=True) if hashes else None


async def _ask(
    http: httpx.AsyncClient, base: str, name: str, step: str, subject: DataSubject, token: str
) -> dict[str, Any]:
    try:
        response = await http.post(
            f"{base}/internal/privacy/{name}/{step}",
            content=subject.model_dump_json(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise errors.ServiceUnavailable(
            Text(
                f"The {name} service could not take the request ({type(error).__name__}); make it again.",
                f"บริการ {name} รับคำขอไม่ได้ ({type(error).__name__}) กรุณาส่งคำขออีกครั้ง",
            ),
            extensions={"service": name},
        ) from error
    answer: dict[str, Any] = response.json()
    return answer


def _account(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return user.model_dump(mode="json", exclude={"password_hash", "code_hash", "national_id_hash"})


async def _mentions(session: AsyncSession, user: User | None, names: Sequence[str]) -> list[AuditEntry]:
    """The audit entries that name the person: theirs as actor, or a login under one of their names."""
    return await audit.mentioning(session, f"user:{user.id}" if user else None, names)


async def _held_here(
    session: AsyncSession, user: User | None, names: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    entries = await _mentions(session, user, names)
    return {
        "audit_entries": [
            {"seq": e.seq, "action": e.action, "occurred_at": e.occurred_at.isoformat()} for e in entries
        ]
    }


async def _erase_here(
    session: AsyncSession, user: User | None, subject: DataSubject, redis: Redis
) -> dict[str, int]:
    names = set(subject.names)
    entries = await _mentions(session, user, subject.names)
    # each entry's digests stay: a name replaced is told by its pseudonym, every other field still checked
    for entry in entries:
        entry.details = {
            k: (subject.pseudonym if k in PERSONAL_DETAILS and str(v) in names else v)
            for k, v in entry.details.items()
        }
        entry.erased_at = utcnow()
    keys = [f"account:{name.strip().lower()[:64]}" for name in names]
    await session.execute(delete(LoginFailures).where(col(LoginFailures.key).in_(keys)))
    try:
        await redis.delete(*(f"khabuan:login-failures:{key}" for key in keys))
    except RedisError:
        log.warning("privacy.redis_unavailable")
    if user is not None:
        user.username = f"erased-{subject.request_id.hex[:12]}"
        user.display_name = subject.pseudonym
        user.password_hash = user.code_hash = user.code_expires_at = None
        user.national_id_hash = user.national_id_last4 = user.birth_date = None
        await accounts.close_for_erasure(session, user)
    await session.flush()
    return {"audit_entries": len(entries), "accounts": 1 if user else 0}
