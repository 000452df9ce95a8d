from __future__ import annotations

import uuid

from fastapi import Query, Request, Response, status

from gateway.users import service
from gateway.users.problems import LastGrant, OwnAccount, UsernameTaken
from gateway.users.schemas import (
    CodeSent,
    Grant,
    PasswordChange,
    PasswordSet,
    UserCreate,
    UserCreated,
    UserPublic,
    UserRole,
    UserUpdate,
)
from services.common.auth import CurrentPrincipal
from services.common.db import Session
from services.common.etag import expected_version, resource_response
from services.common.openapi import CONDITIONAL_EDIT, CONDITIONAL_READ, problems
from services.common.pagination import FIRST_PAGE, Page, Paging
from services.common.routing import api_router
from services.common.settings import Settings
from services.common.types import AreaCode, AreaPath

router = api_router(tags=["users"])


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.post(
    "/v1/users",
    status_code=status.HTTP_201_CREATED,
    response_model=UserCreated,
    summary="Create an account with its grants and send its invite (a one-time code to set a password)",
    responses=problems(UsernameTaken),
)
async def create_user(
    body: UserCreate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    user, invite = await service.create(session, principal, _settings(request), body)
    created = UserCreated(**user.model_dump(), invite=invite)
    response = resource_response(request, created, user.version, status_code=201)
    response.headers["Location"] = f"/v1/users/{user.id}"
    return response


@router.get("/v1/users", response_model=Page[UserPublic], summary="Accounts with a grant inside your areas")
async def list_users(
    session: Session,
    principal: CurrentPrincipal,
    area: AreaCode | None = Query(None, description="Only accounts with a grant inside this area"),
    role: UserRole | None = Query(
        None, description="Only accounts holding this role (inside `area`, if given)"
    ),
    active: bool | None = Query(None, description="Only active (true) or deactivated (false) accounts"),
    page: Paging = FIRST_PAGE,
) -> Page[UserPublic]:
    return await service.list_users(
        session,
        principal,
        area=area,
        role=role,
        active=active,
        page=page,
    )


@router.get(
    "/v1/users/{user_id}",
    response_model=UserPublic,
    summary="One account (its managers and its owner; ETag)",
    openapi_extra=CONDITIONAL_READ,
)
async def get_user(
    user_id: uuid.UUID, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    user = await service.get(session, principal, user_id)
    return resource_response(request, user, user.version)


@router.patch(
    "/v1/users/{user_id}",
    response_model=UserPublic,
    summary="Rename an account (If-Match)",
    openapi_extra=CONDITIONAL_EDIT,
)
async def update_user(
    user_id: uuid.UUID, body: UserUpdate, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    user = await service.update(session, principal, user_id, body, expected_version=expected_version(request))
    return resource_response(request, user, user.version)


@router.post(
    "/v1/users/{user_id}/grants",
    response_model=UserPublic,
    summary="Give an account a grant you may give (200 as it was when it holds it already)",
)
async def add_grant(
    user_id: uuid.UUID, body: Grant, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    user = await service.add_grant(session, principal, user_id, body)
    return resource_response(request, user, user.version)


@router.delete(
    "/v1/users/{user_id}/grants/{role}/{area}",
    response_model=UserPublic,
    summary="Take a grant away (an account keeps at least one: deactivate it instead)",
    responses=problems(LastGrant),
)
async def remove_grant(
    user_id: uuid.UUID,
    role: UserRole,
    area: AreaPath,
    request: Request,
    session: Session,
    principal: CurrentPrincipal,
) -> Response:
    user = await service.remove_grant(session, principal, user_id, role, area)
    return resource_response(request, user, user.version)


@router.post(
    "/v1/users/{user_id}/deactivate",
    response_model=UserPublic,
    summary="Deactivate an account: its sessions end at once, its access tokens stop working",
    responses=problems(OwnAccount),
)
async def deactivate(
    user_id: uuid.UUID, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    user = await service.set_active(session, principal, user_id, active=False)
    return resource_response(request, user, user.version)


@router.post("/v1/users/{user_id}/reactivate", response_model=UserPublic, summary="Reactivate an account")
async def reactivate(
    user_id: uuid.UUID, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    user = await service.set_active(session, principal, user_id, active=True)
    return resource_response(request, user, user.version)


@router.post(
    "/v1/users/{user_id}/codes",
    response_model=CodeSent,
    summary="Send a new one-time code: the invite again, or a password reset (an earlier code stops working)",
)
async def send_code(
    user_id: uuid.UUID, request: Request, session: Session, principal: CurrentPrincipal
) -> CodeSent:
    return await service.send_code(session, principal, _settings(request), user_id)


@router.post(
    "/v1/auth/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Set your password with the one-time code you were sent (no token needed)",
    description="The code works once, until it expires; setting the password ends every other session.",
)
async def set_password(body: PasswordSet, request: Request, session: Session) -> Response:
    await service.set_password_with_code(session, body)
    return Response(status_code=204)


@router.post(
    "/v1/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change your password (the current one first); your other sessions end",
    responses={
        429: {
            "description": "`too-many-requests`: too many wrong passwords for this account or from this "
            "address in the window (counted with the logins'); `Retry-After` says when to try again"
        }
    },
)
async def change_password(
    body: PasswordChange, request: Request, session: Session, principal: CurrentPrincipal
) -> Response:
    address = request.client.host if request.client else None
    await service.change_password(session, principal, body, request.app.state.login_throttle, address)
    return Response(status_code=204)
