"""arq worker for the funds service: `python -m services.funds worker`."""

from services.common.worker import worker_settings
from services.funds import flows
from services.funds.events import EVENT_TYPES
from services.funds.members.service import ACTIVE_AFTER
from services.funds.reconciliation.tasks import reconciliation_jobs

functions, cron_jobs = reconciliation_jobs()
WorkerSettings = worker_settings(
    "funds",
    functions,
    cron_jobs,
    event_types=EVENT_TYPES,
    readers={"funds-accounts": (flows.follow_accounts, ACTIVE_AFTER)},
)
