"""The console in a real browser: Debian's Chromium, driven by Playwright, against a real server.

The server runs uvicorn in a thread on a database of its own: the rest of the suite keeps each
test in a transaction on one connection, which another process (or thread) could not see.
Screenshots of every main page, at laptop and phone widths, go to test-artifacts/console/.
"""

import asyncio
import os
import re
import shutil
import socket
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest
import uvicorn
from playwright.async_api import Browser, Page, ViewportSize, async_playwright, expect
from sqlmodel import col, select

from recruitment.api.app import create_app
from recruitment.database import connect
from recruitment.models import Flag
from recruitment.rendering import ContractRenderer
from recruitment.services import costs, reference_lists
from recruitment.services.caller import COMMAND_LINE
from recruitment.settings import Settings
from recruitment.verification import catalogue
from tests.api.test_rosters import as_csv, roster_row
from tests.console.conftest import PASSWORD, Person, create_user
from tests.databases import migrated_database
from tests.factories import RECRUITMENT_FEE, Factory, worker_identity

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "console"
SCREENS: dict[str, ViewportSize] = {
    "laptop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
REGISTRY_SAMPLE = Path(__file__).resolve().parents[1] / "verification/data/flc_registry_sample.csv"
NON_SNE_TITLE = catalogue()["NON_SNE_CHANNEL"].texts["en"].title
GROUPED_CASES = 100
# The header, with the navigation, leaves most of a phone's screen to the page.
PHONE_HEADER_MAX_PX = 170


@dataclass(frozen=True)
class Season:
    """What the server's database holds when the browser arrives."""

    base_url: str
    staff: Person
    grower: Person
    grower_job_order: str
    grower_worker: UUID
    non_sne_flag: UUID
    fee_flag: UUID
    contractor: UUID
    other_growers_worker: UUID


def _chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the browser tests, and {CHROMIUM} is missing")
    pytest.skip(f"no browser: {CHROMIUM} is missing (apt-get install chromium)")


async def _seed(url: str, base_url: str) -> Season:
    database = connect(Settings(), url)
    try:
        async with database.sessions() as session:
            factory = Factory(session)
            grower = await factory.grower(legal_name="Campos del Sur Farms LLC")
            other = await factory.grower(legal_name="Sunrise Produce Inc.")
            job_order = await factory.job_order(grower.id)
            await factory.hire(
                job_order, channel="grower_direct", sne_folio=None, sne_office_id=None
            )
            paid_a_fee = await factory.hire(job_order)
            await costs.record_cost(
                session,
                COMMAND_LINE,
                paid_a_fee.recruitment_id,
                RECRUITMENT_FEE,
            )
            with REGISTRY_SAMPLE.open(encoding="utf-8-sig") as lines:
                await reference_lists.import_registry(
                    session, COMMAND_LINE, lines, REGISTRY_SAMPLE.name
                )
            contractor = await factory.intermediary(
                kind="farm_labor_contractor",
                name="Napieralski Forestry Enterprise, Inc.",
                country="US",
                certificate_number="C-03-030603-H-22-R",
            )
            theirs = await factory.hire(await factory.job_order(other.id))
            # A job order without the employer's phone: one TERMS_INCOMPLETE on each of its
            # cases, which the queue shows as one row.
            lakeside = await factory.grower(legal_name="Lakeside Growers LLC")
            incomplete = await factory.job_order(lakeside.id, employer_phone=None)
            for number in range(GROUPED_CASES):
                await factory.hire(
                    incomplete, worker=worker_identity(given_names=f"Trabajador {number + 1}")
                )
            flags = {
                flag.code: flag.id
                for flag in await session.exec(
                    select(Flag).where(
                        col(Flag.code).in_(("NON_SNE_CHANNEL", "RECRUITMENT_FEE_CHARGED"))
                    )
                )
            }
            staff = await create_user(session, "staff@program.example", "staff")
            grower_user = await create_user(session, "office@campos.example", "grower", grower.id)
            await session.commit()
    finally:
        await database.dispose()
    return Season(
        base_url=base_url,
        staff=staff,
        grower=grower_user,
        grower_job_order=str(job_order.id),
        grower_worker=paid_a_fee.worker_id,
        non_sne_flag=flags["NON_SNE_CHANNEL"],
        fee_flag=flags["RECRUITMENT_FEE_CHARGED"],
        contractor=contractor.id,
        other_growers_worker=theirs.worker_id,
    )


class ConsoleServer:
    """uvicorn serving the whole application, in a thread with an event loop of its own."""

    def __init__(self, url: str, renderer: ContractRenderer) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        host, port = self._socket.getsockname()
        self.base_url = f"http://{host}:{port}"
        app = create_app(Settings(database_url=url, public_base_url=self.base_url), None, renderer)
        self._server = uvicorn.Server(
            uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
        )
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._server.serve(sockets=[self._socket])), daemon=True
        )

    async def __aenter__(self) -> "ConsoleServer":
        self._thread.start()
        for _ in range(200):
            if self._server.started:
                return self
            await asyncio.sleep(0.05)
        raise RuntimeError("the console server did not start")

    async def __aexit__(self, *_: object) -> None:
        self._server.should_exit = True
        await asyncio.to_thread(self._thread.join, 10)
        self._socket.close()


