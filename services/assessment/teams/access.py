"""Who may do what with a support team.

- A national, regional or provincial grant covering the team's area forms and renames it.
- Everyone reads teams; a partner system reads only inside its grants.
"""

from __future__ import annotations

from services.common.auth import Role

TEAM_FORMERS: tuple[Role, ...] = ("national", "regional", "provincial")
