"""All configuration, read once from the environment (prefix RECRUITMENT_, plus DATABASE_URL)."""

from functools import cached_property
from pathlib import Path
from typing import Literal

from platformdirs import user_data_path
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RECRUITMENT_", extra="ignore")

    database_url: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "RECRUITMENT_DATABASE_URL"),
        description="postgresql+asyncpg://... ; unset: an embedded PostgreSQL in data_dir.",
    )
    data_dir: Path = Field(
        default_factory=lambda: user_data_path("recruitment"),
        description="Where the embedded PostgreSQL keeps its data when DATABASE_URL is unset.",
    )
    database_pool_size: int = Field(default=10, ge=1, le=200)
    database_connect_timeout_seconds: float = Field(default=5.0, gt=0)
    contracts_dir: Path = REPOSITORY_ROOT / "contracts"
    migrations_dir: Path = REPOSITORY_ROOT / "migrations"
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Where workers reach the service: used in contract links and QR codes.",
    )
    program_name: str = Field(
        default="Fair Food Program", description="The program named on every contract."
    )
    complaint_line: str | None = Field(
        default=None,
        description="The program's 24/7 complaint line, printed on contracts whose job order "
        "names none. Contracts are refused while neither is known: never a made-up number.",
    )
    in_process_worker: bool = Field(
        default=False,
        description="Run a job-queue worker inside the service (what `serve` does by default).",
    )
    renderer_processes: int = Field(default=2, ge=1, le=32)
    render_timeout_seconds: float = Field(default=60.0, gt=0)
    max_request_body_bytes: int = 1024 * 1024
    public_page_requests_per_minute: int = Field(
        # Many workers may share one address: an SNE office's or a consulate waiting room's
        # network. A verification code is 40 random bits and its page shows no worker.
        default=300,
        ge=1,
        description="How many requests each client address may make per minute to the public "
        "contract pages (the worker's link /c/..., /verify/...); more are answered 429.",
    )
    interview_coverage_target: float = Field(
        default=0.5,
        gt=0,
        lt=1,
        description="The share of a grower's roster an audit must interview, more than which "
        "meets the program's target (0.5: a majority). Each audit keeps the target it began with.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    debug: bool = False

    @cached_property
    def uses_embedded_database(self) -> bool:
        return self.database_url is None
