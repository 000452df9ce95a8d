"""Who may do what with a support team.

- A national, regional or provincial grant covering the team's area forms and renames it.
- The same grants put people on a team (in a role) and assign it to areas inside its own.
- Everyone reads teams and where they are assigned; a partner system reads only inside its grants. Who is
  on a team (accounts' ids) is for the staff of its area and its own members.
- An evaluator acts (scores a round, records an outcome) only in an area a team of theirs is assigned to.
"""

from __future__ import annotations

from services.common.auth import Role

TEAM_FORMERS: tuple[Role, ...] = ("national", "regional", "provincial")
TEAM_READERS: tuple[Role, ...] = (*TEAM_FORMERS, "tambon", "evaluator")
