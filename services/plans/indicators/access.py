"""Who may do what with an indicator.

- A national, regional or provincial grant covering the indicator's area defines it, revises it and sets its
  targets.
- Everyone reads indicators, their targets and their rollups; a partner system reads only inside its grants.
"""

from __future__ import annotations

from services.common.auth import Role

INDICATOR_AUTHORS: tuple[Role, ...] = ("national", "regional", "provincial")
