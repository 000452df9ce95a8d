"""Who may do what with an assessment framework.

- A national, regional or provincial grant, or an evaluator's, covering the framework's area writes and
  edits it; the built-ins are CODI's and read-only (copy one to adapt it).
- Everyone reads frameworks; a partner system reads only inside its grants.
"""

from __future__ import annotations

from services.common.auth import Role

FRAMEWORK_AUTHORS: tuple[Role, ...] = ("national", "regional", "provincial", "evaluator")
