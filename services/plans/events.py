"""Every event type the plans service records, gathered from its sub-domains for its app and worker."""

from services.plans.agendas import events as agendas
from services.plans.agreements import events as agreements
from services.plans.forums import events as forums
from services.plans.imports import events as imports
from services.plans.indicators import events as indicators
from services.plans.partners import events as partners
from services.plans.projects import events as projects
from services.plans.reporting import events as reporting
from services.plans.strategies import events as strategies

EVENT_TYPES = (
    *strategies.EVENT_TYPES,
    *agendas.EVENT_TYPES,
    *projects.EVENT_TYPES,
    *indicators.EVENT_TYPES,
    *reporting.EVENT_TYPES,
    *imports.EVENT_TYPES,
    *partners.EVENT_TYPES,
    *agreements.EVENT_TYPES,
    *forums.EVENT_TYPES,
)
