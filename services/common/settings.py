"""One settings class for every Khabuan process, read from the environment."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "dev-only-secret-change-me"
DEFAULT_DEMO_PASSWORD = "khabuan-demo"


class InsecureProductionSettings(ValueError):
    """Raised when production mode would start with a default secret or demo accounts."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KHABUAN_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path(".khabuan")

    database_url: str = Field(
        default="",
        validation_alias=AliasChoices("DATABASE_URL", "KHABUAN_DATABASE_URL"),
        description="postgresql://user:pass@host:port/db; set by `make run` in embedded mode",
    )
    redis_url: str = Field(
        default="",
        validation_alias=AliasChoices("REDIS_URL", "KHABUAN_REDIS_URL"),
    )
    db_pool_size: int = 10

    secret_key: str = DEFAULT_SECRET_KEY
    demo_accounts: bool = True
    demo_password: str = DEFAULT_DEMO_PASSWORD

    jwt_issuer: str = "khabuan"
    jwt_audience: str = "khabuan"
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    account_code_ttl_seconds: int = Field(
        default=7 * 24 * 3600, gt=0, description="How long an invite's or a reset's one-time code works"
    )
    client_secret_overlap_seconds: int = Field(
        default=7 * 24 * 3600,
        gt=0,
        description="How long a partner client's previous secret works after a rotation",
    )
    show_account_codes: bool = Field(
        default=False,
        description="Show an invite's or reset's one-time code once to the administrator who made it (for "
        "deployments without SMS or e-mail: they hand it over in person)",
    )
    login_failures_per_account: int = Field(
        default=5, ge=1, description="Wrong passwords for one username within the window before 429"
    )
    login_failures_per_address: int = Field(
        default=30, ge=1, description="Wrong passwords from one address within the window before 429"
    )
    login_failure_window_seconds: int = Field(default=60, gt=0, description="The window those counts are in")
    jwks_url: str = "http://127.0.0.1:8000/.well-known/jwks.json"
    jwks_cache_seconds: int = 300
    token_url: str = Field(
        default="http://127.0.0.1:8000/v1/auth/token",
        description="Where a service gets its own token (client credentials) to call another service",
    )
    peer_timeout_seconds: float = Field(default=5.0, gt=0, description="A call to another service's API")
    signing_key_file: Path | None = None

    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    plans_url: str = "http://127.0.0.1:8101"
    funds_url: str = "http://127.0.0.1:8102"
    assessment_url: str = "http://127.0.0.1:8103"
    upstream_connect_timeout: float = 2.0
    upstream_read_timeout: float = 30.0
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Peers whose X-Forwarded-For names the caller (the edge's address; `*` where only the"
        " edge can reach the process)",
    )
    edge_threads: int | None = Field(
        default=None,
        ge=1,
        description="`make run`: how many cores the edge may run Go code on at once (GOMAXPROCS); unset: half"
        " the machine's, at least one, so it never crowds out the single-threaded processes it feeds",
    )
    edge_health_interval_seconds: float = Field(
        default=2.0, gt=0, description="How often the edge checks each upstream's /health/ready"
    )

    accounts_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The gateway app, whose accounts API (/v1/users) services ask whether a person they are "
        "told of (a committee or team member) is an active user whose grants reach the area",
    )
    geo_url: str = Field(
        default="http://127.0.0.1:8000/v1/geo",
        description="The gateway's geography API; services refresh the province → CODI region map from it",
    )
    geo_refresh_seconds: float = Field(default=60.0, gt=0)

    idempotency_ttl_seconds: int = 24 * 3600
    idempotency_lock_timeout_seconds: int = 60

    events_stream: str = Field(
        default="khabuan:events", description="The Redis stream every relay appends to"
    )
    events_stream_maxlen: int = Field(default=1_000_000, gt=0, description="Approximate cap (XADD MAXLEN ~)")
    events_dedupe_seconds: int = Field(
        default=24 * 3600, gt=0, description="How long the stream refuses a re-sent id"
    )
    events_relay_max_backoff_seconds: float = Field(default=5.0, gt=0)
    outbox_poll_seconds: float = Field(
        default=0.5,
        gt=0,
        description="Relay poll besides LISTEN/NOTIFY (writes NOTIFY only when no earlier event waits: the"
        " poll bounds the delay of one that lands as a batch is being marked)",
    )
    events_linger_seconds: float = Field(
        default=0.05,
        ge=0,
        description="After a part-full batch, the relay and the stream's consumers wait this long before the"
        " next, so a busy stream moves in batches (one event alone still leaves at once)",
    )
    outbox_retention_seconds: int = Field(default=7 * 24 * 3600, gt=0, description="Published rows kept")

    # webhooks (gateway): every schedule and period is a setting, so tests can compress them
    webhook_allow_private: bool | None = Field(
        default=None,
        description="Allow endpoint URLs on loopback/private/link-local addresses and plain http "
        "(unset: allowed outside production, refused in production)",
    )
    webhook_timeout_seconds: float = Field(default=15.0, gt=0, description="One delivery attempt's limit")
    webhook_retry_schedule_seconds: list[float] = Field(
        default=[0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400],
        min_length=1,
        description="Delay before each attempt (the first is immediate); when all fail the message is failed",
    )
    webhook_retry_jitter: float = Field(default=0.2, ge=0, le=1, description="± share of each delay")
    webhook_max_retry_after_seconds: float = Field(default=86400, gt=0, description="Retry-After is capped")
    webhook_disable_after_failing_seconds: float = Field(
        default=5 * 24 * 3600, gt=0, description="An endpoint failing without a success this long is disabled"
    )
    webhook_secret_overlap_seconds: float = Field(
        default=24 * 3600, ge=0, description="After a rotation the old secret signs too, this long"
    )
    webhook_lease_margin_seconds: float = Field(
        default=30.0, gt=0, description="A claimed message is re-sent if its worker is silent this long"
    )
    webhook_max_in_flight: int = Field(default=64, gt=0, description="Concurrent attempts per worker")
    webhook_poll_seconds: float = Field(default=1.0, gt=0, description="Dispatcher poll besides NOTIFY")
    webhook_consumer_min_idle_ms: int = Field(
        default=60_000, gt=0, description="A dead stream consumer's entries are claimed after this"
    )
    webhook_history_retention_seconds: int = Field(
        default=90 * 24 * 3600, gt=0, description="Event log (replay source) and delivery log kept this long"
    )

    # funds
    funds_reconciliation_every_minutes: int = Field(
        default=60,
        ge=1,
        le=60,
        description="How often the funds worker reconciles every ledger, in minutes (best a divisor of 60)",
    )

    worker_poll_seconds: float = Field(
        default=0.1,
        gt=0,
        le=5,
        description="How long an idle worker waits before looking for queued jobs again (arq's poll_delay)",
    )
    max_body_bytes: int = 1024 * 1024
    max_upload_bytes: int = Field(
        default=32 * 1024 * 1024, description="A file uploaded to an upload path (imports), in bytes"
    )
    evidence_max_bytes: int = Field(
        default=10 * 1024 * 1024,
        ge=1,
        description="One evidence file (a photo, minutes, a receipt), in bytes",
    )
    file_store: Literal["local", "s3"] = Field(
        default="local",
        description="Where uploaded files are kept: a folder under the data directory, or S3-compatible",
    )
    s3_endpoint: str | None = Field(
        default=None, description="The S3 API's address (AWS's own when left out)"
    )
    s3_bucket: str = "khabuan-files"
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    problem_base_uri: str = "https://khabuan.dev/problems/"
    metrics_port: int = Field(default=0, description="workers serve /metrics here (0: not at all)")
    log_level: str = "INFO"
    log_json: bool = False

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Settings:
        if self.env != "production":
            return self
        reasons = []
        if self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32:
            reasons.append("KHABUAN_SECRET_KEY is the default or shorter than 32 characters")
        if self.demo_accounts:
            reasons.append("KHABUAN_DEMO_ACCOUNTS must be false (demo accounts are for development)")
        if self.demo_password == DEFAULT_DEMO_PASSWORD and self.demo_accounts:
            reasons.append("KHABUAN_DEMO_PASSWORD is the default")
        if reasons:
            raise InsecureProductionSettings(
                "refusing to start with KHABUAN_ENV=production: " + "; ".join(reasons)
            )
        return self

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def signing_key_path(self) -> Path:
        return self.signing_key_file or self.keys_dir / "jwt-signing-key.pem"

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def webhooks_may_reach_private(self) -> bool:
        if self.webhook_allow_private is None:
            return not self.is_production
        return self.webhook_allow_private


@lru_cache
def get_settings() -> Settings:
    return Settings()
