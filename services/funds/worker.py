"""arq worker for the funds service: `python -m services.funds worker`."""

from services.common.worker import worker_settings

WorkerSettings = worker_settings("funds")
