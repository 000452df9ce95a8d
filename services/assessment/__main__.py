from services.common.cli import main

main(
    "services.assessment",
    app_factory="services.assessment.app:create_app",
    worker_settings="services.assessment.worker:WorkerSettings",
    default_port=8103,
)
