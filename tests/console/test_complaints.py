"""The console's complaint queue: staff record a hotline call, find it, open it (an audit event)
and work it; a grower has no way in."""

import re
from uuid import UUID

import httpx
from litestar import Litestar
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import AuditEvent, Complaint
from tests.console.conftest import Person, create_user, post_form, sign_in
from tests.factories import Factory, worker_identity

WORDS = "The crew boss Ramón said we would be sent home if we talked to the program."


async def test_staff_record_a_hotline_call_and_work_it_from_the_queue(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession, staff: Person
) -> None:
    grower = await factory.grower(legal_name="Lake Placid Citrus LLC")
    await sign_in(client, staff)
    refused = await post_form(
        client, "/console/complaints/new", "/console/complaints",
        {"grower_id": str(grower.id), "language": "es", "account": ""},
    )  # fmt: skip
    assert refused.status_code == 422
    recorded = await post_form(
        client, "/console/complaints/new", "/console/complaints",
        {"grower_id": str(grower.id), "language": "es", "category": "retaliation",
         "account": WORDS, "crew": "Cuadrilla 7", "callback_phone": "+52 55 1234 5678"},
    )  # fmt: skip
    assert recorded.status_code == 303, recorded.text
    complaint = (await session.exec(select(Complaint))).one()
    assert recorded.headers["location"] == f"/console/complaints/{complaint.id}"
    assert (complaint.severity, complaint.crew) == ("urgent", "Cuadrilla 7")

    queue = await client.get("/console/complaints")
    assert complaint.reference in queue.text
    assert "Ramón" not in queue.text
    opened = await client.get(f"/console/complaints/{complaint.id}")
    assert WORDS in opened.text
    reads = await session.exec(
        select(AuditEvent).where(
            AuditEvent.subject_id == complaint.id, AuditEvent.action == "complaint.read"
        )
    )
    assert len(list(reads)) == 1

    version = re.search(r'name="version" value="(\d+)"', opened.text)
    assert version
    moved = await post_form(
        client, f"/console/complaints/{complaint.id}", f"/console/complaints/{complaint.id}",
        {"version": version.group(1), "status": "investigating", "investigator": "Ana Ruiz",
         "note": "Visited the camp."},
    )  # fmt: skip
    assert moved.status_code == 303, moved.text
    worked = await client.get(f"/console/complaints/{complaint.id}")
    assert "Visited the camp." in worked.text
    assert "Ana Ruiz" in worked.text
    stale = await post_form(
        client, f"/console/complaints/{complaint.id}", f"/console/complaints/{complaint.id}",
        {"version": version.group(1), "severity": "minor"},
    )  # fmt: skip
    assert stale.status_code == 422
    assert "changed since you read it" in stale.text


async def test_a_grower_user_cannot_open_the_complaint_queue(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower = await factory.grower()
    person = await create_user(session, "office@citrus.example", "grower", grower.id)
    await sign_in(client, person)
    for url in ("/console/complaints", "/console/complaints/new",
                f"/console/complaints/{UUID(int=1)}"):  # fmt: skip
        assert (await client.get(url)).status_code in (403, 404), url


async def test_a_grower_reads_only_what_staff_shared_and_answers_it(
    app: Litestar, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    grower, _ = await factory.grower_with_key()
    other = await factory.grower()
    staff_key = await factory.key("staff")
    recorded = await client.post(
        "/complaints",
        json={"grower_id": str(grower.id), "language": "es", "account": WORDS},
        headers=staff_key.headers,
    )
    hidden = await client.post(
        "/complaints",
        json={"grower_id": str(grower.id), "language": "es", "account": "Not shared yet."},
        headers=staff_key.headers,
    )
    shared = await client.patch(
        f"/complaints/{recorded.json()['id']}",
        json={"status": "investigating", "shared_summary": "A supervisor threatened a crew.",
              "required_action": "Meet the crew with the program present."},
        headers={**staff_key.headers, "If-Match": recorded.headers["etag"]},
    )  # fmt: skip
    assert shared.status_code == 200, shared.text
    person = await create_user(session, "office@ridge.example", "grower", grower.id)
    await sign_in(client, person)
    listed = await client.get("/console/shared-complaints")
    assert recorded.json()["reference"] in listed.text
    assert hidden.json()["reference"] not in listed.text
    url = f"/console/shared-complaints/{recorded.json()['id']}"
    opened = await client.get(url)
    assert "A supervisor threatened a crew." in opened.text
    assert "Ramón" not in opened.text
    assert (
        await client.get(f"/console/shared-complaints/{hidden.json()['id']}")
    ).status_code == 404
    answered = await post_form(client, url, f"{url}/responses", {"response": "We will meet them."})
    assert answered.status_code == 303, answered.text
    assert "We will meet them." in (await client.get(url)).text

    stranger = await create_user(session, "office@other.example", "grower", other.id)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as theirs:
        await sign_in(theirs, stranger)
        assert (await theirs.get(url)).status_code == 404
        assert (
            recorded.json()["reference"]
            not in (await theirs.get("/console/shared-complaints")).text
        )


async def test_staff_pick_the_workers_case_among_the_growers_cases_without_a_script(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession, staff: Person
) -> None:
    grower = await factory.grower(legal_name="Lake Placid Citrus LLC")
    other = await factory.grower(legal_name="Other Farms LLC")
    person = worker_identity(given_names="Marisol")
    ours = await factory.hire(await factory.job_order(grower.id), worker=person)
    theirs = await factory.hire(
        await factory.job_order(other.id), worker=worker_identity(given_names="Teodoro")
    )
    await sign_in(client, staff)
    blank = await client.get("/console/complaints/new")
    assert "Marisol" not in blank.text

    shown = await post_form(
        client, "/console/complaints/new", "/console/complaints",
        {"grower_id": str(grower.id), "action": "show_cases", "account": WORDS},
    )  # fmt: skip
    assert shown.status_code == 200, shown.text
    assert f'value="{ours.recruitment_id}"' in shown.text
    assert "Marisol Gómez Ramírez" in shown.text
    assert person["curp"][-3:] in shown.text
    assert person["curp"] not in shown.text  # the identity document masked
    assert str(theirs.recruitment_id) not in shown.text
    assert "Teodoro" not in shown.text
    assert WORDS in shown.text  # what was typed stays
    assert (await session.exec(select(Complaint))).first() is None
    linked = await client.get(f"/console/complaints/new?grower_id={grower.id}")
    assert f'value="{ours.recruitment_id}"' in linked.text

    refused = await post_form(
        client, f"/console/complaints/new?grower_id={grower.id}", "/console/complaints",
        {"grower_id": str(grower.id), "recruitment_id": str(theirs.recruitment_id),
         "language": "es", "account": WORDS},
    )  # fmt: skip
    assert refused.status_code == 422
    assert "another grower" in refused.text
    assert (await session.exec(select(Complaint))).first() is None

    recorded = await post_form(
        client, f"/console/complaints/new?grower_id={grower.id}", "/console/complaints",
        {"grower_id": str(grower.id), "recruitment_id": str(ours.recruitment_id),
         "language": "es", "account": WORDS},
    )  # fmt: skip
    assert recorded.status_code == 303, recorded.text
    complaint = (await session.exec(select(Complaint))).one()
    assert (complaint.recruitment_id, complaint.worker_id) == (ours.recruitment_id, ours.worker_id)