@pytest.fixture(scope="module")
async def season(database_server_url: str, renderer: ContractRenderer) -> AsyncIterator[Season]:
    _chromium()
    async with (
        migrated_database(database_server_url, "recruitment_console") as url,
        ConsoleServer(url, renderer) as server,
    ):
        yield await _seed(url, server.base_url)


@pytest.fixture(scope="module")
async def browser(season: Season) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        await launched.close()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


async def _open(browser: Browser, screen: str = "laptop") -> Page:
    context = await browser.new_context(viewport=SCREENS[screen])
    return await context.new_page()


async def _sign_in(page: Page, season: Season, person: Person) -> None:
    await page.goto(f"{season.base_url}/console/sign-in")
    await page.get_by_label("Email").fill(person.email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Flags")


async def test_staff_find_a_flag_resolve_it_and_see_the_queue_change(
    browser: Browser, season: Season
) -> None:
    page = await _open(browser)
    await _sign_in(page, season, season.staff)
    flag_link = page.get_by_role("link", name=NON_SNE_TITLE)
    await expect(flag_link).to_have_count(1)
    await flag_link.click()
    await expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
    await page.get_by_label("Resolve").check()
    await page.get_by_label("Note").fill("Re-referred through the SNE office in Tlaxcala.")
    await page.get_by_role("button", name="Save the decision").click()
    await expect(page.get_by_role("status").first).to_have_text("The flag is resolved.")
    await expect(page.get_by_role("link", name=NON_SNE_TITLE)).to_have_count(0)
    # The filters refresh the list in place (htmx): the resolved flag is one choice away.
    await page.get_by_label("Status").select_option("resolved")
    await expect(page).to_have_url(re.compile(r"/console/flags\?.*status=resolved"))
    await expect(page.get_by_role("link", name=NON_SNE_TITLE)).to_have_count(1)
    await page.context.close()


async def test_a_grower_fixes_an_invalid_field_and_sees_the_hire(
    browser: Browser, season: Season, artifacts: Path
) -> None:
    page = await _open(browser)
    await _sign_in(page, season, season.grower)
    await page.get_by_role("link", name="Register a hire").first.click()
    identity = worker_identity(given_names="María", family_names="López Hernández")
    await page.get_by_label("Job order").select_option(season.grower_job_order)
    await page.get_by_label("Start date").fill("2025-11-03")
    await page.get_by_label("Given names").fill(identity["given_names"])
    await page.get_by_label("Family names").fill(identity["family_names"])
    await page.get_by_label("Date of birth").fill(identity["date_of_birth"])
    await page.get_by_label("CURP").fill(identity["curp"][:-1] + "X")  # a wrong check digit
    await page.get_by_label("Preferred language").select_option("es")
    await page.get_by_label("Recruitment channel").select_option("grower_direct")
    await page.get_by_role("button", name="Register the hire").click()

    curp = page.get_by_label("CURP")
    await expect(curp).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#f-worker-curp-error")).to_contain_text("not a valid CURP")
    await expect(page.get_by_label("Given names")).to_have_value("María")
    await page.screenshot(path=artifacts / "hire-form-refused-laptop.png", full_page=True)
    await curp.fill(identity["curp"])
    await page.get_by_role("button", name="Register the hire").click()

    await expect(page.get_by_role("status").first).to_have_text("The hire is registered.")
    await expect(page.get_by_role("heading", level=1)).to_have_text("María López Hernández")
    await expect(page.get_by_text("direct hire", exact=False).first).to_be_visible()
    await page.context.close()


async def test_a_grower_opening_another_growers_worker_gets_a_not_found_page(
    browser: Browser, season: Season
) -> None:
    page = await _open(browser)
    await _sign_in(page, season, season.grower)
    response = await page.goto(f"{season.base_url}/console/workers/{season.other_growers_worker}")
    assert response is not None
    assert response.status == 404
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    await page.context.close()


async def test_a_form_posted_without_its_csrf_token_is_refused(
    browser: Browser, season: Season
) -> None:
    page = await _open(browser)
    await page.goto(f"{season.base_url}/console/sign-in")
    await page.get_by_label("Email").fill(season.staff.email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.evaluate(
        "document.querySelectorAll('input[name=_csrf_token]').forEach(e => e.remove())"
    )
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    await expect(page.get_by_text("security token")).to_be_visible()
    await page.context.close()


async def test_the_keyboard_reaches_the_content_with_a_visible_focus(
    browser: Browser, season: Season
) -> None:
    page = await _open(browser)
    await page.goto(f"{season.base_url}/console/sign-in")
    await page.keyboard.press("Tab")
    focused = page.locator(":focus")
    await expect(focused).to_have_text("Skip to the content")
    assert await focused.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    await page.keyboard.press("Enter")
    await page.keyboard.press("Tab")
    await expect(page.locator(":focus")).to_have_attribute("name", "email")
    await page.context.close()


def _direct_hires(count: int, **overrides: str) -> bytes:
    """A roster of direct hires: the seeded SNE offices share a name, which a roster can't tell
    apart."""
    return as_csv(
        [roster_row(channel="grower_direct", sne_folio="", sne_office="") for _ in range(count)]
        + ([roster_row(channel="grower_direct", sne_folio="", sne_office="", **overrides)]
           if overrides else [])
    )  # fmt: skip


@pytest.mark.parametrize("screen", SCREENS)
async def test_a_grower_checks_a_roster_fixes_its_bad_row_and_imports_it(
    browser: Browser, season: Season, artifacts: Path, tmp_path: Path, screen: str
) -> None:
    bad, fixed = tmp_path / "roster.csv", tmp_path / "roster-fixed.csv"
    bad.write_bytes(_direct_hires(1, date_of_birth="1980-02-31"))
    fixed.write_bytes(_direct_hires(2))
    page = await _open(browser, screen)
    await _sign_in(page, season, season.grower)
    await page.get_by_role("link", name="Import a roster").first.click()
    await page.get_by_label("Roster file (CSV)").set_input_files(bad)
    await page.get_by_role("button", name="Check the roster").click()

    problems = page.locator("#problems tbody tr")
    await expect(problems).to_have_count(1)
    await expect(problems.first).to_contain_text("date_of_birth")
    await expect(problems.first.locator("td").first).to_have_text("3")
    assert await page.evaluate(_OVERFLOW) <= 0, "the problems scroll sideways"
    await page.screenshot(path=artifacts / f"roster-problems-{screen}.png", full_page=True)

    await page.get_by_label("Roster file (CSV)").set_input_files(fixed)
    await page.get_by_role("button", name="Check the roster").click()
    await expect(page.get_by_text("All 2 rows are right.")).to_be_visible()
    await page.screenshot(path=artifacts / f"roster-ready-{screen}.png", full_page=True)
    await page.get_by_role("button", name="Import the roster").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Roster imported")
    summary = page.locator("#summary")
    await expect(summary).to_contain_text("Recruitments created")
    await expect(summary.locator("dd").nth(2)).to_have_text("2")
    assert await page.evaluate(_OVERFLOW) <= 0, "the summary scrolls sideways"
    await page.screenshot(path=artifacts / f"roster-imported-{screen}.png", full_page=True)
    await page.context.close()


@pytest.mark.parametrize("screen", SCREENS)
async def test_staff_open_the_program_report_and_its_charts_render(
    browser: Browser, season: Season, screen: str
) -> None:
    page = await _open(browser, screen)
    await _sign_in(page, season, season.staff)
    await page.get_by_role("link", name="Reports").click()
    # The seeded season, whatever year the server's clock says it is.
    await page.get_by_label("Season").select_option("2025")
    await page.get_by_role("button", name="Show").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Program report, season 2025")
    for chart in ("chart-shares", "chart-open-flags", "chart-weekly"):
        svg = page.locator(f"svg#{chart}")
        await expect(svg).to_be_visible()
        box = await svg.bounding_box()
        assert box is not None
        assert box["width"] > 300, chart
        assert box["height"] > 40, chart
        # Every bar is drawn inside the chart, however narrow the screen.
        for bar in await svg.locator("rect.chart-bar").all():
            inner = await bar.bounding_box()
            assert inner is not None
            assert inner["x"] + inner["width"] <= box["x"] + box["width"] + 1, chart
    await expect(page.get_by_role("img", name="Recruitment shares")).to_be_visible()
    await page.get_by_label("Season").select_option("2024")
    await page.get_by_role("button", name="Show").click()
    await expect(page.get_by_text("Cases in the season: 0")).to_be_visible()
    await page.context.close()


def _main_pages(season: Season) -> dict[str, str]:
    grower_id = season.grower.grower_id
    return {
        "flags-queue": "/console/flags",
        "flag": f"/console/flags/{season.fee_flag}",
        "worker-case": f"/console/workers/{season.grower_worker}",
        "intermediaries": "/console/intermediaries",
        "intermediary": f"/console/intermediaries/{season.contractor}",
        "growers": "/console/growers",
        "workers": "/console/workers",
        "program-report": "/console/reports/program?season=2025",
        "grower-report-for-staff": f"/console/reports/growers/{grower_id}?season=2025",
        "roster-form-for-staff": f"/console/rosters/new?grower_id={grower_id}",
    }


def _grower_pages(season: Season) -> dict[str, str]:
    return {
        "grower-flags": "/console/flags",
        "job-orders": "/console/job-orders",
        "hire-form": "/console/hires/new",
        "grower-report": f"/console/reports/growers/{season.grower.grower_id}?season=2025",
        "roster-form": "/console/rosters/new",
    }


# Every form control has a label a screen reader can announce.
_UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter(e => e.labels.length === 0).map(e => e.name)"""
_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize("screen", SCREENS)
async def test_main_pages_fit_the_screen_and_label_every_field(
    browser: Browser, season: Season, artifacts: Path, screen: str
) -> None:
    for person, pages in (
        (season.staff, _main_pages(season)),
        (season.grower, _grower_pages(season)),
    ):
        page = await _open(browser, screen)
        await page.goto(f"{season.base_url}/console/sign-in")
        await page.screenshot(path=artifacts / f"sign-in-{screen}.png", full_page=True)
        await _sign_in(page, season, person)
        for name, path in pages.items():
            response = await page.goto(f"{season.base_url}{path}")
            assert response is not None
            assert response.status == 200, name
            assert await page.evaluate(_UNLABELLED) == [], name
            assert await page.evaluate(_OVERFLOW) <= 0, f"{name} scrolls sideways on a {screen}"
            await page.screenshot(path=artifacts / f"{name}-{screen}.png", full_page=True)
        await page.context.close()
    # Spanish runs longer than English: the grower's pages again, in Spanish.
    page = await _open(browser, screen)
    await _sign_in(page, season, season.grower)
    await page.get_by_role("button", name="Español").click()
    for name, path in _grower_pages(season).items():
        await page.goto(f"{season.base_url}{path}")
        await expect(page.locator("html")).to_have_attribute("lang", "es")
        assert await page.evaluate(_OVERFLOW) <= 0, f"{name} in Spanish scrolls sideways"
        await page.screenshot(path=artifacts / f"{name}-es-{screen}.png", full_page=True)
    await page.context.close()


async def test_season_scale_pages_at_phone_size(
    browser: Browser, season: Season, artifacts: Path
) -> None:
    """The grouped queue, a flag's evidence in Spanish and the report on the season with data,
    as a phone shows them."""
    page = await _open(browser, "phone")
    await _sign_in(page, season, season.staff)
    await page.goto(f"{season.base_url}/console/flags")
    header = await page.locator(".site-header").bounding_box()
    assert header is not None
    assert header["height"] <= PHONE_HEADER_MAX_PX
    group = page.locator("table.flag-groups tbody tr").filter(has_text=f"{GROUPED_CASES} cases")
    await expect(group).to_have_count(1)
    assert await page.evaluate(_OVERFLOW) <= 0, "the grouped queue scrolls sideways"
    await group.screenshot(path=artifacts / "flags-grouped-phone.png")
    await group.get_by_text("Show the cases").click()
    await expect(group.get_by_text("Trabajador 100 Gómez Ramírez")).to_be_visible()

    await page.get_by_role("button", name="Español").click()
    await page.goto(f"{season.base_url}/console/flags/{season.fee_flag}")
    await expect(page.get_by_text("El trabajador pagó MXN")).to_be_visible()
    evidence = page.locator('section[aria-labelledby="evidence"]')
    await evidence.screenshot(path=artifacts / "flag-evidence-es-phone.png")

    await page.goto(f"{season.base_url}/console/reports/program")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("2025")
    await page.screenshot(path=artifacts / "program-report-es-phone.png", full_page=True)
    await page.context.close()
