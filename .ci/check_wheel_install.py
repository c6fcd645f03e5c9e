"""A wheel install, away from the repository, migrates, serves and issues a contract.

Run with the interpreter of a virtualenv that has the wheel installed (`pip install .`, not
editable), from a directory outside the clone, so that nothing is found through the repository:
the contracts' texts and fonts, the migrations and the roster template must come from the package.
`--server postgresql://user@host:port/db` makes it work in a database of its own on that server
(dropped afterwards); without it, it uses an embedded PostgreSQL in a temporary directory. Only
the standard library and the wheel's own dependencies: it checks what the wheel brings.
"""

import argparse
import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

RECRUITMENT = str(Path(sys.executable).with_name("recruitment"))


def run(*arguments: str, environment: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603 - the wheel's own command, fixed arguments
        [RECRUITMENT, *arguments], env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"recruitment {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def call(method: str, url: str, key: str | None = None, body: Any = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(  # noqa: S310 - our own server on loopback
        url,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers=headers,
    )
    with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310
        return answer.status, answer.read()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def throwaway_database(server: str | None) -> Iterator[str | None]:
    """The asyncpg URL of a new database on `server`, dropped at the end; None without one."""
    if server is None:
        yield None
        return
    import asyncpg

    name = f"wheel_check_{uuid.uuid4().hex[:12]}"

    async def administer(statement: str) -> None:
        connection = await asyncpg.connect(server)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(administer(f'CREATE DATABASE "{name}"'))
    try:
        parts = urllib.parse.urlsplit(server)
        yield urllib.parse.urlunsplit(
            ("postgresql+asyncpg", parts.netloc, f"/{name}", parts.query, "")
        )
    finally:
        asyncio.run(administer(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--server", help="a PostgreSQL server's URL to work on")
    server = arguments.parse_args().server

    import recruitment

    package = Path(recruitment.__file__).resolve().parent
    if "site-packages" not in package.parts:
        sys.exit(f"recruitment is imported from {package}, not from an installed wheel")
    with (
        tempfile.TemporaryDirectory(prefix="wheel-check-") as scratch,
        throwaway_database(server) as database,
    ):
        environment = {
            "PATH": os.environ["PATH"],
            "HOME": scratch,
            "RECRUITMENT_DATA_DIR": str(Path(scratch) / "data"),
        }
        if database is not None:
            environment["DATABASE_URL"] = database
        print(run("db", "upgrade", environment=environment).strip())
        demo = run("demo", "--workers", "10", environment=environment)
        grower_key = re.search(r"grower key: (\S+)", demo)
        if grower_key is None:
            sys.exit(f"the demo printed no grower key:\n{demo}")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603
            [RECRUITMENT, "serve", "--port", str(port)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            for _ in range(120):
                try:
                    call("GET", f"{base}/health")
                    break
                except OSError:
                    time.sleep(0.5)
            else:
                sys.exit("the service did not answer /health within a minute")
            key = grower_key.group(1)
            _, listed = call("GET", f"{base}/workers?limit=1", key)
            worker = json.loads(listed)["items"][0]["id"]
            status, issued = call("POST", f"{base}/workers/{worker}/contracts", key, {})
            contract = json.loads(issued)
            _, pdf = call("GET", f"{base}/contracts/{contract['id']}/pdf", key)
            if status != 201 or not contract["worker_link"].startswith(f"{base}/c/"):
                sys.exit(f"issuing a contract answered {status}: {contract}")
            _, page = call("GET", contract["worker_link"])
            _, docs = call("GET", f"{base}/schema/assets/swagger-ui-bundle.js")
            if not pdf.startswith(b"%PDF") or b"<html" not in page.lower():
                sys.exit("the contract's PDF or the worker's page is not served")
            print(f"served from {package}: contract {contract['id']} issued ({len(pdf)} bytes)")
            print(f"/schema's Swagger UI: {len(docs)} bytes, from the package")
        finally:
            server.send_signal(signal.SIGTERM)
            output, _ = server.communicate(timeout=60)
            if server.returncode not in (0, 128 + signal.SIGTERM):
                print(output, file=sys.stderr)
                sys.exit(f"the service exited with {server.returncode}")


if __name__ == "__main__":
    main()
