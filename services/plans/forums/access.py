"""Who may do what with central-space forums.

- A national, regional, provincial or tambon grant covering the forum's area records it, its resolutions
  and their follow-up actions, and revises them.
- Everyone reads forums, resolutions and actions; attendees' names are shown to the area's staff only.
"""

from __future__ import annotations

from services.common.auth import Principal, Role

FORUM_AUTHORS: tuple[Role, ...] = ("national", "regional", "provincial", "tambon")
STAFF: tuple[Role, ...] = (*FORUM_AUTHORS, "evaluator")


def sees_names(principal: Principal | None, area: str) -> bool:
    return principal is not None and principal.may(STAFF, area)
