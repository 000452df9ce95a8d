"""Accounts: created with their grants and a one-time code, renamed, granted and ungranted, deactivated
(every session ends at once) and reactivated; a password set with a code, or changed by its owner."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.audit import service as audit
from gateway.auth.models import User
from gateway.auth.passwords import hash_password, verify_password
from gateway.auth.throttle import LoginThrottle
from gateway.users import repository
from gateway.users.access import admin_areas, fits_level, require_giver, require_manager
from gateway.users.events import USER_CREATED, USER_DEACTIVATED, USER_REACTIVATED, USER_UPDATED
from gateway.users.passwords import check_new_password
from gateway.users.problems import LastGrant, OwnAccount, UsernameTaken
from gateway.users.schemas import (
    CodeSent,
    Grant,
    PasswordChange,
    PasswordSet,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from services.common import errors
from services.common.auth import Principal
from services.common.clock import utcnow
from services.common.events import record_event
from services.common.events.registry import EventType
from services.common.geo import covering_area, covers
from services.common.i18n import Text
from services.common.models import ExpectedVersions, touch
from services.common.pagination import Page, PageRequest, paginate
from services.common.privacy import national_id_kept
from services.common.resources import apply_changes
from services.common.settings import Settings

log = structlog.get_logger()

_BAD_CODE = Text(
    "The username or one-time code is wrong, or the code has expired.",
    "ชื่อผู้ใช้หรือรหัสใช้ครั้งเดียวไม่ถูกต้อง หรือรหัสหมดอายุแล้ว",
)


def shown(user: User) -> UserPublic:
    return UserPublic(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        grants=[Grant.model_construct(role=g["role"], area=g["area"]) for g in user.grants],
        active=not user.disabled,
        password_set=user.password_hash is not None,
        code_pending=user.code_hash is not None and (user.code_expires_at or utcnow()) > utcnow(),
        national_id_last4=user.national_id_last4,
        birth_date=user.birth_date,
        version=user.version,
        created_at=user.created_at,
        updated_at=user.updated_at,
    )


def area_of(grants: Sequence[Mapping[str, Any]]) -> str:
    """The narrowest area covering every grant (the account's events' area)."""
    return covering_area(grant["area"] for grant in grants)


async def _record(session: AsyncSession, event: EventType, user: User) -> None:
    await record_event(
        session, event, aggregate_id=str(user.id), area_code=area_of(user.grants), data=shown(user)
    )


def _checked_grant(principal: Principal, grant: Grant, pointer: str) -> dict[str, str]:
    """The grant as stored, if the principal may give it (403) and its area is of its role's level (422 at
    `pointer`/area)."""
    if not fits_level(grant.role, grant.area):
        raise errors.at_field(
            errors.ValidationFailed,
            f"{pointer}/area",
            Text(
                f"The role {grant.role} is held over an area of its own level, not {grant.area}.",
                f"บทบาท {grant.role} ต้องเป็นพื้นที่ในระดับของบทบาทนั้น ไม่ใช่ {grant.area}",
            ),
        )
    require_giver(principal, grant.role, grant.area)
    return {"role": grant.role, "area": grant.area}


def _new_code(user: User, settings: Settings) -> tuple[str, datetime]:
    code = secrets.token_urlsafe(12)
    user.code_hash = _code_hash(code)
    user.code_expires_at = utcnow() + timedelta(seconds=settings.account_code_ttl_seconds)
    return code, user.code_expires_at


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _sent(user: User, code: str, expires_at: datetime, settings: Settings, why: str) -> CodeSent:
    """Send the code to its person: in development and tests the gateway's log shows it; a deployment
    without SMS or e-mail shows it once to the administrator (KHABUAN_SHOW_ACCOUNT_CODES) to hand over."""
    if not settings.is_production:
        log.info("users.code_sent", user_id=str(user.id), username=user.username, why=why, code=code)
    else:
        log.info("users.code_sent", user_id=str(user.id), why=why)
    return CodeSent(
        user_id=user.id, expires_at=expires_at, code=code if settings.show_account_codes else None
    )


async def create(
    session: AsyncSession, principal: Principal, settings: Settings, data: UserCreate
) -> tuple[UserPublic, CodeSent]:
    """A new account with grants the creator may give, and an invite: a one-time code to set a password."""
    grants: list[dict[str, str]] = []
    for index, grant in enumerate(data.grants):
        if (stored := _checked_grant(principal, grant, f"/grants/{index}")) not in grants:
            grants.append(stored)
    national_id_hash, national_id_last4 = national_id_kept(data.national_id, settings)
    user = User(
        username=data.username,
        display_name=data.display_name,
        grants=grants,
        national_id_hash=national_id_hash,
        national_id_last4=national_id_last4,
        birth_date=data.birth_date,
    )
    code, expires_at = _new_code(user, settings)
    try:
        async with session.begin_nested():
            session.add(user)
            await session.flush()
    except IntegrityError:
        raise UsernameTaken(data.username) from None
    await _record(session, USER_CREATED, user)
    log.info("users.created", user_id=str(user.id), by=principal.subject, grants=grants)
    return shown(user), _sent(user, code, expires_at, settings, "invite")


async def _visible(
    session: AsyncSession, principal: Principal, user_id: uuid.UUID, *, for_update: bool = False
) -> User:
    """The account if the principal is its owner, could see it (a grant inside their admin areas) or is one
    of our services (which check committee and team members); 404 otherwise, so ids of accounts elsewhere
    are not confirmed."""
    user = await repository.get(session, user_id, for_update=for_update)
    if principal.kind == "service" or (principal.kind == "user" and principal.subject == str(user.id)):
        return user
    seen_from = admin_areas(principal)
    if any(covers(area, grant["area"]) for area in seen_from for grant in user.grants):
        return user
    raise errors.NotFound(Text(f"No user with id {user_id}.", f"ไม่พบผู้ใช้ รหัส {user_id}"))


async def get(session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> UserPublic:
    return shown(await _visible(session, principal, user_id))


async def list_users(
    session: AsyncSession,
    principal: Principal,
    *,
    area: str | None,
    role: str | None,
    active: bool | None,
    page: PageRequest,
) -> Page[UserPublic]:
    """Accounts the principal administers (a grant inside their national, regional or provincial areas)."""
    seen_from = admin_areas(principal)
    if not seen_from:
        raise errors.Forbidden(
            Text(
                "Listing accounts needs a national, regional or provincial grant.",
                "การดูรายชื่อบัญชีต้องมีสิทธิ์ระดับประเทศ ภาค หรือจังหวัด",
            )
        )
    statement = repository.listing(seen_from=seen_from, area=area, role=role, active=active)
    rows, next_cursor = await paginate(session, statement, model=User, page=page)
    return Page(items=[shown(row) for row in rows], next_cursor=next_cursor)


async def _managed(session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> User:
    user = await _visible(session, principal, user_id, for_update=True)
    require_manager(principal, user.grants)
    return user


async def update(
    session: AsyncSession,
    principal: Principal,
    user_id: uuid.UUID,
    data: UserUpdate,
    *,
    expected_version: ExpectedVersions,
) -> UserPublic:
    user = await _managed(session, principal, user_id)
    changes = data.model_dump(exclude_unset=True)
    if "national_id" in changes:
        changes["national_id_hash"], changes["national_id_last4"] = national_id_kept(
            changes.pop("national_id")
        )
    if apply_changes(user, changes, expected_version=expected_version):
        await session.flush()
        await _record(session, USER_UPDATED, user)
    return shown(user)


async def add_grant(
    session: AsyncSession, principal: Principal, user_id: uuid.UUID, grant: Grant
) -> UserPublic:
    """Give a grant (200 and nothing new when the account already holds it) to an account in sight, as a
    grant is taken away: an account with no grant inside the principal's areas is 404, not confirmed."""
    user = await _visible(session, principal, user_id, for_update=True)
    stored = _checked_grant(principal, grant, "")
    if stored not in user.grants:
        user.grants = [*user.grants, stored]
        touch(user)
        await session.flush()
        await _record(session, USER_UPDATED, user)
        log.info("users.granted", user_id=str(user.id), by=principal.subject, **stored)
    return shown(user)


