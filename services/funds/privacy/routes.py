from __future__ import annotations

from services.common.privacy import privacy_router
from services.funds.privacy import repository

router = privacy_router("funds", repository.held, repository.pseudonymise)
