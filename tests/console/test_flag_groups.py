"""The flags queue at season scale: one job order's problem on many cases is one row, worked once,
and every flag of it is still audited on its own; evidence reads in the console's language."""

import html

import httpx
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import AuditEvent, Flag, FlagStatusChange
from recruitment.schemas.growers import GrowerRead
from recruitment.services import costs
from recruitment.services.caller import COMMAND_LINE
from tests.console.conftest import Person, create_user, csrf_token, post_form, sign_in
from tests.factories import RECRUITMENT_FEE, Factory, worker_identity

WORKERS = ("Marisol", "Evens", "Juana")


async def incomplete_job_order_with_three_cases(factory: Factory) -> GrowerRead:
    grower = await factory.grower()
    # No employer phone: TERMS_INCOMPLETE, one finding about the job order, on each case.
    job_order = await factory.job_order(grower.id, employer_phone=None)
    for given_names in WORKERS:
        await factory.hire(job_order, worker=worker_identity(given_names=given_names))
    return grower


async def group_flags(session: AsyncSession) -> list[Flag]:
    return list(await session.exec(select(Flag).where(Flag.code == "TERMS_INCOMPLETE")))


async def test_one_job_orders_problem_on_three_cases_is_one_row_resolved_in_one_step(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession, staff: Person
) -> None:
    await incomplete_job_order_with_three_cases(factory)
    flags = await group_flags(session)
    assert len(flags) == 3
    await sign_in(client, staff)
    queue = await client.get("/console/flags")
    text = html.unescape(queue.text)
    assert text.count('name="group" value="TERMS_INCOMPLETE|') == 1
    assert "3 cases" in text
    for given_names in WORKERS:
        assert f"{given_names} Gómez Ramírez" in text

    group = f"TERMS_INCOMPLETE|{flags[0].subject}"
    without_note = await post_form(
        client, "/console/flags", "/console/flags/groups/status",
        {"group": group, "action": "resolve", "back": "/console/flags"},
    )  # fmt: skip
    assert without_note.status_code == 303
    assert "write a note" in (await client.get("/console/flags")).text
    assert {flag.status for flag in await group_flags(session)} == {"open"}

    resolved = await post_form(
        client, "/console/flags", "/console/flags/groups/status",
        {"group": group, "action": "resolve", "note": "Phone added in version 2.",
         "back": "/console/flags"},
    )  # fmt: skip
    assert resolved.status_code == 303
    notice = html.unescape((await client.get("/console/flags")).text)
    assert "The group's flags are resolved." in notice
    session.expire_all()
    after = await group_flags(session)
    assert {flag.status for flag in after} == {"resolved"}
    ids = [flag.id for flag in after]
    changes = await session.exec(
        select(func.count()).where(
            col(FlagStatusChange.flag_id).in_(ids),
            FlagStatusChange.note == "Phone added in version 2.",
        )
    )
    assert changes.one() == 3
    audited = await session.exec(
        select(func.count()).where(
            AuditEvent.action == "flag.resolve", col(AuditEvent.subject_id).in_(ids)
        )
    )
    assert audited.one() == 3, "each flag of the group is audited on its own"


async def test_a_grower_sees_the_group_with_names_but_cannot_act_on_it(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower = await incomplete_job_order_with_three_cases(factory)
    other = await factory.grower()
    owner = await create_user(session, "owner@grower.example", "grower", grower.id)
    stranger = await create_user(session, "other@grower.example", "grower", other.id)
    await sign_in(client, stranger)
    assert "Marisol" not in (await client.get("/console/flags")).text
    client.cookies.clear()
    await sign_in(client, owner)
    queue = await client.get("/console/flags")
    assert "3 cases" in queue.text
    assert "Marisol Gómez Ramírez" in html.unescape(queue.text)
    assert "/console/flags/groups/status" not in queue.text
    flags = await group_flags(session)
    refused = await post_form(
        client, "/console/flags", "/console/flags/groups/status",
        {"group": f"TERMS_INCOMPLETE|{flags[0].subject}", "action": "acknowledge",
         "back": "/console/flags"},
    )  # fmt: skip
    assert refused.status_code == 403
    assert {flag.status for flag in await group_flags(session)} == {"open"}


async def test_a_fee_flags_evidence_reads_as_sentences_money_and_dates_in_spanish(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession, staff: Person
) -> None:
    grower = await factory.grower()
    hire = await factory.hire(await factory.job_order(grower.id))
    await costs.record_cost(session, COMMAND_LINE, hire.recruitment_id, RECRUITMENT_FEE)
    await session.commit()
    flag = (await session.exec(select(Flag).where(Flag.code == "RECRUITMENT_FEE_CHARGED"))).one()
    await sign_in(client, staff)
    opened = await client.get("/console/flags")
    await client.post(
        "/console/language",
        data={"_csrf_token": csrf_token(opened.text), "language": "es", "back": "/console/flags"},
    )
    page = html.unescape((await client.get(f"/console/flags/{flag.id}")).text).replace("\xa0", " ")
    assert (
        "El trabajador pagó MXN 3,500.00 a Enganchador en Tlaxcala el 2 de septiembre de 2025 "
        "(cobro por reclutamiento)." in page
    )
    assert "<dt>Quién cobró</dt>" in page
    for raw in ("payee_name", "350000", "2025-09-02", "recruitment_fee", "{"):
        assert raw not in page.split("<main", 1)[1], raw
