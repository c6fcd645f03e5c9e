"""The console's complaint queue: staff record a hotline call, find it, open it (an audit event)
and work it; a grower has no way in."""

import re
from uuid import UUID

import httpx
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import AuditEvent, Complaint
from tests.console.conftest import Person, create_user, post_form, sign_in
from tests.factories import Factory

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
