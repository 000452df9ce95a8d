"""What a score rests on, checked against the owning service's API (never its tables) with the assessment
service's own token: an unknown id is 422 naming it; the owner out of reach is 503 and nothing is written."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from services.assessment.rounds.schemas import Evidence, IndicatorValueEvidence
from services.common import errors
from services.common.i18n import Text
from services.common.peers import Peer

_WHAT = {
    "indicator": (Text("indicator", "ตัวชี้วัด"), "/v1/indicators/{id}"),
    "indicator_value": (
        Text("indicator", "ตัวชี้วัด"),
        "/v1/indicators/{id}/periods/{period}/provinces/{province_code}",
    ),
    "project": (Text("project", "โครงการ"), "/v1/projects/{id}"),
}


def plans_peer(request: Request) -> Peer:
    """The plans service as this app's settings name it, one per app (it keeps its token)."""
    state = request.app.state
    if getattr(state, "plans_peer", None) is None:
        settings = state.settings
        state.plans_peer = Peer(settings, caller="assessment", name="plans", base_url=settings.plans_url)
    peer: Peer = state.plans_peer
    return peer


async def checked(plans: Peer, refs: list[Evidence], *, pointer: str) -> list[dict[str, Any]]:
    """The references as stored, each found in plans (an indicator value with whether it is certified)."""
    stored: list[dict[str, Any]] = []
    for index, ref in enumerate(refs):
        what, path = _WHAT[ref.kind]
        fields = ref.model_dump(mode="json")
        response = await plans.get(path.format(**fields))
        if response.status_code == 404:
            raise errors.at_field(
                errors.ValidationFailed,
                f"{pointer}/{index}/id",
                Text(
                    f"There is no {what.en} {ref.id} in plans" + _where(ref, "en") + ".",
                    f"ไม่พบ{what.th} รหัส {ref.id} ในระบบแผนงาน" + _where(ref, "th"),
                ),
            )
        if response.status_code != 200:
            raise errors.at_field(
                errors.ValidationFailed,
                f"{pointer}/{index}",
                Text(
                    f"Plans refused {what.en} {ref.id} ({response.status_code}).",
                    f"ระบบแผนงานไม่รับ{what.th} รหัส {ref.id} ({response.status_code})",
                ),
            )
        if isinstance(ref, IndicatorValueEvidence):
            fields["certified"] = response.json().get("status") == "certified"
        stored.append(fields)
    return stored


def _where(ref: Evidence, language: str) -> str:
    if not isinstance(ref, IndicatorValueEvidence):
        return ""
    if language == "en":
        return f" for province {ref.province_code} in {ref.period}"
    return f" ของจังหวัด {ref.province_code} งวด {ref.period}"
