from __future__ import annotations

from services.common.privacy import privacy_router
from services.plans.privacy import repository

router = privacy_router("plans", repository.held, repository.pseudonymise)
