"""arq worker for the plans service: `python -m services.plans worker`."""

from services.common.worker import worker_settings

WorkerSettings = worker_settings("plans")
