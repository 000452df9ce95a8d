"""Who may do what with a shared agenda.

- A national, regional or provincial grant covering the agenda's province records and revises it.
- Everyone reads agendas; a partner system reads only inside its grants.
"""

from __future__ import annotations

from services.common.auth import Role

AGENDA_AUTHORS: tuple[Role, ...] = ("national", "regional", "provincial")
