"""The `recruitment` command against a database of its own (it commits, unlike the API tests)."""

import gc
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from recruitment.cli import main
from recruitment.heap import BATCH_FIRST_GENERATION_THRESHOLD, FIRST_GENERATION_THRESHOLD
from tests.databases import throwaway_database


@pytest.fixture
async def cli_database_url(database_server_url: str) -> AsyncIterator[str]:
    async with throwaway_database(database_server_url, "recruitment_cli") as url:
        yield url


def run(url: str, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    return result.output


def test_keys_are_created_listed_and_revoked(cli_database_url: str) -> None:
    created = run(cli_database_url, "keys", "create", "--role", "staff", "--label", "council")
    key_id = re.search(r"id:\s+(\S+)", created).group(1)  # type: ignore[union-attr]
    key = re.search(r"key:\s+(\S+)", created).group(1)  # type: ignore[union-attr]
    listed = run(cli_database_url, "keys", "list")
    assert key_id in listed
    assert "active" in listed
    assert key not in listed, "a key is shown only once"
    run(cli_database_url, "keys", "revoke", key_id)
    assert "revoked" in run(cli_database_url, "keys", "list")


def test_a_grower_key_needs_a_grower(cli_database_url: str) -> None:
    result = CliRunner().invoke(
        main, ["keys", "create", "--role", "grower"], env={"DATABASE_URL": cli_database_url}
    )
    assert result.exit_code != 0
    assert "--grower" in result.output


def test_a_buyer_key_needs_a_registered_buyer(cli_database_url: str) -> None:
    env = {"DATABASE_URL": cli_database_url}
    without = CliRunner().invoke(main, ["keys", "create", "--role", "buyer"], env=env)
    assert without.exit_code != 0
    assert "--buyer" in without.output
    unknown = CliRunner().invoke(
        main,
        ["keys", "create", "--role", "buyer", "--buyer", "00000000-0000-4000-8000-000000000000"],
        env=env,
    )
    assert unknown.exit_code != 0
    assert "No buyer" in unknown.output


def test_db_current_reports_up_to_date_after_upgrade(cli_database_url: str) -> None:
    run(cli_database_url, "db", "upgrade")
    assert "up to date" in run(cli_database_url, "db", "current")


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["serve"],
        ["db"],
        ["keys"],
        ["keys", "create"],
        ["wage-rates", "import"],
        ["meal-charges", "import"],
    ],
)
def test_every_command_explains_itself(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.splitlines()) > 3


@pytest.mark.parametrize(
    ("command", "first_generation_threshold"),
    [
        (["serve"], FIRST_GENERATION_THRESHOLD),
        (["import", "roster"], BATCH_FIRST_GENERATION_THRESHOLD),
        (["verify"], BATCH_FIRST_GENERATION_THRESHOLD),
        (["worker"], BATCH_FIRST_GENERATION_THRESHOLD),
    ],
)
def test_the_collector_is_tuned_for_requests_when_serving_and_for_batches_otherwise(
    command: list[str], first_generation_threshold: int
) -> None:
    before = gc.get_threshold()
    try:
        CliRunner().invoke(main, [*command, "--help"])
        assert gc.get_threshold()[0] == first_generation_threshold
    finally:
        gc.set_threshold(*before)


def test_wage_rates_are_loaded_once_from_the_command_line(
    cli_database_url: str, tmp_path: Path
) -> None:
    table = tmp_path / "aewr_2026.csv"
    table.write_text("state,soc_code,skill_level,hourly_usd\nFL,45-2092,I,17.50\n", "utf-8")
    arguments = [
        "wage-rates", "import", str(table), "--source", "Test table",
        "--effective-from", "2026-01-01", "--effective-until", "2026-12-31",
    ]  # fmt: skip
    assert "1 rates loaded" in run(cli_database_url, *arguments)
    assert "nothing changed" in run(cli_database_url, *arguments)
    table.write_text("state,hourly_usd\nZZ,17.50\n", "utf-8")
    refused = CliRunner().invoke(main, arguments, env={"DATABASE_URL": cli_database_url})
    assert refused.exit_code != 0
    assert "body.line.2.state" in refused.output
