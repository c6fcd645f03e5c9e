"""The `recruitment` command as a script or a container runs it: a bare environment (no
XDG_RUNTIME_DIR, no terminal), its output read by other programs. Nothing the user did wrong may
print a warning, and every command the demo prints works when pasted."""

import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from recruitment.settings import base_url_of, is_loopback_url
from tests.databases import throwaway_database

COMMAND = str(Path(sys.executable).with_name("recruitment"))


@pytest.fixture
async def bare_environment(
    database_server_url: str, tmp_path: Path
) -> AsyncIterator[dict[str, str]]:
    async with throwaway_database(database_server_url, "recruitment_bare") as url:
        yield {
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": str(tmp_path),
            "DATABASE_URL": url,
        }


def run(environment: dict[str, str], *arguments: str, stdin: str = "") -> str:
    done = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [COMMAND, *arguments],
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", f"recruitment {' '.join(arguments)} wrote to stderr"
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(environment: dict[str, str], port: int) -> Iterator[subprocess.Popen[str]]:
    server = subprocess.Popen(  # noqa: S603
        [COMMAND, "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(240):
            try:
                httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.25)
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def test_one_shot_commands_print_nothing_on_stderr(bare_environment: dict[str, str]) -> None:
    assert "XDG_RUNTIME_DIR" not in bare_environment
    assert "Usage" in run(bare_environment, "--help")
    assert "key: rk_" in run(bare_environment, "keys", "create", "--role", "admin")
    created = run(
        bare_environment,
        *("users", "create", "--role", "staff", "--email", "ana@program.example"),
        stdin="a long enough password\n",
    )
    assert "ana@program.example" in created
    assert run(bare_environment, "growers", "list") == ""


def test_a_piped_password_that_is_too_short_reads_as_a_sentence(
    bare_environment: dict[str, str],
) -> None:
    done = subprocess.run(  # noqa: S603
        [COMMAND, "users", "create", "--role", "staff", "--email", "ana@program.example"],
        env=bare_environment,
        input="short\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "password" in done.stderr
    assert "Value error" not in done.stderr


def test_the_demo_shows_progress_and_every_command_it_prints_works(
    bare_environment: dict[str, str],
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {**bare_environment, "RECRUITMENT_PUBLIC_BASE_URL": base}
    printed = run(environment, "demo", "--workers", "12")
    assert "loading the demo season" in printed
    growers = run(environment, "growers", "list")
    assert len(growers.splitlines()) == 3
    commands = re.findall(r"curl -H '([^']+)' '([^']+)'", printed)
    worker_link = re.search(r"contract page: (\S+)", printed)
    assert len(commands) == 2
    assert worker_link is not None
    with serving(environment, port) as server:
        for header, url in commands:
            name, value = header.split(": ", 1)
            answer = httpx.get(url, headers={name: value}, timeout=30)
            assert answer.is_success, (url, answer.status_code, answer.text)
        assert httpx.get(worker_link.group(1), timeout=30).is_success
    _, log = server.communicate()
    warnings = [line for line in log.splitlines() if "warning" in line.lower()]
    assert len(warnings) == 1, log
    assert "RECRUITMENT_PUBLIC_BASE_URL" in warnings[0], "the loopback link is the only warning"

    again = subprocess.run(  # noqa: S603
        [COMMAND, "demo", "--workers", "12"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode != 0
    assert "already" in again.stderr
    assert "RECRUITMENT_DATA_DIR" in again.stderr
    assert "FEIN" not in again.stderr


def test_serve_derives_the_links_from_its_port_and_warns_nothing_with_a_public_address(
    bare_environment: dict[str, str],
) -> None:
    port = free_port()
    run(bare_environment, "db", "upgrade")
    with serving(bare_environment, port) as server:
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=30)
        assert health.is_success
    _, log = server.communicate()
    assert f"http://127.0.0.1:{port}" in log, "the derived address, in the loopback warning"

    public = {**bare_environment, "RECRUITMENT_PUBLIC_BASE_URL": "https://contracts.example"}
    with serving(public, port) as server:
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=30).is_success
    _, log = server.communicate()
    assert "warning" not in log.lower(), log


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [("127.0.0.1", 8000, "http://127.0.0.1:8000"), ("::1", 9000, "http://[::1]:9000")],
)
def test_the_base_url_follows_the_address_served(host: str, port: int, expected: str) -> None:
    assert base_url_of(host, port) == expected
    assert is_loopback_url(expected)


def test_serving_on_every_interface_names_the_machine() -> None:
    assert base_url_of("0.0.0.0", 8000) == f"http://{socket.getfqdn()}:8000"  # noqa: S104
    assert not is_loopback_url("https://contracts.example.org")
