"""A worker reports a problem from their contract link: a form in their language, no JavaScript,
no key; what they write reaches staff and nothing else (no log line, no grower)."""

import logging
from typing import Any

import httpx
import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import Complaint
from recruitment.settings import Settings
from tests.api.test_contracts import issue, token_of
from tests.factories import Factory

WORDS = "Yon rekritè nan Pòtoprens te fè m peye 500 dola pou travay la."


@pytest.fixture
def settings() -> Settings:
    return Settings(database_url=None, log_level="DEBUG")


@pytest.fixture
async def link(client: httpx.AsyncClient, factory: Factory) -> dict[str, Any]:
    grower, credentials = await factory.grower_with_key()
    hire = await factory.hire(await factory.job_order(grower.id))
    issued = await issue(client, credentials, hire.worker_id, language="ht")
    assert issued.status_code == 201, issued.text
    return {"token": token_of(issued.json()["worker_link"]), "hire": hire, "grower": grower}


async def complaints_in(session: AsyncSession) -> list[Complaint]:
    return list(await session.exec(select(Complaint)))


async def test_the_contract_page_leads_to_a_form_in_the_workers_language(
    client: httpx.AsyncClient, link: dict[str, Any]
) -> None:
    page = await client.get(f"/c/{link['token']}")
    assert f'href="/c/{link["token"]}/complaint"' in page.text
    assert "Rapòte yon pwoblèm pa ekri" in page.text
    form = await client.get(f"/c/{link['token']}/complaint")
    assert form.status_code == 200
    assert form.headers["cache-control"] == "no-store"
    assert "<script" not in form.text
    for words in ("Mwen peye lajan pou m jwenn travay sa a", "Yo menase m",
                  "Voye l san non mwen", "nou pa ka rele ou"):  # fmt: skip
        assert words in form.text


async def test_a_report_reaches_staff_with_the_worker_and_the_call_back_number(
    client: httpx.AsyncClient, link: dict[str, Any], session: AsyncSession,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    sent = await client.post(
        f"/c/{link['token']}/complaint",
        data={"concern": "paid_for_job", "details": WORDS, "callback": "+509 3412 3456"},
    )
    assert sent.status_code == 201, sent.text
    assert "Nou resevwa rapò ou" in sent.text
    [complaint] = await complaints_in(session)
    assert complaint.reference in sent.text
    assert (complaint.channel, complaint.category, complaint.language) == (
        "worker_page", "fees", "ht",
    )  # fmt: skip
    assert complaint.worker_id == link["hire"].worker_id
    assert complaint.recruitment_id == link["hire"].recruitment_id
    assert complaint.callback_phone == "+50934123456"
    assert complaint.account == WORDS
    logged = "\n".join(record.getMessage() + repr(record.args) for record in caplog.records)
    assert "Pòtoprens" not in logged
    assert "3412" not in logged


async def test_an_anonymous_report_keeps_no_name_and_no_number_and_says_so(
    client: httpx.AsyncClient, link: dict[str, Any], session: AsyncSession
) -> None:
    sent = await client.post(
        f"/c/{link['token']}/complaint",
        data={"concern": "threatened", "details": "", "callback": "+509 3412 3456",
              "anonymous": "yes"},
    )  # fmt: skip
    assert sent.status_code == 201, sent.text
    assert "nou pa ka rele ou" in sent.text
    [complaint] = await complaints_in(session)
    assert (complaint.worker_id, complaint.recruitment_id, complaint.callback_phone) == (
        None, None, None,
    )  # fmt: skip
    assert complaint.grower_id == link["grower"].id
    assert (complaint.category, complaint.severity) == ("harassment_violence", "urgent")


@pytest.mark.parametrize(
    ("form", "status", "words"),
    [
        ({"details": "no choice made"}, 422, "Chwazi sa k te pase."),
        ({"concern": "other", "details": "  "}, 422, "Di nou sa k te pase."),
        ({"concern": "housing", "details": "a\x00b"}, 422, "karaktè nou pa ka li"),
        ({"concern": "housing", "details": "x" * 2001}, 422, "twò long"),
        ({"concern": "housing", "callback": "call me"}, 422, "Nou pa ka li nimewo sa a"),
        ({"concern": "housing", "details": "x" * 20000}, 413, "twò gwo"),
    ],
)
async def test_a_form_that_cant_be_taken_comes_back_as_a_page_saying_what_to_fix(
    client: httpx.AsyncClient, link: dict[str, Any], session: AsyncSession,
    form: dict[str, str], status: int, words: str,
) -> None:  # fmt: skip
    answer = await client.post(f"/c/{link['token']}/complaint", data=form)
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    assert words in answer.text
    assert await complaints_in(session) == []


async def test_a_link_that_leads_nowhere_takes_no_report(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    answer = await client.post("/c/" + "x" * 43 + "/complaint", data={"concern": "housing"})
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert await complaints_in(session) == []
