"""Who may do what with evidence files (the rules of the update they back).

- An update's author gives it files while it is a draft or returned and its tambon's period is open.
- The area's staff (who see updates) see and download its files; nobody else does, partner systems
  included: photos and minutes may show people.
"""

from __future__ import annotations

from services.plans.reporting.access import STAFF

EVIDENCE_READERS = STAFF
