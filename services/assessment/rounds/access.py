"""Who may do what in an assessment round.

- The national, regional or provincial staff of a round's area write it, open, close and publish it.
- The community scores itself: tambon and provincial users covering the item's area (the self side).
- The team side is scored by the round's team's members, only where that team is assigned (an area covering
  the item's) and never by the area's own community (a member who may score its self side); they submit an
  item once both sides are in. The team's lead reviews it.
- Until a round is published only its area's staff (those whose grants cover any of it) and its team see it;
  once published, its round and its published items are public.
"""

from __future__ import annotations

from services.common.auth import Principal, Role
from services.common.geo import covers

ROUND_KEEPERS: tuple[Role, ...] = ("national", "regional", "provincial")
SELF_SCORERS: tuple[Role, ...] = ("provincial", "tambon")
ROUND_READERS: tuple[Role, ...] = (*ROUND_KEEPERS, "tambon", "evaluator")


def sees_inside(principal: Principal, area: str) -> bool:
    """One of the principal's reader grants covers `area` or lies inside it (a tambon user sees its
    province's round)."""
    return any(
        grant.role in ROUND_READERS and (covers(grant.area, area) or covers(area, grant.area))
        for grant in principal.grants
    )
