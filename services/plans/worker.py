"""arq worker for the plans service: `python -m services.plans worker`."""

from arq import cron

from services.common.worker import worker_settings
from services.plans.events import EVENT_TYPES
from services.plans.forums.tasks import announce_overdue_actions
from services.plans.imports.tasks import run_import
from services.plans.payments import service as payments

WorkerSettings = worker_settings(
    "plans",
    functions=[run_import],
    cron_jobs=[cron(announce_overdue_actions, minute={7}, run_at_startup=True)],
    event_types=EVENT_TYPES,
    readers={"plans-payments": (payments.record, payments.STATUS_OF)},
)
