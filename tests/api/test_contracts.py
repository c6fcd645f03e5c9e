"""Contracts through the API: issued once, delivered, opened by the worker, checked by anyone."""

import hashlib
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from pypdf import PdfReader
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.api.app import create_app
from recruitment.database import Database
from recruitment.models import Contract
from recruitment.rendering import ContractRenderer
from recruitment.settings import Settings
from tests.factories import Credentials, Factory, complete_terms, worker_identity


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def token_of(link: str) -> str:
    return link.rsplit("/c/", 1)[1]


@pytest.fixture
async def hired(factory: Factory) -> dict[str, Any]:
    grower, credentials = await factory.grower_with_key(legal_name="Pacific Tomato Growers LLC")
    job_order = await factory.job_order(grower.id)
    hire = await factory.hire(job_order)
    return {"credentials": credentials, "hire": hire, "staff": await factory.key("staff")}


async def issue(
    client: httpx.AsyncClient, credentials: Credentials, worker_id: object, **body: Any
) -> httpx.Response:
    return await client.post(
        f"/workers/{worker_id}/contracts", json=body, headers=credentials.headers
    )


async def test_a_contract_is_issued_in_the_workers_language_and_served_as_issued(
    client: httpx.AsyncClient, hired: dict[str, Any]
) -> None:
    credentials, hire = hired["credentials"], hired["hire"]
    issued = await issue(client, credentials, hire.worker_id)
    assert issued.status_code == 201, issued.text
    contract = issued.json()
    assert contract["language"] == "es"
    assert contract["job_order_version"] == 1
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", contract["verification_code"])
    pdf = await client.get(contract["pdf_url"], headers=credentials.headers)
    assert pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == contract["sha256"]
    text = pdf_text(pdf.content)
    assert "Juan Gómez Ramírez" in text
    assert "17.00" in text or "17,00" in text
    assert "855 000 0000" in text
    worker = (await client.get(f"/workers/{hire.worker_id}", headers=credentials.headers)).json()
    assert worker["curp"] not in text, "the CURP is masked on the contract"


async def test_reissuing_supersedes_and_the_public_page_says_so_without_personal_data(
    client: httpx.AsyncClient, hired: dict[str, Any]
) -> None:
    credentials, hire = hired["credentials"], hired["hire"]
    first = (await issue(client, credentials, hire.worker_id)).json()
    second = (await issue(client, credentials, hire.worker_id, language="ht")).json()
    assert second["language"] == "ht"
    listed = (
        await client.get(f"/workers/{hire.worker_id}/contracts", headers=credentials.headers)
    ).json()
    assert [c["superseded_by_id"] for c in listed] == [second["id"], None]
    old = await client.get(f"/verify/{first['verification_code']}")
    new = await client.get(f"/verify/{second['verification_code']}?lang=en")
    assert old.status_code == new.status_code == 200
    assert "Pacific Tomato Growers" in new.text
    assert "Juan" not in new.text
    assert "Gómez" not in old.text
    assert old.text != new.text
    unknown = await client.get("/verify/ZZZZ-ZZZZ")
    assert unknown.status_code == 404


