"""Who may do what with a project's agreement.

- A national, regional or provincial grant covering the project's province records it, amends it (with a
  reason, kept) and adds its signatories.
- Everyone reads agreements, their signatories (organisations) and their amendments.
"""

from __future__ import annotations

from services.common.auth import Role

AGREEMENT_AUTHORS: tuple[Role, ...] = ("national", "regional", "provincial")
