"""Who may do what with a policy recommendation.

- The national, regional or provincial staff of its area, and the members of an outcome team assigned
  there, propose it and move it on (submitted, accepted, implemented or rejected, each dated with a note).
- Everyone reads every recommendation and its history: which community results reached policy is public.
"""

from __future__ import annotations

from services.common.auth import Role

RECOMMENDERS: tuple[Role, ...] = ("national", "regional", "provincial")
