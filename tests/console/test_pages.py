"""The console's pages over the services, under the same access rules as the API."""

import re
from datetime import date

import httpx
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import AuditEvent, Flag, Hire, Recruitment, Worker
from recruitment.schemas.recruitments import CostCreate
from recruitment.services import costs
from recruitment.services.caller import COMMAND_LINE
from recruitment.verification import catalogue
from tests.console.conftest import Person, create_user, csrf_token, post_form, sign_in
from tests.factories import Factory, unique_curp, worker_identity


async def test_staff_resolve_a_flag_with_a_note_and_the_queue_changes(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession, staff: Person
) -> None:
    grower = await factory.grower()
    hire = await factory.hire(await factory.job_order(grower.id), channel="grower_direct",
                              sne_folio=None, sne_office_id=None)  # fmt: skip
    flag = (
        await session.exec(
            select(Flag).where(
                Flag.recruitment_id == hire.recruitment_id, Flag.code == "NON_SNE_CHANNEL"
            )
        )
    ).one()
    await sign_in(client, staff)
    queue = await client.get("/console/flags")
    assert f"/console/flags/{flag.id}" in queue.text

    flag_page = f"/console/flags/{flag.id}"
    without_note = await post_form(
        client, flag_page, f"{flag_page}/status", {"action": "resolve", "back": "/console/flags"}
    )
    assert without_note.status_code == 422
    assert "Say what was done to resolve it" in without_note.text
    assert 'id="f-note-error"' in without_note.text

    resolved = await post_form(
        client, flag_page, f"{flag_page}/status",
        {"action": "resolve", "note": "Worker re-referred through SNE Tlaxcala.",
         "back": "/console/flags"},
    )  # fmt: skip
    assert resolved.status_code == 303
    assert resolved.headers["location"] == "/console/flags"
    queue = await client.get("/console/flags")
    assert "The flag is resolved." in queue.text
    assert f"/console/flags/{flag.id}" not in queue.text
    resolved_queue = await client.get("/console/flags", params={"status": "resolved"})
    assert f"/console/flags/{flag.id}" in resolved_queue.text
    history = await client.get(flag_page)
    assert "Worker re-referred through SNE Tlaxcala." in history.text
    assert "staff@program.example" in history.text  # who resolved it, as staff know them
    case = await client.get(f"/console/workers/{hire.worker_id}")
    assert "Flag raised:" in case.text
    assert "Flag resolved:" in case.text  # one capital, as every label


