"""Who may do what with a fund, and who may see the people behind it.

- The area's staff (a national, regional, provincial or tambon grant covering the fund's area) open and
  change funds, record contributions, request disbursements and reversals, and record payments.
- Approving, rejecting and cancelling need the area's staff grant too, and approving and rejecting need a
  seat on the fund's committee; nobody approves their own request.
- Everyone reads funds, balances, requests and the ledger. People (committee members, requesters,
  approvers, individual payees and contributors) are shown only to the area's staff and to services;
  the public sees "individual" and counts.
"""

from __future__ import annotations

from services.common.auth import Principal, Role

FUND_STAFF: tuple[Role, ...] = ("national", "regional", "provincial", "tambon")


def may_see_people(principal: Principal | None, area_code: str) -> bool:
    """Whether this caller may see who acted and who was paid (PDPA: people are not public data)."""
    if principal is None:
        return False
    if principal.kind == "service":
        return True
    return principal.kind == "user" and principal.may(FUND_STAFF, area_code)