async def remove_grant(
    session: AsyncSession, principal: Principal, user_id: uuid.UUID, role: str, area: str
) -> UserPublic:
    """Take a grant away (by someone who could give it); an account keeps at least one (409)."""
    user = await _visible(session, principal, user_id, for_update=True)
    require_giver(principal, role, area)
    kept = [grant for grant in user.grants if (grant["role"], grant["area"]) != (role, area)]
    if len(kept) == len(user.grants):
        raise errors.NotFound(
            Text(
                f"User {user_id} holds no grant {role} in {area}.",
                f"ผู้ใช้ {user_id} ไม่มีสิทธิ์ {role} ในพื้นที่ {area}",
            )
        )
    if not kept:
        raise LastGrant()
    user.grants = kept
    touch(user)
    await session.flush()
    await _record(session, USER_UPDATED, user)
    log.info("users.ungranted", user_id=str(user.id), by=principal.subject, role=role, area=area)
    return shown(user)


async def set_active(
    session: AsyncSession, principal: Principal, user_id: uuid.UUID, *, active: bool
) -> UserPublic:
    """Deactivate (every refresh token revoked now; services drop its access tokens on the event) or
    reactivate an account; doing what is already so changes nothing."""
    user = await _managed(session, principal, user_id)
    if user.disabled == (not active):
        return shown(user)
    if not active and principal.subject == str(user.id):
        raise OwnAccount()
    revoked = await _switch(session, user, active=active)
    log.info(
        "users.activity_changed", user_id=str(user.id), by=principal.subject, active=active, revoked=revoked
    )
    return shown(user)


