from __future__ import annotations

from services.common.resources import Shown
from services.common.types import AreaCode, Name, Paragraph, PatchModel, RequestBody
from services.plans.partners.models import PartnerBase, Sector


class PartnerCreate(RequestBody):
    """An organisation (never a person: partners are public)."""

    name_th: Name
    name_en: Name | None = None
    sector: Sector
    area_code: AreaCode
    description: Paragraph = ""


class PartnerUpdate(PatchModel):
    """Fields left out stay as they are; a partner stays in its area."""

    name_th: Name | None = None
    name_en: Name | None = None
    sector: Sector | None = None
    description: Paragraph | None = None


class PartnerPublic(Shown, PartnerBase):
    pass
