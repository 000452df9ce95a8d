"""People a service is told of by id (a fund's committee, a support team's members): each must be an active
account with a grant covering the area, or the write is 422 at its field.

The check a request makes asks the gateway's accounts API with the service's own token (the gateway down is
503 and nothing is written); seeding and service-level tests, which run before or without a gateway, check
against the accounts they were handed (`known_people`) by the same rule."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request

from services.common import errors
from services.common.auth import Principal
from services.common.geo import covers
from services.common.i18n import Text
from services.common.peers import Peer
from services.common.settings import Settings

Pointer = Callable[[int], str]


class PeopleCheck(Protocol):
    """`await check(user_ids, area, pointer, roles=…)`: 422 at `pointer(i)` for each id that is not fit
    (with `roles`, a grant of one of them is needed: a committee approves as the area's staff)."""

    def __call__(
        self, user_ids: Sequence[str], area: str, pointer: Pointer, *, roles: Iterable[str] | None = None
    ) -> Awaitable[None]: ...


def misfit(
    user_id: str,
    account: Mapping[str, Any] | None,
    area: str,
    *,
    within: bool,
    roles: Iterable[str] | None = None,
) -> Text | None:
    """Why the account cannot serve in `area` (None when it can): none, deactivated, or no grant covering it
    (or, `within`, no grant covering it or inside it: a national team drawn from the provinces), of one of
    `roles` when they are given."""
    if account is None:
        return Text(f"There is no user {user_id}.", f"ไม่พบผู้ใช้ รหัส {user_id}")
    if not account["active"]:
        return Text(f"User {user_id} is deactivated.", f"ผู้ใช้ {user_id} ถูกระงับแล้ว")
    wanted = None if roles is None else frozenset(roles)
    if not any(
        (wanted is None or grant["role"] in wanted)
        and (covers(grant["area"], area) or (within and covers(area, grant["area"])))
        for grant in account["grants"]
    ):
        if wanted is not None:
            named = ", ".join(sorted(wanted))
            return Text(
                f"User {user_id} holds no grant as {named} covering {area}.",
                f"ผู้ใช้ {user_id} ไม่มีสิทธิ์ในบทบาท {named} ที่ครอบคลุมพื้นที่ {area}",
            )
        return Text(
            f"User {user_id} holds no grant {'in or over' if within else 'covering'} {area}.",
            f"ผู้ใช้ {user_id} ไม่มีสิทธิ์{'ในหรือ' if within else ''}ครอบคลุมพื้นที่ {area}",
        )
    return None


def _refuse(misfits: Sequence[tuple[str, Text]]) -> None:
    """422 naming every id that is not fit, each at its field (one alone is also the problem's detail)."""
    if misfits:
        detail = misfits[0][1] if len(misfits) == 1 else None
        found = [{"pointer": pointer, "detail": why} for pointer, why in misfits]
        raise errors.ValidationFailed(detail, extensions={"errors": found})


_peers: dict[tuple[str, str], Peer] = {}


def accounts_check(settings: Settings, caller: str, *, within: bool = False) -> PeopleCheck:
    """The check against the gateway's accounts (one peer, so one cached service token, per caller)."""
    key = (caller, settings.accounts_url)
    if key not in _peers:
        _peers[key] = Peer(settings, caller=caller, name="gateway", base_url=settings.accounts_url)
    accounts = _peers[key]

    async def check(
        user_ids: Sequence[str], area: str, pointer: Pointer, *, roles: Iterable[str] | None = None
    ) -> None:
        misfits = []
        for index, user_id in enumerate(user_ids):
            response = await accounts.get(f"/v1/users/{user_id}")
            if response.status_code not in (200, 404):
                raise errors.ServiceUnavailable(
                    Text(
                        f"The gateway answered {response.status_code} for user {user_id}: nothing was "
                        "written.",
                        f"ระบบบัญชีผู้ใช้ตอบ {response.status_code} สำหรับผู้ใช้ {user_id} จึงยังไม่ได้บันทึก",
                    )
                )
            account = response.json() if response.status_code == 200 else None
            if detail := misfit(user_id, account, area, within=within, roles=roles):
                misfits.append((pointer(index), detail))
        _refuse(misfits)

    return check


def known_people(people: Iterable[Principal], *, within: bool = False) -> PeopleCheck:
    """The check against accounts already in hand (all active), for seeding and service-level tests."""
    accounts = {
        person.subject: {"active": True, "grants": [{"role": g.role, "area": g.area} for g in person.grants]}
        for person in people
    }

    async def check(
        user_ids: Sequence[str], area: str, pointer: Pointer, *, roles: Iterable[str] | None = None
    ) -> None:
        _refuse(
            [
                (pointer(index), detail)
                for index, user_id in enumerate(user_ids)
                if (detail := misfit(user_id, accounts.get(user_id), area, within=within, roles=roles))
            ]
        )

    return check


def _covering(request: Request) -> PeopleCheck:
    return accounts_check(request.app.state.settings, request.app.state.service_name)


def _in_or_over(request: Request) -> PeopleCheck:
    return accounts_check(request.app.state.settings, request.app.state.service_name, within=True)


People = Annotated[PeopleCheck, Depends(_covering)]
"""A route's check of people against the gateway's accounts (a grant covering the area), as its service."""
PeopleInOrOver = Annotated[PeopleCheck, Depends(_in_or_over)]
"""The same, where a grant inside the area serves too (a team's members)."""