async def test_the_worker_link_opens_the_page_and_pdf_and_records_receipt(
    client: httpx.AsyncClient, hired: dict[str, Any]
) -> None:
    contract = (await issue(client, hired["credentials"], hired["hire"].worker_id)).json()
    token = token_of(contract["worker_link"])
    page = await client.get(f"/c/{token}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Juan" in page.text
    pdf = await client.get(f"/c/{token}/pdf")
    assert hashlib.sha256(pdf.content).hexdigest() == contract["sha256"]
    confirmed = await client.post(f"/c/{token}/receipt")
    assert confirmed.status_code == 303
    read = await client.get(f"/contracts/{contract['id']}", headers=hired["credentials"].headers)
    assert read.json()["receipt_confirmed_at"] is not None


async def test_an_old_worker_link_says_in_the_workers_language_that_a_newer_contract_replaces_it(
    client: httpx.AsyncClient, hired: dict[str, Any]
) -> None:
    credentials, hire = hired["credentials"], hired["hire"]
    first = (await issue(client, credentials, hire.worker_id)).json()
    current = await client.get(f"/c/{token_of(first['worker_link'])}")
    assert "Este contrato fue reemplazado" not in current.text
    second = (await issue(client, credentials, hire.worker_id)).json()
    old = await client.get(f"/c/{token_of(first['worker_link'])}")
    new = await client.get(f"/c/{token_of(second['worker_link'])}")
    assert old.status_code == new.status_code == 200
    assert "Este contrato fue reemplazado" in old.text
    assert "Hay un contrato más nuevo que reemplaza a este" in old.text
    assert "Este contrato fue reemplazado" not in new.text
    english = (await issue(client, credentials, hire.worker_id, language="en")).json()
    replaced_spanish = await client.get(f"/c/{token_of(second['worker_link'])}")
    assert "Este contrato fue reemplazado" in replaced_spanish.text
    assert (
        "This contract has been replaced"
        not in (await client.get(f"/c/{token_of(english['worker_link'])}")).text
    )


async def test_a_wrong_or_tampered_worker_link_is_a_page_in_three_languages_that_says_nothing(
    client: httpx.AsyncClient, hired: dict[str, Any]
) -> None:
    contract = (await issue(client, hired["credentials"], hired["hire"].worker_id)).json()
    token = token_of(contract["worker_link"])
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    cut_short = token[:10]  # malformed: the same page as an unknown link
    for url in (f"/c/{tampered}", f"/c/{tampered}/pdf", "/c/" + "x" * 43, f"/c/{cut_short}"):
        response = await client.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-store"
        for heading in (
            "Este enlace no lleva a ningún contrato",
            "Lyen sa a pa mennen sou okenn kontra",
            "This link does not lead to a contract",
        ):
            assert heading in response.text
        assert "Juan" not in response.text
    receipt = await client.post(f"/c/{tampered}/receipt")
    assert receipt.status_code == 404
    assert receipt.headers["content-type"].startswith("text/html")


async def test_a_delivery_after_the_visa_application_raises_its_flag(
    client: httpx.AsyncClient, hired: dict[str, Any]
) -> None:
    credentials, hire = hired["credentials"], hired["hire"]
    contract = (await issue(client, credentials, hire.worker_id)).json()
    delivered = await client.post(
        f"/contracts/{contract['id']}/deliveries",
        json={"method": "whatsapp", "delivered_on": "2025-10-15"},
        headers=credentials.headers,
    )
    assert delivered.status_code == 201, delivered.text
    codes = {flag["code"] for flag in delivered.json()["open_flags"]}
    assert "CONTRACT_NOT_DISCLOSED_BEFORE_VISA" in codes


async def test_a_clean_case_has_no_open_flag(client: httpx.AsyncClient, factory: Factory) -> None:
    """Referred by an SNE office, verified by staff, hired directly, contract in Spanish
    delivered before the visa application, no costs."""
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id)
    office = await factory.intermediary()
    staff = await factory.key("staff")
    hire = await client.post(
        "/hires",
        json={
            "job_order_id": str(job_order.id),
            "worker": worker_identity(),
            "channel": "sne",
            "sne_folio": "TLX-CLEAN-1",
            "sne_office_id": str(office.id),
            "milestones": {"recruited": "2025-09-01"},
            "start_date": "2025-11-01",
        },
        headers=credentials.headers,
    )
    recruitment = f"/recruitments/{hire.json()['recruitment_id']}"
    await client.post(
        f"{recruitment}/channel-verification",
        json={"decision": "verified", "evidence": "SNE Tlaxcala referral TLX-CLEAN-1"},
        headers=staff.headers,
    )
    with clock.as_of(date(2025, 9, 10)):
        contract = (await issue(client, credentials, hire.json()["worker_id"])).json()
        await client.post(
            f"/contracts/{contract['id']}/deliveries",
            json={"method": "in_person", "delivered_on": "2025-09-10"},
            headers=credentials.headers,
        )
    etag = (await client.get(recruitment, headers=credentials.headers)).headers["etag"]
    updated = await client.patch(
        recruitment,
        json={"milestones": {"contract_disclosed": "2025-09-10", "visa_applied": "2025-09-20"}},
        headers={**credentials.headers, "If-Match": etag},
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["open_flags"] == []


async def test_a_rendering_failure_stores_nothing_and_answers_a_problem(
    factory: Factory,
    database: Database,
    session: AsyncSession,
    tmp_path: Path,
    hired: dict[str, Any],
) -> None:
    broken = ContractRenderer(max_workers=1, contracts_dir=tmp_path)
    app = create_app(Settings(database_url=None), database, broken)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await issue(client, hired["credentials"], hired["hire"].worker_id)
    finally:
        broken.close()
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert (await session.exec(select(func.count()).select_from(Contract))).one() == 0


async def test_a_grower_cannot_issue_read_or_deliver_another_growers_contracts(
    client: httpx.AsyncClient, hired: dict[str, Any], factory: Factory
) -> None:
    contract = (await issue(client, hired["credentials"], hired["hire"].worker_id)).json()
    _, intruder = await factory.grower_with_key()
    attempts = [
        ("POST", f"/workers/{hired['hire'].worker_id}/contracts", {}),
        ("GET", f"/workers/{hired['hire'].worker_id}/contracts", None),
        ("GET", f"/contracts/{contract['id']}", None),
        ("GET", f"/contracts/{contract['id']}/pdf", None),
        ("GET", f"/contracts/{contract['id']}/deliveries", None),
        (
            "POST",
            f"/contracts/{contract['id']}/deliveries",
            {"method": "sms", "delivered_on": "2025-10-15"},
        ),
    ]
    for method, url, body in attempts:
        response = await client.request(method, url, json=body, headers=intruder.headers)
        assert response.status_code == 404, (method, url, response.text)


@pytest.mark.parametrize(
    ("public_base_url", "warned"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8080", True),
        ("https://c.example", False),
    ],
)
async def test_issuing_with_links_only_this_machine_can_open_says_so(
    database: Database,
    renderer: ContractRenderer,
    hired: dict[str, Any],
    public_base_url: str,
    warned: bool,
) -> None:
    app = create_app(
        Settings(database_url=None, public_base_url=public_base_url), database, renderer
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        issued = await issue(client, hired["credentials"], hired["hire"].worker_id)

    assert issued.status_code == 201, issued.text
    assert issued.json()["worker_link"].startswith(public_base_url)
    warnings = issued.json()["warnings"]
    assert bool(warnings) is warned
    assert all("RECRUITMENT_PUBLIC_BASE_URL" in warning for warning in warnings)


# The grower's English words in complete_terms(): none may reach a Kreyòl contract.
GROWER_ENGLISH = (
    "Farmworker, tomato harvest",
    "Harvest tomatoes by hand",
    "Monday to Friday",
    "Company bus",
    "bucket (32 lb)",
    "of gross wages",
)


def without_ht_duties() -> dict[str, Any]:
    translations = complete_terms()["translations"]
    kreyol = {name: text for name, text in translations["ht"].items() if name != "duties"}
    return {**translations, "ht": kreyol}


async def test_a_kreyol_contract_for_terms_without_kreyol_duties_is_refused_naming_the_field(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id, translations=without_ht_duties())
    hire = await factory.hire(job_order)
    refused = await issue(client, credentials, hire.worker_id, language="ht")
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in refused.json()["errors"]] == [
        "terms.translations.ht.duties"
    ]
    listed = await client.get(f"/workers/{hire.worker_id}/contracts", headers=credentials.headers)
    assert listed.json() == [], "a refused contract leaves nothing behind"
    spanish = await issue(client, credentials, hire.worker_id, language="es")
    assert spanish.status_code == 201, "the Spanish texts are complete"


async def test_with_the_kreyol_texts_no_english_sentence_of_the_grower_is_printed(
    client: httpx.AsyncClient, hired: dict[str, Any]
) -> None:
    credentials, hire = hired["credentials"], hired["hire"]
    issued = await issue(client, credentials, hire.worker_id, language="ht")
    assert issued.status_code == 201, issued.text
    assert issued.json()["untranslated_fields"] == []
    pdf = await client.get(issued.json()["pdf_url"], headers=credentials.headers)
    text = " ".join(pdf_text(pdf.content).split())
    assert "Ranmase tomat ak men nan bokit" in text
    assert "bokit (32 liv)" in text
    for english in GROWER_ENGLISH:
        assert english not in text


async def test_staff_may_issue_untranslated_texts_with_a_reason_and_the_flag_names_them(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    job_order = await factory.job_order(grower.id, translations=without_ht_duties())
    hire = await factory.hire(
        job_order,
        worker=worker_identity(preferred_language="ht", nationality="HT", curp=None)
        | {"curp": None, "passport_number": "HT1234567"},
    )
    staff = await factory.key("staff")
    reason = {"language": "ht", "untranslated_reason": "The interpreter reads the duties aloud."}
    by_grower = await issue(client, credentials, hire.worker_id, **reason)
    assert by_grower.status_code == 403, by_grower.text
    issued = await issue(client, staff, hire.worker_id, **reason)
    assert issued.status_code == 201, issued.text
    assert issued.json()["untranslated_fields"] == ["duties"]
    delivered = await client.post(
        f"/contracts/{issued.json()['id']}/deliveries",
        json={"method": "in_person", "delivered_on": "2025-10-15"},
        headers=staff.headers,
    )
    assert delivered.status_code == 201, delivered.text
    [mismatch] = [
        flag
        for flag in delivered.json()["open_flags"]
        if flag["code"] == "CONTRACT_LANGUAGE_MISMATCH"
    ]
    assert mismatch["evidence"]["untranslated_fields"] == ["duties"]
