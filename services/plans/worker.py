"""arq worker for the plans service: `python -m services.plans worker`."""

from services.common.worker import worker_settings
from services.plans.events import EVENT_TYPES

WorkerSettings = worker_settings("plans", event_types=EVENT_TYPES)
