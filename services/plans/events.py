"""Every event type the plans service records, gathered from its sub-domains for its app and worker."""

from services.plans.projects import events as projects
from services.plans.strategies import events as strategies

EVENT_TYPES = (*strategies.EVENT_TYPES, *projects.EVENT_TYPES)