async def test_a_flag_shows_its_evidence_its_source_and_what_to_do(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower = await factory.grower()
    hire = await factory.hire(await factory.job_order(grower.id))
    await costs.record_cost(
        session, COMMAND_LINE, hire.recruitment_id,
        CostCreate.model_validate({
            "category": "recruitment_fee", "amount": {"amount": 250000, "currency": "MXN"},
            "paid_on": "2025-09-02", "payee_kind": "other", "payee_name": "Enganchador",
            "reported_by": "worker",
        }),
    )  # fmt: skip
    await session.commit()
    flag = (await session.exec(select(Flag).where(Flag.code == "RECRUITMENT_FEE_CHARGED"))).one()
    grower_user = await create_user(session, "office@farm.example", "grower", grower.id)
    await sign_in(client, grower_user)
    queue = await client.get("/console/flags")
    assert "A recruitment fee was charged" in queue.text
    assert "No one may charge a worker for a job" in queue.text  # what to do, for a grower
    page = await client.get(f"/console/flags/{flag.id}")
    assert "ILO General Principles for Fair Recruitment" in page.text
    assert "<dt>Payee</dt>\n    <dd>Enganchador</dd>" in page.text  # the evidence
    assert "Save the decision" not in page.text  # only staff work flags


async def test_a_grower_opening_another_growers_worker_gets_not_found(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    mine, theirs = await factory.grower(), await factory.grower()
    their_hire = await factory.hire(await factory.job_order(theirs.id))
    me = await create_user(session, "me@farm.example", "grower", mine.id)
    await sign_in(client, me)
    response = await client.get(f"/console/workers/{their_hire.worker_id}")
    assert response.status_code == 404
    assert "There is nothing here, or it is not yours to see." in response.text
    assert "Gómez" not in response.text


async def test_staff_pages_are_closed_to_growers(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower = await factory.grower()
    me = await create_user(session, "me@farm.example", "grower", grower.id)
    await sign_in(client, me)
    assert (await client.get("/console/growers")).status_code == 403
    assert (await client.get("/console/intermediaries")).status_code == 403


async def test_a_hire_form_shows_the_apis_messages_beside_their_fields_then_registers(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower = await factory.grower()
    job_order = await factory.job_order(grower.id)
    office = await factory.intermediary()
    me = await create_user(session, "me@farm.example", "grower", grower.id)
    await sign_in(client, me)
    identity = worker_identity()
    fields = {
        "job_order_id": str(job_order.id),
        "start_date": "2025-11-01",
        **{f"worker.{key}": value for key, value in identity.items()},
        "channel": "sne",
        "sne_office_id": str(office.id),
        "sne_folio": "TLX-2025-0042",
        "milestones.recruited": "2025-09-01",
    }
    refused = await post_form(
        client, "/console/hires/new", "/console/hires", {**fields, "worker.curp": "GOMJ800101"}
    )
    assert refused.status_code == 422
    # The API's own wording, next to the field: the summary links to it, the field points to it.
    assert "not a valid CURP" in refused.text
    assert 'href="#f-worker-curp"' in refused.text
    assert re.search(r'id="f-worker-curp"[^>]*aria-invalid="true"', refused.text)
    assert 'value="Gómez Ramírez"' in refused.text  # what was typed stays
    assert (await session.exec(select(func.count()).select_from(Hire))).one() == 0

    form = await client.get("/console/hires/new")
    assert 'name="worker.passport_country"' in form.text
    fields |= {"worker.passport_number": "G12345678", "worker.passport_country": "MX"}
    registered = await post_form(client, "/console/hires/new", "/console/hires", fields)
    assert registered.status_code == 303
    hire = (await session.exec(select(Hire))).one()
    worker = await session.get(Worker, hire.worker_id)
    assert worker is not None
    assert worker.passport_country == "MX"
    case = await client.get(registered.headers["location"])
    assert "The hire is registered." in case.text
    assert "Juan Gómez Ramírez" in case.text
    assert "direct hire" in case.text


async def test_a_refused_hire_leaves_nothing_written(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower = await factory.grower()
    job_order = await factory.job_order(grower.id)
    curp = unique_curp()
    hire = await factory.hire(job_order, worker=worker_identity(curp=curp))
    me = await create_user(session, "me@farm.example", "grower", grower.id)
    await sign_in(client, me)
    recruitment = await session.get(Recruitment, hire.recruitment_id)
    assert recruitment is not None
    before = (await session.exec(select(func.count()).select_from(AuditEvent))).one()
    again = await post_form(
        client, "/console/hires/new", "/console/hires",
        {"job_order_id": str(job_order.id), "start_date": "2025-11-02", "channel": "sne",
         "sne_folio": str(recruitment.sne_folio), "sne_office_id": str(recruitment.sne_office_id),
         "milestones.recruited": "2025-08-01",
         **{f"worker.{key}": value for key, value in worker_identity(curp=curp).items()}},
    )  # fmt: skip
    assert again.status_code == 409
    assert "already hired" in again.text
    # The service had already moved the recruitment's first milestone when it found the hire.
    await session.refresh(recruitment)
    assert recruitment.recruited_on == date(2025, 9, 1)
    assert (await session.exec(select(func.count()).select_from(AuditEvent))).one() == before


async def test_staff_see_growers_with_their_flags_waiting(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession, staff: Person
) -> None:
    grower = await factory.grower(legal_name="Campos Verdes LLC")
    await factory.hire(await factory.job_order(grower.id), channel="grower_direct",
                       sne_folio=None, sne_office_id=None)  # fmt: skip
    await sign_in(client, staff)
    page = await client.get("/console/growers")
    row = re.search(r"Campos Verdes LLC.*?</tr>", page.text, re.S)
    assert row is not None
    assert "Participating" in row.group(0)
    waiting = (
        await session.exec(
            select(func.count()).select_from(Flag).where(Flag.grower_id == grower.id)
        )
    ).one()
    assert waiting > 0
    assert f'status=open">{waiting}<' in row.group(0)


async def test_staff_verify_an_intermediary_beside_its_registry_record(
    client: httpx.AsyncClient, factory: Factory, staff: Person
) -> None:
    contractor = await factory.intermediary(
        kind="farm_labor_contractor", name="Cuadrilla Sur", country="US",
        certificate_number="C-99-000001-A-25-R",
    )  # fmt: skip
    await sign_in(client, staff)
    queue = await client.get("/console/intermediaries")
    assert "Cuadrilla Sur" in queue.text
    page_url = f"/console/intermediaries/{contractor.id}"
    page = await client.get(page_url)
    assert "Not in the registry" in page.text
    refused = await post_form(client, page_url, f"{page_url}/verification", {"status": "verified"})
    assert refused.status_code == 422
    assert 'id="f-note-error"' in refused.text
    rejected = await post_form(
        client, page_url, f"{page_url}/verification",
        {"status": "rejected", "note": "No DOL certificate under this number."},
    )  # fmt: skip
    assert rejected.status_code == 303
    assert "Cuadrilla Sur" not in (await client.get("/console/intermediaries")).text


async def test_the_case_shows_a_timeline_and_issues_and_delivers_a_contract(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower = await factory.grower()
    hire = await factory.hire(await factory.job_order(grower.id))
    me = await create_user(session, "me@farm.example", "grower", grower.id)
    await sign_in(client, me)
    case_url = f"/console/workers/{hire.worker_id}"
    case = await client.get(case_url)
    assert case.status_code == 200
    assert "Recruited" in case.text
    assert "Visa applied for" in case.text
    issued = await post_form(client, case_url, f"{case_url}/contracts", {"language": "es"})
    assert issued.status_code == 200, issued.text
    assert "/c/" in issued.text  # the worker's link, shown this once
    contract_id = re.search(r"/console/contracts/([0-9a-f-]{36})/pdf", issued.text).group(1)  # type: ignore[union-attr]
    pdf = await client.get(f"/console/contracts/{contract_id}/pdf")
    assert pdf.headers["content-type"] == "application/pdf"

    delivery = f"/console/contracts/{contract_id}/deliveries"
    too_early = await post_form(
        client, case_url, delivery, {"method": "whatsapp", "delivered_on": "2020-01-01"}
    )
    assert too_early.status_code == 422
    assert "before the contract was issued" in too_early.text
    delivered = await post_form(
        client, case_url, delivery, {"method": "whatsapp", "delivered_on": "2025-10-15"}
    )
    assert delivered.status_code == 303
    case = await client.get(case_url)
    assert "Contract delivered (WhatsApp)." in case.text


async def test_pages_read_in_spanish_when_chosen(
    client: httpx.AsyncClient, factory: Factory, staff: Person
) -> None:
    await factory.hire(await factory.job_order((await factory.grower()).id),
                       channel="grower_direct", sne_folio=None, sne_office_id=None)  # fmt: skip
    await sign_in(client, staff)
    page = await client.get("/console/flags")
    await client.post(
        "/console/language",
        data={"_csrf_token": csrf_token(page.text), "language": "es", "back": "/console/flags"},
    )
    for url in ("/console/flags", "/console/growers", "/console/intermediaries"):
        spanish = await client.get(url)
        assert spanish.status_code == 200
        assert '<html lang="es">' in spanish.text
    queue = await client.get("/console/flags")
    assert catalogue()["NON_SNE_CHANNEL"].texts["es"].title in queue.text
    assert "Alertas mostradas" in queue.text


async def test_an_unknown_console_address_answers_with_the_not_found_page(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/console/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
