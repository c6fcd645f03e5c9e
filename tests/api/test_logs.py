"""Keys, CURPs, passports, phones, passwords and worker-link tokens never reach the logs.

A whole flow runs with the service logging at DEBUG: keys, a hire, a contract opened from its
link and checked, refused keys and sign-ins, invalid documents. Every record any logger emits
is captured, its message, arguments, exception and extra fields searched.
"""

import logging
from collections.abc import Iterator

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.services import access
from recruitment.services.caller import COMMAND_LINE
from recruitment.services.users import MAX_FAILED_SIGN_INS
from recruitment.settings import Settings
from tests.api.test_contracts import issue, token_of
from tests.console.conftest import PASSWORD, create_user, sign_in
from tests.factories import Factory, hire_request, unique_curp, worker_identity

PASSPORT = "G12345678"
PHONE = "+52 55 1234 5678"
WRONG_PASSWORD = "not-the-password-at-all"
INVALID_CURP = "GOMJ800101HDFRRN0X"  # the right shape, a wrong check digit
INVALID_PASSPORT = "G-1234/5678"


@pytest.fixture
def settings() -> Settings:
    return Settings(database_url=None, log_level="DEBUG")


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record at DEBUG, also from loggers that keep theirs from the root (Litestar's).
    The test's own HTTP client logs each URL it calls: it is quiet, being no part of the
    service."""
    caplog.set_level(logging.WARNING, logger="httpx")
    caplog.set_level(logging.WARNING, logger="httpcore")
    caplog.set_level(logging.DEBUG)  # last: each call sets the capturing handler's level too
    assert caplog.handler.level == logging.DEBUG
    assert logging.getLogger("recruitment").getEffectiveLevel() == logging.DEBUG
    apart = [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in apart:
        logger.addHandler(caplog.handler)
    yield caplog
    for logger in apart:
        logger.removeHandler(caplog.handler)


def everything_in(record: logging.LogRecord) -> str:
    return "\n".join([logging.Formatter().format(record), repr(record.args), repr(vars(record))])


async def test_no_secret_or_personal_data_reaches_the_logs(
    client: httpx.AsyncClient,
    factory: Factory,
    session: AsyncSession,
    captured: pytest.LogCaptureFixture,
) -> None:
    grower, credentials = await factory.grower_with_key()
    staff = await factory.key("staff")
    job_order = await factory.job_order(grower.id)
    office = await factory.intermediary()
    curp = unique_curp()
    worker = worker_identity(curp=curp, passport_number=PASSPORT, phone=PHONE)
    hired = await client.post(
        "/hires",
        json=hire_request(job_order.id, office.id, worker=worker),
        headers=credentials.headers,
    )
    assert hired.status_code == 201, hired.text
    worker_id = hired.json()["worker_id"]
    contract = (await issue(client, credentials, worker_id)).json()
    token = token_of(contract["worker_link"])
    for url in (f"/c/{token}", f"/c/{token}/pdf", f"/verify/{contract['verification_code']}"):
        assert (await client.get(url)).status_code == 200, url
    assert (await client.post(f"/c/{token}/receipt")).status_code == 303
    assert (await client.get(f"/c/{token[:-1]}x")).status_code == 404

    wrong_key = "rk_" + "w" * 43
    unknown = await client.get("/growers", headers={"Authorization": f"Bearer {wrong_key}"})
    assert unknown.status_code == 401
    await access.revoke_key(session, COMMAND_LINE, staff.key_id)
    await session.commit()
    assert (await client.get("/growers", headers=staff.headers)).status_code == 401

    refused = []
    for identity in (
        worker_identity(curp=INVALID_CURP, passport_number=PASSPORT),
        worker_identity(passport_number=INVALID_PASSPORT),
    ):
        response = await client.post(
            "/hires",
            json=hire_request(job_order.id, office.id, worker=identity),
            headers=credentials.headers,
        )
        assert response.status_code == 422, response.text
        refused.append(response.text)

    person = await create_user(session, "office@farm.example", "grower", grower.id)
    for _ in range(MAX_FAILED_SIGN_INS):
        assert (await sign_in(client, person, WRONG_PASSWORD)).status_code == 401

    # The capture works: the service's own warning about the locked account is in it.
    assert any("locked after repeated failed sign-ins" in r.getMessage() for r in captured.records)
    secrets = {
        "grower key": credentials.key, "staff key": staff.key, "wrong key": wrong_key,
        "CURP": curp, "invalid CURP": INVALID_CURP, "passport": PASSPORT,
        "invalid passport": INVALID_PASSPORT, "phone": PHONE.replace(" ", ""),
        "phone as typed": PHONE, "worker-link token": token, "password": WRONG_PASSWORD,
        "console password": PASSWORD,
    }  # fmt: skip
    logged = "\n".join(everything_in(record) for record in captured.records)
    assert [name for name, value in secrets.items() if value in logged] == []
    # Problem documents answer the caller, and travel on to proxies' and clients' logs: they
    # name the field, never echo the document.
    for text in refused:
        assert INVALID_CURP not in text
        assert INVALID_PASSPORT not in text
        assert PASSPORT not in text
