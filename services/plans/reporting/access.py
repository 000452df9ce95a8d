"""Who may do what in an indicator's data chain (every check is made here, in the service, against the
area of the tambon or province concerned).

- Data is entered, as a draft or submitted, by a tambon, provincial, regional or national grant covering the
  tambon; only its author revises and submits it.
- An update is approved or returned by any of those grants covering the tambon, never by its author
  (maker-checker).
- A tambon's period is verified by a tambon grant covering it, and sent back by a provincial grant covering
  its province, until the province certifies.
- A province's period is certified by a provincial grant covering it; a certified period is reopened only by
  a national grant, with a reason.
- Values, period states and rollups are public; who did what (and the reasons given) is shown to the area's
  staff only, and updates (drafts, notes, evidence) only to them. Partner systems read, inside their grants,
  and can do none of the above.
"""

from __future__ import annotations

from services.common.auth import Principal, Role

DATA_ENTRY: tuple[Role, ...] = ("tambon", "provincial", "regional", "national")
UPDATE_REVIEWERS: tuple[Role, ...] = DATA_ENTRY
VERIFIERS: tuple[Role, ...] = ("tambon",)
SENDERS_BACK: tuple[Role, ...] = ("provincial",)
CERTIFIERS: tuple[Role, ...] = ("provincial",)
REOPENERS: tuple[Role, ...] = ("national",)
STAFF: tuple[Role, ...] = (*DATA_ENTRY, "evaluator")


def is_staff(principal: Principal | None, area: str) -> bool:
    """Whether the caller sees who did what in `area` (and the updates behind its values)."""
    return principal is not None and principal.may(STAFF, area)


def may(principal: Principal | None, roles: tuple[Role, ...], area: str) -> bool:
    return principal is not None and principal.may(roles, area)
