"""Every event type the assessment service records, gathered from its sub-domains for its app and worker."""

from services.assessment.teams import events as teams

EVENT_TYPES = (*teams.EVENT_TYPES,)
