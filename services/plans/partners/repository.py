"""Partners as stored."""

from __future__ import annotations

from services.common.i18n import Text
from services.common.resources import AreaResource
from services.plans.partners.models import Partner
from services.plans.partners.schemas import PartnerPublic

PARTNERS = AreaResource(
    model=Partner,
    public=PartnerPublic,
    area_field="area_code",
    what=Text("partner", "ภาคี"),
    aggregate="partner",
)
