"""Each domain's event types, named as partners expect, published with the payload it records."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI

from services.assessment.app import create_app as assessment_app
from services.common.events.published import EVENT_EXTENSION, webhook_name
from services.common.events.registry import EventType, current, register
from services.funds.app import create_app as funds_app
from services.funds.funds.events import FUND_CREATED, FundData
from services.funds.funds.models import FundKind
from services.plans.app import create_app as plans_app
from tests.events.catalogue import EVERY_EVENT_TYPE

# past tense: regular (-ed) or one of the irregular verbs Khabuan's events use (and `overdue`, reached)
TYPE_NAME = re.compile(r"[a-z_]+(\.[a-z_]+)?\.([a-z_]+ed|paid|sent|held|made|run|won|lost|set|overdue)")


def test_every_event_type_is_dotted_past_tense_with_a_versioned_json_schema() -> None:
    assert {t.name for t in EVERY_EVENT_TYPE} >= {
        "fund.created",
        "fund.updated",
        "strategy.created",
        "strategy.updated",
        "goal.created",
        "plan.created",
        "plan.updated",
        "agenda.created",
        "project.created",
        "project.progress.changed",
        "milestone.created",
        "indicator.value.approved",
        "indicator.period.verified",
        "indicator.period.certified",
        "forum.resolution.adopted",
        "forum.action.overdue",
        "import.completed",
        "team.created",
        "team.updated",
        "round.opened",
        "round.closed",
        "round.published",
        "assessment.item.flagged",
        "lesson.published",
        "outcome.published",
        "recommendation.status_changed",
    }
    for event_type in EVERY_EVENT_TYPE:
        assert TYPE_NAME.fullmatch(event_type.name), event_type.name
        # the aggregate names the type (a two-word aggregate, webhook_endpoint, is written webhook.endpoint)
        assert event_type.name.startswith(event_type.aggregate_type.replace("_", ".") + ".")
        assert event_type.schema_version >= 1
        schema = event_type.data.model_json_schema()
        assert schema["type"] == "object"
        assert "created_by" not in schema["properties"]


def test_a_payload_lists_its_domains_enum_values_in_its_own_schema() -> None:
    kind = FundData.model_json_schema()["properties"]["kind"]

    assert kind["enum"] == [k.value for k in FundKind]
    assert "$ref" not in kind


@pytest.mark.parametrize("create_app", [funds_app, plans_app, assessment_app])
def test_a_service_publishes_each_type_it_records_with_the_payload_schema_it_validates(
    create_app: Any,
) -> None:
    app: FastAPI = create_app()
    webhooks = app.openapi()["webhooks"]

    for name, item in webhooks.items():
        facts = item["post"][EVENT_EXTENSION]
        recorded = current(facts["type"])  # building the app registered it
        assert webhook_name(recorded) == name
        assert facts["schema_version"] == recorded.schema_version
        assert facts["aggregate_type"] == recorded.aggregate_type
        assert facts["data_schema"] == recorded.data.model_json_schema()


def test_registering_a_second_different_type_of_one_name_and_version_is_refused() -> None:
    register(FUND_CREATED)  # the same again is fine

    with pytest.raises(ValueError, match="registered twice"):
        register(EventType("fund.created", "fund", 1, FundData, "Another", "อื่น"))
