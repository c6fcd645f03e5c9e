"""All configuration, read once from the environment (prefix RECRUITMENT_, plus DATABASE_URL)."""

import ipaddress
import socket
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from platformdirs import user_data_path
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from recruitment.locations import CONTRACTS_DIR, MIGRATIONS_DIR

# One format for every line the service logs: its own, the framework's, uvicorn's.
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


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
    contracts_dir: Path = CONTRACTS_DIR
    migrations_dir: Path = MIGRATIONS_DIR
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Where workers reach the service: used in contract links and QR codes. "
        "Unset, `serve` derives it from its --host and --port.",
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


def base_url_of(host: str, port: int) -> str:
    """Where a service listening on `host`:`port` is reached: all interfaces (0.0.0.0, ::) are
    reached by this machine's name, which is the best guess short of being told."""
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - naming the address, not binding to it
        host = socket.getfqdn()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def is_loopback_url(url: str) -> bool:
    """Whether only the machine the service runs on can open `url`."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
