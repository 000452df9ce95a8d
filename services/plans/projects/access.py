"""Who may do what with a province's integrated project.

- A national, regional or provincial grant covering the project's province opens and revises it.
- Everyone reads projects; a partner system reads only inside its grants.
"""

from __future__ import annotations

from services.common.auth import Role

PROJECT_AUTHORS: tuple[Role, ...] = ("national", "regional", "provincial")
