"""The whole story of a complaint in a real browser (Chromium, Playwright, a real server): a worker
reports a fee from their contract link in Kreyòl, on a phone; staff find it in the queue, at
laptop and phone widths, investigate, and record a reimbursement as the remedy; the case's ledger
shows it, the founded-complaint flag closes, the program report counts it; the grower saw only
what staff shared. Screenshots go to test-artifacts/complaints/."""

import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from recruitment.database import connect
from recruitment.rendering import ContractRenderer
from recruitment.settings import Settings
from tests.api.test_contracts import token_of
from tests.console.conftest import Person, create_user
from tests.console.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ConsoleServer,
    _chromium,
    _open,
    _sign_in,
)
from tests.databases import migrated_database
from tests.factories import Credentials, Factory

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "complaints"
WORDS = "Yon rekritè te fè m peye 500 dola pou m jwenn travay la."
SUMMARY = "A worker reports paying a recruiter USD 500 for the job."


@dataclass(frozen=True)
class Story:
    base_url: str
    staff: Person
    grower: Person
    staff_key: Credentials
    grower_key: Credentials
    worker_id: UUID
    recruitment_id: UUID


async def _seed(url: str, base_url: str) -> Story:
    database = connect(Settings(), url)
    try:
        async with database.sessions() as session:
            factory = Factory(session)
            grower, grower_key = await factory.grower_with_key(legal_name="Belle Glade Farms LLC")
            hire = await factory.hire(await factory.job_order(grower.id))
            staff_key = await factory.key("staff")
            staff = await create_user(session, "investigator@program.example", "staff")
            office = await create_user(session, "office@belleglade.example", "grower", grower.id)
            await session.commit()
    finally:
        await database.dispose()
    return Story(
        base_url, staff, office, staff_key, grower_key, hire.worker_id, hire.recruitment_id
    )


@pytest.fixture(scope="module")
async def story(database_server_url: str, renderer: ContractRenderer) -> AsyncIterator[Story]:
    _chromium()
    async with (
        migrated_database(database_server_url, "recruitment_complaints") as url,
        ConsoleServer(url, renderer) as server,
    ):
        yield await _seed(url, server.base_url)


@pytest.fixture(scope="module")
async def browser(story: Story) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        await launched.close()


_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


async def _fits(page: Page, name: str) -> None:
    assert await page.evaluate(_OVERFLOW) <= 0, f"{name} scrolls sideways"
    await page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


