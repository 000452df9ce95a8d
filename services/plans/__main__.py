from services.common.cli import main

main(
    "services.plans",
    app_factory="services.plans.app:create_app",
    worker_settings="services.plans.worker:WorkerSettings",
    default_port=8101,
)