async def close_for_erasure(session: AsyncSession, user: User) -> None:
    """An erased person's account is closed as a deactivation closes it (an account deactivated before
    was closed then; a refresh or sign-in of a disabled account is refused anyway)."""
    if user.disabled:
        touch(user)
        await session.flush()
    else:
        await _switch(session, user, active=False)


async def _switch(session: AsyncSession, user: User, *, active: bool) -> int:
    """Deactivate (every refresh token revoked now) or reactivate; `user.deactivated` / `.reactivated`
    tells every service to drop or take back its access tokens. The refresh tokens revoked."""
    user.disabled = not active
    touch(user)
    revoked = 0 if active else await repository.revoke_refresh_tokens(session, user.id, utcnow())
    await session.flush()
    await _record(session, USER_REACTIVATED if active else USER_DEACTIVATED, user)
    return revoked


async def send_code(
    session: AsyncSession, principal: Principal, settings: Settings, user_id: uuid.UUID
) -> CodeSent:
    """A new one-time code (an invite again, or a password reset); any earlier code stops working."""
    user = await _managed(session, principal, user_id)
    code, expires_at = _new_code(user, settings)
    touch(user)
    purpose = "reset" if user.password_hash else "invite"
    await _audit(session, f"{principal.kind}:{principal.subject}", "user.code_sent", user, {"kind": purpose})
    return _sent(user, code, expires_at, settings, purpose)


async def _audit(
    session: AsyncSession, actor: str, action: str, user: User, details: dict[str, Any] | None = None
) -> None:
    """An account action the audit log keeps (beside the events it follows): a code sent, a password set."""
    area = covering_area(grant["area"] for grant in user.grants)
    await audit.record(
        session,
        actor,
        action,
        area_code=area,
        subject_type="account",
        subject_id=str(user.id),
        details=details,
    )


async def _set_password(
    session: AsyncSession, user: User, password: str, keeping: uuid.UUID | None = None
) -> None:
    """The new password; every session ends but `keeping` (the one it was changed from)."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.code_hash = user.code_expires_at = None
    touch(user)
    await repository.revoke_refresh_tokens(session, user.id, utcnow(), keeping=keeping)


async def set_password_with_code(session: AsyncSession, data: PasswordSet) -> None:
    """The person sets their password with the code they were sent; the code then stops working."""
    user = await repository.by_username(session, data.username, for_update=True)
    valid = (
        user is not None
        and not user.disabled
        and user.code_hash is not None
        and user.code_expires_at is not None
        and user.code_expires_at > utcnow()
        and hmac.compare_digest(user.code_hash, _code_hash(data.code))
    )
    if user is None or not valid:
        raise errors.at_field(errors.ValidationFailed, "/code", _BAD_CODE)
    check_new_password(data.password, username=user.username, pointer="/password")
    await _set_password(session, user, data.password)
    await _audit(session, f"user:{user.id}", "user.password_set", user)
    log.info("users.password_set", user_id=str(user.id))


async def change_password(
    session: AsyncSession,
    principal: Principal,
    data: PasswordChange,
    throttle: LoginThrottle,
    address: str | None,
) -> None:
    """The signed-in person changes their password (the current one first); their other sessions end. Each
    try counts against the account's and the address's wrong passwords as a login does (429 past the limit),
    so a token in the wrong hands cannot be used to guess the password."""
    if principal.kind != "user":
        raise errors.Forbidden(Text("Only people have passwords.", "เฉพาะบุคคลเท่านั้นที่มีรหัสผ่าน"))
    user = await repository.get(session, uuid.UUID(principal.subject), for_update=True)
    counted = throttle.counted(user.username, address)
    await throttle.attempt(counted)
    if not await verify_password(user.password_hash, data.current_password):
        raise errors.at_field(
            errors.ValidationFailed,
            "/current_password",
            Text("The current password is wrong.", "รหัสผ่านปัจจุบันไม่ถูกต้อง"),
        )
    await throttle.succeeded(session, counted)  # the right password gives its try back
    check_new_password(
        data.new_password,
        username=user.username,
        pointer="/new_password",
    )
    signed_in = uuid.UUID(principal.session_id) if principal.session_id else None
    await _set_password(session, user, data.new_password, keeping=signed_in)
    await _audit(session, f"user:{user.id}", "user.password_changed", user)
    log.info("users.password_changed", user_id=str(user.id))
