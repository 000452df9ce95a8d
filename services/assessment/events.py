"""Every event type the assessment service records, gathered from its sub-domains for its app and worker."""

from services.assessment.frameworks import events as frameworks
from services.assessment.lessons import events as lessons
from services.assessment.outcomes import events as outcomes
from services.assessment.recommendations import events as recommendations
from services.assessment.rounds import events as rounds
from services.assessment.teams import events as teams

EVENT_TYPES = (
    *teams.EVENT_TYPES,
    *frameworks.EVENT_TYPES,
    *rounds.EVENT_TYPES,
    *outcomes.EVENT_TYPES,
    *recommendations.EVENT_TYPES,
    *lessons.EVENT_TYPES,
)
