"""`recruitment users create`: the first accounts, with a password typed twice and never echoed."""

from collections.abc import AsyncIterator

import pytest
from click.testing import CliRunner

from recruitment.cli import main
from tests.databases import throwaway_database

PASSWORD = "a long enough passphrase"


@pytest.fixture(scope="module")
async def cli_database_url(database_server_url: str) -> AsyncIterator[str]:
    # One database for the module: each command migrates it first, which takes seconds.
    async with throwaway_database(database_server_url, "recruitment_users_cli") as url:
        yield url


def test_a_staff_user_is_created_with_a_prompted_password(cli_database_url: str) -> None:
    result = CliRunner().invoke(
        main,
        ["users", "create", "--role", "staff", "--email", "Ana@Program.example"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
        env={"DATABASE_URL": cli_database_url},
    )
    assert result.exit_code == 0, result.output
    assert "email:  ana@program.example" in result.output
    assert PASSWORD not in result.output


def test_a_short_password_or_a_grower_user_without_a_grower_is_refused(
    cli_database_url: str,
) -> None:
    runner, env = CliRunner(), {"DATABASE_URL": cli_database_url}
    short = runner.invoke(
        main,
        ["users", "create", "--role", "staff", "--email", "b@program.example"],
        input="short\nshort\n",
        env=env,
    )
    assert short.exit_code != 0
    assert "at least 12 characters" in short.output
    no_grower = runner.invoke(
        main,
        ["users", "create", "--role", "grower", "--email", "c@farm.example"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
        env=env,
    )
    assert no_grower.exit_code != 0
    assert "--grower" in no_grower.output
