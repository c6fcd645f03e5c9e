"""The interactive API documentation works with no internet: every file it needs is ours."""

from urllib.parse import urlsplit

import pytest
from playwright.async_api import Route, async_playwright, expect

from recruitment.rendering import ContractRenderer
from tests.console.test_browser import CHROMIUM, CHROMIUM_ARGS, ConsoleServer, _chromium

pytestmark = pytest.mark.browser


async def test_the_schema_page_renders_with_the_network_cut(
    database_url: str, renderer: ContractRenderer
) -> None:
    _chromium()
    blocked: list[str] = []

    async def loopback_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort("internetdisconnected")

    async with ConsoleServer(database_url, renderer) as server, async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page()
            await page.route("**/*", loopback_only)
            await page.goto(f"{server.base_url}/schema")
            await expect(page.locator(".swagger-ui .info .title")).to_contain_text(
                "Clean-channel recruitment", timeout=30_000
            )
            await expect(
                page.locator(".opblock-summary-path", has_text="/hires").first
            ).to_be_visible()
        finally:
            await browser.close()

    assert blocked == [], "the page asked for files from elsewhere"
