"""Who may do what with a people's strategy.

- A national, regional or provincial grant covering the strategy's province records and revises it.
- Everyone reads strategies; a partner system reads only inside its grants.
"""

from __future__ import annotations

from services.common.auth import Role

STRATEGY_AUTHORS: tuple[Role, ...] = ("national", "regional", "provincial")
