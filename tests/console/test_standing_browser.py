"""A grower's audits, plan and standing in a real browser: staff suspend with a reason and
reinstate on a passed re-entry audit; the grower reads its own page and can't decide anything.

Driven as tests/console/test_browser.py drives the console: Debian's Chromium, a real server
on a database of its own. Screenshots go to test-artifacts/console/.
"""

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.database import connect
from recruitment.rendering import ContractRenderer
from recruitment.schemas.audits import (
    AuditClosing,
    AuditCreate,
    CorrectiveActionCreate,
    FindingCreate,
    InterviewCreate,
)
from recruitment.services import audits, corrective_actions
from recruitment.services.caller import COMMAND_LINE
from recruitment.settings import Settings
from tests.console.conftest import PASSWORD, Person, create_user
from tests.console.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ConsoleServer, _chromium
from tests.databases import migrated_database
from tests.factories import Factory

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Farm:
    base_url: str
    grower_id: UUID
    staff: Person
    grower: Person


async def _audit(
    session: AsyncSession, grower_id: UUID, workers: list[UUID], kind: str, window: tuple[str, str],
    outcome: str,
) -> UUID:  # fmt: skip
    caller = COMMAND_LINE
    audit = await audits.create_audit(
        session,
        caller,
        AuditCreate.model_validate(
            {
                "grower_id": grower_id,
                "season": int(window[0][:4]),
                "kind": kind,
                "announced": False,
                "starts_on": window[0],
                "ends_on": window[1],
                "auditors": ["Auditora Pérez"],
            }
        ),
        0.5,
    )
    for worker_id in workers:
        await audits.record_interview(
            session,
            caller,
            audit.id,
            InterviewCreate.model_validate(
                {
                    "worker_id": worker_id,
                    "interviewed_on": window[0],
                    "language": "es",
                    "interviewer": "Auditora Pérez",
                    "recruited_through": "sne",
                    "answers": {"housing": {"compliant": False}},
                }
            ),
        )
    if kind == "regular":
        finding = await audits.record_finding(
            session,
            caller,
            audit.id,
            FindingCreate(
                standard="housing", severity="violation", detail="No hot water in unit 4."
            ),
        )
        await corrective_actions.plan_action(
            session,
            caller,
            CorrectiveActionCreate.model_validate(
                {
                    "finding_id": finding.id,
                    "description": "Repair the water heater of unit 4.",
                    "owner": "Housing manager",
                    "due_on": "2026-02-15",
                }
            ),
        )
    await audits.close_audit(
        session,
        caller,
        audit.id,
        AuditClosing.model_validate({"outcome": outcome, "closed_on": window[1]}),
    )
    return audit.id


@pytest.fixture(scope="module")
async def farm(database_server_url: str, renderer: ContractRenderer) -> AsyncIterator[Farm]:
    _chromium()
    async with migrated_database(database_server_url, "recruitment_standing") as url:
        database = connect(Settings(), url)
        async with database.sessions() as session:
            factory = Factory(session)
            grower = await factory.grower(legal_name="Campos del Norte LLC")
            job_order = await factory.job_order(grower.id)
            workers = [(await factory.hire(job_order)).worker_id for _ in range(4)]
            await _audit(
                session, grower.id, workers[:2], "regular", ("2026-01-12", "2026-01-16"), "failed"
            )
            await _audit(
                session, grower.id, workers[:3], "re_entry", ("2027-02-01", "2027-02-05"), "passed"
            )
            await corrective_actions.reevaluate_deadlines(session, date(2026, 2, 20))
            await session.commit()
            staff = await create_user(session, "staff@program.example", "staff")
            grower_user = await create_user(session, "office@norte.example", "grower", grower.id)
        await database.dispose()
        async with ConsoleServer(url, renderer) as server:
            yield Farm(server.base_url, grower.id, staff, grower_user)


@pytest.fixture(scope="module")
async def browser(farm: Farm) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        await launched.close()


async def _signed_in(browser: Browser, farm: Farm, person: Person) -> Page:
    page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
    await page.goto(f"{farm.base_url}/console/sign-in")
    await page.get_by_label("Email").fill(person.email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Flags")
    return page


async def _decide(page: Page, status: str, day: str, reason: str, audit: str | None = None) -> None:
    await page.get_by_label("New status").select_option(label=status)
    await page.get_by_label("Effective on").fill(day)
    await page.get_by_label("Reason").fill(reason)
    if audit is not None:
        await page.get_by_label("Re-entry audit").select_option(index=1)
    await page.get_by_role("button", name="Record the decision").click()


async def test_staff_suspend_a_grower_and_reinstate_it_on_its_passed_re_entry_audit(
    browser: Browser, farm: Farm
) -> None:
    page = await _signed_in(browser, farm, farm.staff)
    await page.get_by_role("link", name="Growers").click()
    await page.get_by_role("link", name="Audits and standing").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Campos del Norte LLC: audits and standing"
    )
    await expect(page.get_by_text("2 of 4 workers interviewed (3 needed)")).to_be_visible()
    await expect(page.get_by_text("Under target")).to_be_visible()
    await expect(
        page.get_by_role("listitem").filter(has_text="Housing manager").last
    ).to_contain_text("Repair the water heater of unit 4.")
    await expect(page.get_by_text("Overdue", exact=True)).to_be_visible()

    await _decide(
        page, "Suspended", "2027-01-05", "Interview coverage refused; housing unrepaired."
    )
    await expect(page.get_by_role("status").first).to_have_text(
        "The decision is recorded; buyers are told."
    )
    await expect(page.locator("main p .badge").first).to_have_text("Suspended")
    await expect(
        page.get_by_text("Interview coverage refused; housing unrepaired.")
    ).to_be_visible()

    await _decide(page, "Participating", "2027-02-10", "Corrections verified.")
    await expect(page.locator("#error-summary")).to_contain_text("re-entry audit")
    await _decide(page, "Participating", "2027-02-10", "Corrections verified on site.", audit="yes")
    await expect(page.get_by_role("status").first).to_have_text(
        "The decision is recorded; buyers are told."
    )
    await expect(page.locator("main p .badge").first).to_have_text("Participating")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "standing-staff.png"), full_page=True)
    await page.context.close()


async def test_a_grower_reads_its_own_audits_and_plan_and_cannot_decide(
    browser: Browser, farm: Farm
) -> None:
    page = await _signed_in(browser, farm, farm.grower)
    await page.get_by_role("link", name="Audits and standing").click()
    await expect(page).to_have_url(re.compile(rf"/console/growers/{farm.grower_id}/standing$"))
    await expect(
        page.get_by_role("listitem").filter(has_text="Housing manager").last
    ).to_contain_text("Repair the water heater of unit 4.")
    await expect(page.get_by_role("button", name="Record the decision")).to_have_count(0)
    await page.screenshot(path=str(Path(ARTIFACTS) / "standing-grower.png"), full_page=True)
    await page.context.close()
