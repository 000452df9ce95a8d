"""Who may import and export an indicator's data.

- A national, regional or provincial grant covering the indicator's area imports into it (an import of
  values is the province's own entry of figures it already checked, e.g. TPMAP's survey: its rows are
  approved values, and rows in a verified or certified period are refused like any entry); the same
  grants, and the area's staff, follow the job.
- Exports are public, like the values and targets they hold; a partner system exports inside its grants.
"""

from __future__ import annotations

from services.common.auth import Role

IMPORTERS: tuple[Role, ...] = ("national", "regional", "provincial")
