"""Who may manage whose account, and which grants a person may give.

- Staff roles rank national > regional > provincial > tambon; an evaluator ranks with tambon.
- A grant `{role, area}` is given or taken away only by someone holding a national, regional or provincial
  grant that covers `area` and ranks at least as high as `role` (a provincial admin of 93 grants provincial,
  tambon or evaluator inside 93; never national, never anything in 18).
- An account is managed (renamed, deactivated, sent a new code) only by someone who could give every grant
  it holds, so nobody locks out a person whose reach is wider than their own.
- Each role names one level of area: national → TH, regional → a CODI region, provincial → a province,
  tambon → a tambon; an evaluator works in any area. Partner systems are clients, not people (`/v1/clients`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from services.common import errors
from services.common.auth import Principal, Role
from services.common.geo import area_level, covers
from services.common.geo.areas import AreaLevel
from services.common.i18n import Text

USER_ROLES: tuple[Role, ...] = ("national", "regional", "provincial", "tambon", "evaluator")
ADMIN_ROLES: tuple[Role, ...] = ("national", "regional", "provincial")
RANK: Mapping[str, int] = {
    "national": 4,
    "regional": 3,
    "provincial": 2,
    "tambon": 1,
    "evaluator": 1,
    "partner": 1,  # a partner system's (a client's, /v1/clients)
}
LEVEL_OF_ROLE: Mapping[str, AreaLevel | None] = {
    "national": "country",
    "regional": "region",
    "provincial": "province",
    "tambon": "tambon",
    "evaluator": None,
    "partner": None,
}


def may_give(principal: Principal, role: str, area: str) -> bool:
    return any(
        grant.role in ADMIN_ROLES and RANK[grant.role] >= RANK[role] and covers(grant.area, area)
        for grant in principal.grants
    )


def require_giver(principal: Principal, role: str, area: str) -> None:
    """403 unless the principal may give (or take away) `role` over `area`."""
    if principal.kind == "user" and may_give(principal, role, area):
        return
    raise errors.Forbidden(
        Text(
            f"Your grants do not let you give the role {role} in {area}.",
            f"สิทธิ์ของคุณให้บทบาท {role} ในพื้นที่ {area} ไม่ได้",
        ),
        extensions={"role": role, "area_code": area},
    )


def require_manager(principal: Principal, grants: Iterable[Mapping[str, Any]]) -> None:
    """403 unless the principal could give every grant the account holds."""
    for grant in grants:
        require_giver(principal, grant["role"], grant["area"])


def admin_areas(principal: Principal) -> list[str]:
    """The areas whose accounts the principal may see: those of their national, regional and provincial
    grants (none for anyone else)."""
    if principal.kind != "user":
        return []
    return [grant.area for grant in principal.grants if grant.role in ADMIN_ROLES]


def fits_level(role: str, area: str) -> bool:
    wanted = LEVEL_OF_ROLE[role]
    return wanted is None or area_level(area) == wanted