async def test_a_fee_reported_in_kreyol_is_remedied_on_the_ledger_and_counted(
    browser: Browser, story: Story
) -> None:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with httpx.AsyncClient(base_url=story.base_url, timeout=60) as api:
        issued = await api.post(f"/workers/{story.worker_id}/contracts", json={"language": "ht"},
                                headers=story.grower_key.headers)  # fmt: skip
        assert issued.status_code == 201, issued.text
        token = token_of(issued.json()["worker_link"])

        # The worker, on a phone, from the link to their contract.
        phone = await _open(browser, "phone")
        await phone.goto(f"{story.base_url}/c/{token}")
        await phone.get_by_role("link", name="Rapòte yon pwoblèm pa ekri").click()
        await expect(phone.get_by_role("heading", level=1)).to_have_text("Rapòte yon pwoblèm")
        await _fits(phone, "worker-form-phone")
        await phone.get_by_label("Mwen peye lajan pou m jwenn travay sa a").check()
        await phone.get_by_label("Di nou plis").fill(WORDS)
        await phone.get_by_label("Nimewo telefòn pou nou rele ou (si ou vle)").fill(
            "+509 3412 3456"
        )
        await phone.get_by_role("button", name="Voye").click()
        await expect(phone.get_by_role("heading", level=1)).to_have_text("Nou resevwa rapò ou")
        confirmation = await phone.get_by_role("status").inner_text()
        reference = re.search(r"Q-[A-Z0-9]{8}", confirmation)
        assert reference, confirmation
        await _fits(phone, "worker-sent-phone")
        await phone.context.close()

        # The worker said what they paid on the call back: staff put it on the ledger.
        cost = await api.post(
            f"/recruitments/{story.recruitment_id}/costs",
            json={"category": "recruitment_fee", "amount": {"amount": 50000, "currency": "USD"},
                  "paid_on": "2026-09-15", "payee_kind": "other", "payee_name": "Rekritè",
                  "reported_by": "worker"},
            headers=story.staff_key.headers,
        )  # fmt: skip
        assert cost.status_code == 201, cost.text

        # Staff find it in the queue, on a phone and on a laptop.
        for screen in ("phone", "laptop"):
            page = await _open(browser, screen)
            await _sign_in(page, story, story.staff)
            await page.get_by_role("link", name="Complaints").first.click()
            await expect(page.get_by_role("link", name=reference.group())).to_be_visible()
            await _fits(page, f"queue-{screen}")
            if screen == "phone":
                await page.context.close()
        await page.get_by_role("link", name=reference.group()).click()
        await expect(page.locator("#complaint-account")).to_have_text(WORDS)
        await page.get_by_label("Move to").select_option("investigating")
        await page.get_by_label("Founded").select_option("yes")
        await page.get_by_label("Investigator").fill("Marie Joseph")
        await page.get_by_label("Note", exact=True).fill("Called back; the worker paid in cash.")
        await page.get_by_label("What the grower is told").fill(SUMMARY)
        await page.get_by_label("What the grower must do").fill("Repay the fee in full.")
        await page.get_by_role("button", name="Save").click()
        await expect(page.get_by_role("status").first).to_have_text("The complaint is updated.")
        await expect(page.locator("#complaint-flags")).to_contain_text("FOUNDED_COMPLAINT")

        # What the grower sees: staff's summary, not the worker's words or name.
        shared = await api.get("/shared-complaints", headers=story.grower_key.headers)
        [seen] = shared.json()["items"]
        assert seen["shared_summary"] == SUMMARY
        assert (seen["account"], seen["worker"]) == (None, None)
        assert "Yon rekritè" not in shared.text
        assert str(story.worker_id) not in shared.text
        grower_page = await _open(browser, "phone")
        await _sign_in(grower_page, story, story.grower)
        await grower_page.goto(f"{story.base_url}/console/shared-complaints")
        await grower_page.get_by_role("link", name=reference.group()).click()
        await expect(grower_page.locator("#shared-summary")).to_have_text(SUMMARY)
        assert "Yon rekritè" not in await grower_page.content()
        await _fits(grower_page, "grower-shared-phone")
        await grower_page.context.close()

        await page.get_by_label("Kind").select_option("reimbursement")
        await page.get_by_label("What was done").fill("The grower repaid the fee in cash.")
        await page.get_by_label("Amount, in minor units").fill("50000")
        await page.get_by_label("Currency").fill("USD")
        await page.get_by_label("Paid on").fill(datetime.now(UTC).date().isoformat())
        await page.get_by_label("Cost it repays").select_option(cost.json()["id"])
        await page.get_by_role("button", name="Record the remedy").click()
        await expect(page.get_by_role("status").first).to_have_text("The remedy is recorded.")
        await page.get_by_label("Move to").select_option("resolved")
        await page.get_by_role("button", name="Save").click()
        await expect(page.get_by_role("status").first).to_have_text("The complaint is updated.")
        await expect(page.locator("#complaint-flags")).not_to_contain_text("FOUNDED_COMPLAINT")
        await _fits(page, "complaint-resolved-laptop")

        # The ledger shows the money back; the founded-complaint flag is resolved.
        ledger = await api.get(f"/workers/{story.worker_id}/ledger",
                               headers=story.staff_key.headers)  # fmt: skip
        assert ledger.json()["lines"] == [
            {"currency": "USD", "paid": 50000, "reimbursed": 50000, "owed": 0, "overpaid": 0}
        ]
        await page.goto(f"{story.base_url}/console/workers/{story.worker_id}")
        await expect(page.get_by_text("$500.00").first).to_be_visible()
        flags = await api.get("/flags", params={"code": "FOUNDED_COMPLAINT"},
                              headers=story.staff_key.headers)  # fmt: skip
        assert [flag["status"] for flag in flags.json()["items"]] == ["resolved"]

        # The program report of the season it was received in counts it.
        season = datetime.now(UTC).year
        await page.goto(f"{story.base_url}/console/reports/program?season={season}")
        await expect(page.locator("#complaint-figures")).to_contain_text("Complaints received: 1")
        await expect(page.locator("#remedy-figures")).to_contain_text("$500.00")
        await expect(page.locator("svg#chart-complaint-shares")).to_be_visible()
        await _fits(page, "report-laptop")
        await page.context.close()
