"""arq worker for the assessment service: `python -m services.assessment worker`."""

from services.assessment import certified
from services.assessment.events import EVENT_TYPES
from services.assessment.rounds.tasks import build_round_report
from services.common.worker import worker_settings

WorkerSettings = worker_settings(
    "assessment",
    functions=[build_round_report],
    event_types=EVENT_TYPES,
    readers={"assessment-evidence": (certified.record, certified.CERTIFIED_BY)},
)
