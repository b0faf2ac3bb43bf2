"""Settings, read once by get_settings() and passed in; never read at import time."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything is optional: with no configuration faturas runs embedded in one data folder."""

    model_config = SettingsConfigDict(env_prefix="FATURAS_", env_file=None, extra="ignore")

    data_dir: Path = Field(default=Path("faturas-data"), description="Embedded mode: database, files, queue.")
    database_url: str | None = Field(default=None, description="Default: SQLite in data_dir.")
    queue_url: str | None = Field(default=None, description="redis://… selects BullMQ; default: embedded.")
    storage_url: str | None = Field(default=None, description="s3://bucket/prefix; default: data_dir/files.")
    s3_endpoint_url: str | None = Field(default=None, description="For S3-compatible stores (MinIO, moto).")

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=2, ge=1, description="Bills processed at once (processes).")

    auth: str = Field(
        default="auto",
        pattern="^(auto|on|off)$",
        description="Login: on (always), off (loopback only), auto (on when users exist or host is not loopback).",
    )
    session_secret: SecretStr | None = Field(
        default=None, description="Signs session cookies; default: generated once into data_dir/session_secret."
    )
    session_max_age_seconds: int = Field(default=12 * 3600, gt=0, description="A login lasts this long.")
    cookie_secure: str = Field(
        default="auto", pattern="^(auto|always|never)$", description="Secure cookies: auto = when served over https."
    )
    upload_rate_per_minute: float = Field(
        default=300, ge=0, description="Uploads per minute per user or token when login is on (0: no limit)."
    )
    upload_rate_burst: int = Field(default=60, ge=1, description="Uploads allowed at once before the rate applies.")

    max_upload_bytes: int = Field(default=25 * 1024 * 1024, ge=1)
    max_pages: int = Field(default=200, ge=1)
    max_files_per_upload: int = Field(default=100, ge=1, description="Files in one upload request.")
    max_request_bytes: int = Field(
        default=100 * 1024 * 1024, ge=1, description="One upload request, all files together (checked as it streams)."
    )
    job_timeout_seconds: float = Field(default=120, gt=0)
    job_memory_limit_mb: int = Field(
        default=1024, ge=0, description="Address space of each extraction process (0: no limit); past it: too_large."
    )
    job_max_attempts: int = Field(default=5, ge=1)

    job_lease_seconds: float = Field(
        default=30,
        gt=0,
        description="Embedded queue: a running job whose lease is not renewed this long is taken up again.",
    )
    retry_base_seconds: float = Field(
        default=2, gt=0, description="Transient failures wait 2 s, 4 s, 8 s… (doubling) before the next attempt."
    )
    ocr_enabled: bool = Field(default=True, description="Workers OCR pages without a text layer (scanned bills).")
    poll_interval_seconds: float = Field(default=1.0, gt=0, description="Embedded queue: idle workers look again.")

    log_format: str = Field(default="text", pattern="^(text|json)$")

    queue_name: str = Field(default="faturas-jobs", min_length=1, description="BullMQ queue name.")
    queue_lock_seconds: float = Field(
        default=30, gt=0, description="BullMQ: a job whose worker stops renewing its lock this long is stalled."
    )
    sweep_interval_seconds: float = Field(
        default=30, gt=0, description="BullMQ: how often queued jobs missing from Redis are enqueued again."
    )

    webhook_timeout_seconds: float = Field(default=10, gt=0, description="Webhooks: time limit of one POST.")
    webhook_retry_base_seconds: float = Field(
        default=30, gt=0, description="Webhooks: a failed delivery waits 30 s, 60 s, 120 s… (doubling) before retrying."
    )
    webhook_retry_max_delay_seconds: float = Field(default=3600, gt=0, description="Webhooks: longest wait.")
    webhook_retry_hours: float = Field(default=24, gt=0, description="Webhooks: a delivery is retried this long.")
    webhook_max_attempts: int = Field(default=30, ge=1, description="Webhooks: attempts before giving up.")
    webhook_disable_after_failures: int = Field(
        default=20, ge=1, description="Webhooks: consecutive failed attempts that disable a subscription."
    )
    webhook_disable_after_hours: float = Field(
        default=24, gt=0, description="Webhooks: a subscription failing without a success this long is disabled."
    )
    webhook_poll_seconds: float = Field(default=1.0, gt=0, description="Webhooks: idle dispatchers look again.")
    webhook_concurrency: int = Field(default=4, ge=1, description="Webhooks: deliveries sent at once per dispatcher.")

    @model_validator(mode="after")
    def _refuse_contradictions(self) -> Settings:
        if self.queue_url is not None and not self.queue_url.startswith(("redis://", "rediss://")):
            raise ValueError(f"FATURAS_QUEUE_URL must be a redis:// URL (BullMQ), got {self.queue_url!r}")
        if self.storage_url is not None and not self.storage_url.startswith(("s3://", "file://")):
            raise ValueError(
                f"FATURAS_STORAGE_URL must be s3://bucket/prefix or file:///path, got {self.storage_url!r}"
            )
        if self.queue_url is not None and self.resolved_database_url.startswith("sqlite"):
            raise ValueError(
                "FATURAS_QUEUE_URL (BullMQ) needs a shared database: set FATURAS_DATABASE_URL to PostgreSQL"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'faturas.db').resolve()}"

    @property
    def embedded_queue(self) -> bool:
        return self.queue_url is None


def get_settings() -> Settings:
    return Settings()
