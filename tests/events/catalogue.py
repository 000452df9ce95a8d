"""Every event type Khabuan records, gathered as the processes that record them do."""

from gateway.events import EVENT_TYPES as GATEWAY
from services.assessment.events import EVENT_TYPES as ASSESSMENT
from services.common.events.registry import EventType
from services.funds.events import EVENT_TYPES as FUNDS
from services.plans.events import EVENT_TYPES as PLANS

EVERY_EVENT_TYPE: list[EventType] = sorted(
    (*FUNDS, *PLANS, *ASSESSMENT, *GATEWAY), key=lambda t: (t.name, t.schema_version)
)
