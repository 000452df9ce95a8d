"""Who may do what with partners.

- A national, regional or provincial grant covering the partner's area records and revises it.
- Everyone reads partners (they are organisations); a partner system reads only inside its grants.
"""

from __future__ import annotations

from services.common.auth import Role

PARTNER_AUTHORS: tuple[Role, ...] = ("national", "regional", "provincial")
