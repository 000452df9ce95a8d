"""The event catalogue lists every type with its payload schema, and stays in step with the services."""

from __future__ import annotations

import re
import typing

from services.assessment.teams.models import TeamKind
from services.common.events import catalogue
from services.funds.funds.models import FundKind

# past tense: regular (-ed) or one of the irregular verbs Khabuan's events use
TYPE_NAME = re.compile(r"[a-z_]+(\.[a-z_]+)?\.([a-z_]+ed|paid|sent|held|made|run|won|lost|set)")


def test_every_event_type_is_dotted_past_tense_with_a_versioned_json_schema() -> None:
    types = catalogue.event_types()

    assert {t.name for t in types} >= {
        "fund.created",
        "fund.updated",
        "strategy.created",
        "strategy.updated",
        "team.created",
        "team.updated",
    }
    for event_type in types:
        assert TYPE_NAME.fullmatch(event_type.name), event_type.name
        # the aggregate names the type (a two-word aggregate, webhook_endpoint, is written webhook.endpoint)
        assert event_type.name.startswith(event_type.aggregate_type.replace("_", ".") + ".")
        assert event_type.schema_version >= 1
        schema = event_type.data.model_json_schema()
        assert schema["type"] == "object"
        assert "created_by" not in schema["properties"]


def test_the_catalogue_kinds_are_the_services_kinds() -> None:
    assert set(typing.get_args(catalogue.FundKindValue)) == {k.value for k in FundKind}
    assert set(typing.get_args(catalogue.TeamKindValue)) == {k.value for k in TeamKind}
