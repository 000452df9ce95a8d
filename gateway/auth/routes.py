from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse

from gateway.auth import service
from gateway.auth.keys import SigningKey
from gateway.auth.schemas import JwkSet, MePublic, TokenResponse
from services.common import errors
from services.common.auth import CurrentPrincipal
from services.common.db import Session
from services.common.i18n import Text
from services.common.settings import Settings

router = APIRouter(tags=["auth"])

OptionalForm = Annotated[str | None, Form()]


def _missing(field: str) -> errors.InvalidRequest:
    return errors.InvalidRequest(Text(f"The form field {field} is required.", f"ต้องส่งช่อง {field} ในฟอร์ม"))


@router.post(
    "/v1/auth/token",
    response_model=TokenResponse,
    summary="Get a token (OAuth2 password or refresh_token grant)",
    responses={400: {"description": "invalid_request / invalid_grant / unsupported_grant_type"}},
)
async def token(
    request: Request,
    session: Session,
    grant_type: OptionalForm = None,
    username: OptionalForm = None,
    password: OptionalForm = None,
    refresh_token: OptionalForm = None,
    scope: OptionalForm = None,
) -> JSONResponse:
    key: SigningKey = request.app.state.signing_key
    settings: Settings = request.app.state.settings
    if grant_type == "password":
        if not username:
            raise _missing("username")
        if not password:
            raise _missing("password")
        issued = await service.login(session, key, settings, username, password)
    elif grant_type == "refresh_token":
        if not refresh_token:
            raise _missing("refresh_token")
        issued = await service.refresh(session, key, settings, refresh_token)
    elif not grant_type:
        raise _missing("grant_type")
    else:
        raise errors.UnsupportedGrantType(
            Text(
                f"grant_type {grant_type[:40]} is not supported; use password or refresh_token.",
                f"ไม่รองรับ grant_type {grant_type[:40]} ใช้ password หรือ refresh_token",
            )
        )
    # RFC 6749 §5.1: token responses must not be cached
    return JSONResponse(
        issued.model_dump(exclude_none=True), headers={"Cache-Control": "no-store", "Pragma": "no-cache"}
    )


@router.get("/.well-known/jwks.json", response_model=JwkSet, summary="Public keys that verify Khabuan tokens")
async def jwks(request: Request) -> JSONResponse:
    key: SigningKey = request.app.state.signing_key
    return JSONResponse({"keys": [key.public_jwk]}, headers={"Cache-Control": "public, max-age=300"})


@router.get("/v1/me", response_model=MePublic, summary="Who the token belongs to, with grants")
async def me(session: Session, principal: CurrentPrincipal) -> MePublic:
    user = await service.get_user(session, principal.subject)
    return MePublic(
        id=user.id,
        kind="user",
        username=user.username,
        display_name=user.display_name,
        grants=[{"role": g["role"], "area": g["area"]} for g in user.grants],
    )
