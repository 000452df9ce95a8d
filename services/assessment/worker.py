"""arq worker for the assessment service: `python -m services.assessment worker`."""

from services.common.worker import worker_settings

WorkerSettings = worker_settings("assessment")
