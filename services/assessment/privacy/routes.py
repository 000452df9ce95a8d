from __future__ import annotations

from services.assessment.privacy import repository
from services.common.privacy import privacy_router

router = privacy_router("assessment", repository.held, repository.pseudonymise)
