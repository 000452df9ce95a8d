"""Who may subscribe, and which events reach a subscriber: only those inside its grants' areas.

Scope is read from the owner's current grants at fan-out (gateway.users / gateway.clients), so a grant
taken away stops deliveries at once. Events about webhook endpoints go only to their owner.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, false, or_

from services.common import errors
from services.common.auth import Principal, Role
from services.common.geo import covers
from services.common.geo.queries import within_area
from services.common.i18n import Text

SUBSCRIBER_ROLES: tuple[Role, ...] = ("national", "regional", "provincial", "partner")
ENDPOINT_AGGREGATE = "webhook_endpoint"
TESTED = "webhook.endpoint.tested"


def subscriber_areas(grants: Iterable[Mapping[str, Any]]) -> list[str]:
    return [grant["area"] for grant in grants if grant.get("role") in SUBSCRIBER_ROLES]


def require_subscriber(principal: Principal) -> list[str]:
    """The areas a principal may subscribe to; 403 for roles that may not subscribe at all."""
    areas = [grant.area for grant in principal.grants if grant.role in SUBSCRIBER_ROLES]
    if principal.kind == "service" or not areas:
        raise errors.Forbidden(
            Text(
                "Webhook subscriptions are for national, regional and provincial users and partner systems.",
                "การสมัครรับ webhook ใช้ได้กับผู้ใช้ระดับประเทศ ภาค จังหวัด และระบบภาคีเท่านั้น",
            )
        )
    return areas


def owner_area(principal: Principal) -> str:
    """The area a subscriber's own endpoint events are filed under (its first subscribing grant)."""
    return require_subscriber(principal)[0]


def in_scope(areas: Sequence[str], event_area: str) -> bool:
    return any(covers(area, event_area) for area in areas)


def in_scope_sql(column: Any, areas: Sequence[str]) -> ColumnElement[bool]:
    """`in_scope` as a SQL filter (for replays over the event log)."""
    if not areas:
        return false()
    return or_(*(within_area(column, area) for area in areas))
