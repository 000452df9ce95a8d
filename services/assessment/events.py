"""Every event type the assessment service records, gathered from its sub-domains for its app and worker."""

from services.assessment.frameworks import events as frameworks
from services.assessment.lessons import events as lessons
from services.assessment.rounds import events as rounds
from services.assessment.teams import events as teams

EVENT_TYPES = (*teams.EVENT_TYPES, *frameworks.EVENT_TYPES, *rounds.EVENT_TYPES, *lessons.EVENT_TYPES)
