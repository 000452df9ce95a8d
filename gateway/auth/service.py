"""Login and refresh: the OAuth2 password and refresh_token grants."""

from __future__ import annotations

import uuid
from datetime import timedelta

import structlog
from sqlalchemy import update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.audit import repository as audit
from gateway.auth.keys import SigningKey
from gateway.auth.models import RefreshToken, User
from gateway.auth.passwords import hash_password, needs_rehash, verify_password
from gateway.auth.schemas import TokenResponse
from gateway.auth.tokens import issue_access_token, new_refresh_token, refresh_token_hash
from services.common import errors
from services.common.clock import utcnow
from services.common.geo import covering_area
from services.common.i18n import Text
from services.common.settings import Settings

log = structlog.get_logger()

_BAD_LOGIN = Text("The username or password is wrong.", "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")
_BAD_REFRESH = Text(
    "The refresh token is unknown, expired or already used.", "refresh token ไม่ถูกต้อง หมดอายุ หรือถูกใช้ไปแล้ว"
)


async def login(
    session: AsyncSession, key: SigningKey, settings: Settings, username: str, password: str
) -> TokenResponse:
    """Password grant: check the password, then issue an access token and a new refresh-token family."""
    user = (await session.exec(select(User).where(User.username == username.strip().lower()))).first()
    valid = await verify_password(user.password_hash if user else None, password)
    if user is None or user.password_hash is None or not valid or user.disabled:
        log.info("auth.login_failed", username=username[:64])
        raise errors.InvalidGrant(_BAD_LOGIN)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    log.info("auth.logged_in", user_id=str(user.id))
    await audit.append(session, [login_fact(user.username, user=user)])
    return await _issue(session, key, settings, user, family_id=uuid.uuid4())


def login_fact(username: str, *, user: User | None) -> audit.Fact:
    """A login's audit entry: who (when the password was right), from which account name, and whether."""
    succeeded = user is not None
    return audit.Fact(
        action="auth.login.succeeded" if succeeded else "auth.login.failed",
        occurred_at=utcnow(),
        actor=f"user:{user.id}" if user is not None else None,
        area_code=covering_area(grant["area"] for grant in user.grants) if user is not None else "TH",
        source="gateway",
        subject_type="account",
        subject_id=str(user.id) if user is not None else "-",
        details={"username": username.strip().lower()[:64]},
    )


async def refresh(session: AsyncSession, key: SigningKey, settings: Settings, token: str) -> TokenResponse:
    """Refresh grant with rotation: each refresh token works once; a reused one revokes its whole family."""
    stored = (
        await session.exec(
            select(RefreshToken).where(RefreshToken.token_hash == refresh_token_hash(token)).with_for_update()
        )
    ).first()
    now = utcnow()
    if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
        raise errors.InvalidGrant(_BAD_REFRESH)
    if stored.used_at is not None:
        await session.exec(
            update(RefreshToken)
            .where(RefreshToken.family_id == stored.family_id)  # type: ignore[arg-type]
            .values(revoked_at=now)
        )
        log.warning("auth.refresh_token_reused", family_id=str(stored.family_id))
        # the revocation must persist although the request fails
        await session.commit()
        raise errors.InvalidGrant(_BAD_REFRESH)
    user = await session.get(User, stored.user_id)
    if user is None or user.disabled:
        raise errors.InvalidGrant(_BAD_REFRESH)
    stored.used_at = now
    return await _issue(session, key, settings, user, family_id=stored.family_id)


async def revoke(session: AsyncSession, token: str) -> bool:
    """RFC 7009: revoke a refresh token and its whole family (the session it belongs to); an unknown token
    is no error (the answer must not say which tokens exist). False when it is not a refresh token of ours."""
    stored = (
        await session.exec(
            select(RefreshToken).where(RefreshToken.token_hash == refresh_token_hash(token)).with_for_update()
        )
    ).first()
    if stored is None:
        return False
    await session.exec(
        update(RefreshToken)
        .where(RefreshToken.family_id == stored.family_id, RefreshToken.revoked_at.is_(None))  # type: ignore[arg-type,union-attr]
        .values(revoked_at=utcnow())
    )
    log.info("auth.refresh_token_revoked", family_id=str(stored.family_id))
    return True


async def _issue(
    session: AsyncSession, key: SigningKey, settings: Settings, user: User, *, family_id: uuid.UUID
) -> TokenResponse:
    refresh_token, token_hash = new_refresh_token()
    now = utcnow()
    session.add(
        RefreshToken(
            token_hash=token_hash,
            family_id=family_id,
            user_id=user.id,
            issued_at=now,
            expires_at=now + timedelta(seconds=settings.refresh_token_ttl_seconds),
        )
    )
    await session.flush()
    access_token = issue_access_token(
        key,
        settings,
        subject=str(user.id),
        kind="user",
        grants=user.grants,
        username=user.username,
        session_id=str(family_id),
    )
    return TokenResponse(
        access_token=access_token, expires_in=settings.access_token_ttl_seconds, refresh_token=refresh_token
    )


async def get_user(session: AsyncSession, user_id: str) -> User:
    try:
        user = await session.get(User, uuid.UUID(user_id))
    except ValueError:
        user = None
    if user is None:
        raise errors.NotFound(Text("No such user.", "ไม่พบผู้ใช้นี้"))
    return user
