from services.common.cli import main

main(
    "services.funds",
    app_factory="services.funds.app:create_app",
    worker_settings="services.funds.worker:WorkerSettings",
    default_port=8102,
)
