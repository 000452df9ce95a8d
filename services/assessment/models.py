"""Every table of the assessment service, imported once so Alembic and the drift test see them all."""

from services.assessment.frameworks.models import Framework
from services.assessment.lessons.models import Lesson
from services.assessment.outcomes.models import Outcome
from services.assessment.recommendations.models import Recommendation
from services.assessment.rounds.models import Item, Round
from services.assessment.teams.models import Assignment, Member, Team

__all__ = [
    "Assignment",
    "Framework",
    "Item",
    "Lesson",
    "Member",
    "Outcome",
    "Recommendation",
    "Round",
    "Team",
]
