from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse

from gateway.audit import repository as audit
from gateway.auth import service
from gateway.auth.clients import basic_credentials, get_client, issue_client_token
from gateway.auth.keys import KeyRing, SigningKey
from gateway.auth.schemas import GrantPublic, JwkSet, MePublic, TokenResponse
from gateway.auth.throttle import LoginThrottle
from services.common import errors
from services.common.auth import CurrentPrincipal
from services.common.db import Session
from services.common.i18n import Text
from services.common.settings import Settings
from services.common.types import Verbatim

router = APIRouter(tags=["auth"])
REVOKE_PATH = "/v1/auth/revoke"
MAX_TOKEN_LENGTH = 4096  # longer than any access or refresh token Khabuan issues

OptionalForm = Annotated[Verbatim | None, Form()]


def _missing(field: str) -> errors.InvalidRequest:
    return errors.InvalidRequest(Text(f"The form field {field} is required.", f"ต้องส่งช่อง {field} ในฟอร์ม"))


@router.post(
    "/v1/auth/token",
    response_model=TokenResponse,
    summary="Get a token (OAuth2 password, refresh_token or client_credentials grant)",
    description="Form-encoded (application/x-www-form-urlencoded), as OAuth2 requires. People use the "
    "password grant and then refresh_token; partner systems and services use client_credentials with "
    "client_id and client_secret in the form or in an HTTP Basic header. Errors are problem+json; "
    "400 and 401 also carry OAuth2's `error` and `error_description` (429 has none of OAuth2's).",
    responses={
        400: {"description": "invalid_request / invalid_grant / unsupported_grant_type"},
        401: {"description": "invalid_client"},
        429: {
            "description": "`too-many-requests`: too many wrong passwords for this account or from this "
            "address in the window; `Retry-After` says when to try again"
        },
    },
)
async def token(
    request: Request,
    session: Session,
    grant_type: OptionalForm = None,
    username: OptionalForm = None,
    password: OptionalForm = None,
    refresh_token: OptionalForm = None,
    client_id: OptionalForm = None,
    client_secret: OptionalForm = None,
    scope: OptionalForm = None,
) -> JSONResponse:
    key: SigningKey = request.app.state.key_ring.current()
    settings: Settings = request.app.state.settings
    if grant_type == "password":
        if not username:
            raise _missing("username")
        if not password:
            raise _missing("password")
        throttle: LoginThrottle = request.app.state.login_throttle
        counted = throttle.counted(username, request.client.host if request.client else None)
        await throttle.attempt(counted)
        try:
            issued = await service.login(session, key, settings, username, password)
        except errors.InvalidGrant:
            # the login wrote nothing; its connection goes back before the audit entry takes one, so a
            # flood of wrong passwords holds one connection per request at the most
            await session.rollback()
            await audit.append(session, [service.login_fact(username, user=None)])
            await session.commit()
            raise
        await throttle.succeeded(session, counted)
    elif grant_type == "refresh_token":
        if not refresh_token:
            raise _missing("refresh_token")
        issued = await service.refresh(session, key, settings, refresh_token)
    elif grant_type == "client_credentials":
        credentials = basic_credentials(request.headers.get("authorization"))
        if credentials is None:
            if not client_id:
                raise _missing("client_id")
            if not client_secret:
                raise _missing("client_secret")
            credentials = (client_id, client_secret)
        issued = await issue_client_token(session, key, settings, *credentials)
    elif not grant_type:
        raise _missing("grant_type")
    else:
        raise errors.UnsupportedGrantType(
            Text(
                f"grant_type {grant_type[:40]} is not supported; use password, refresh_token "
                "or client_credentials.",
                f"ไม่รองรับ grant_type {grant_type[:40]} ใช้ password, refresh_token หรือ client_credentials",
            )
        )
    # RFC 6749 §5.1: token responses must not be cached
    return JSONResponse(
        issued.model_dump(exclude_none=True), headers={"Cache-Control": "no-store", "Pragma": "no-cache"}
    )


@router.post(
    REVOKE_PATH,
    summary="Revoke a refresh token: its session ends (RFC 7009)",
    description="Form-encoded `token` (and an optional `token_type_hint`). A refresh token and every token "
    "rotated from it stop working. An unknown or already revoked token is answered 200 too, as RFC 7009 "
    "asks; an access token is answered `unsupported_token_type`: it is short-lived and cannot be recalled "
    "(deactivating the account stops it).",
    status_code=200,
    responses={400: {"description": "invalid_request / unsupported_token_type"}},
)
async def revoke(
    session: Session,
    token: Annotated[Verbatim, Form(min_length=1, description="The token to revoke")],
    token_type_hint: Annotated[
        Verbatim | None,
        Form(max_length=64, description="refresh_token or access_token; only a hint (RFC 7009 §2.1)"),
    ] = None,
) -> JSONResponse:
    # a token longer than any we issue is simply not ours: 200, as for any unknown token
    if len(token) <= MAX_TOKEN_LENGTH and not await service.revoke(session, token) and token.count(".") == 2:
        raise errors.UnsupportedTokenType(
            Text(
                "Access tokens cannot be revoked: revoke the refresh token, or let it expire.",
                "ยกเลิก access token ไม่ได้ กรุณายกเลิก refresh token หรือรอให้หมดอายุ",
            )
        )
    return JSONResponse({}, headers={"Cache-Control": "no-store"})  # RFC 7009 §2.2: the body is ignored


@router.get("/.well-known/jwks.json", response_model=JwkSet, summary="Public keys that verify Khabuan tokens")
async def jwks(request: Request) -> JSONResponse:
    ring: KeyRing = request.app.state.key_ring
    published = [key.public_jwk for key in ring.published()]  # the current key first, then retired ones
    return JSONResponse({"keys": published}, headers={"Cache-Control": "public, max-age=300"})


@router.get("/v1/me", response_model=MePublic, summary="Who the token belongs to, with grants")
async def me(session: Session, principal: CurrentPrincipal) -> MePublic:
    if principal.kind != "user":
        client = await get_client(session, principal.subject)
        return MePublic(
            id=client.id,
            kind=principal.kind,
            username=client.client_id,
            display_name=client.name,
            grants=[GrantPublic(role=g["role"], area=g["area"]) for g in client.grants],
        )
    user = await service.get_user(session, principal.subject)
    return MePublic(
        id=user.id,
        kind="user",
        username=user.username,
        display_name=user.display_name,
        grants=[GrantPublic(role=g["role"], area=g["area"]) for g in user.grants],
    )
