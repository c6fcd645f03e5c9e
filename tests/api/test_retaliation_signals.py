"""POSSIBLE_RETALIATION's other two signals, through the API: a complainant moved off a crew
within the complaint's window, and a complainant the grower did not hire again the next season
while it re-hired others of the same season. A hire's crew is a dated history, never overwritten."""

from datetime import date
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.services import cases
from tests.factories import Credentials, Factory, hire_request, worker_identity


class Grower:
    def __init__(self, id: UUID, key: Credentials, staff: Credentials, office_id: UUID) -> None:
        self.id = id
        self.key = key
        self.staff = staff
        self.office_id = office_id


@pytest.fixture
async def grower(factory: Factory) -> Grower:
    grower, key = await factory.grower_with_key()
    office = await factory.intermediary()
    return Grower(grower.id, key, await factory.key("staff"), office.id)


async def hire(
    client: httpx.AsyncClient, grower: Grower, job_order_id: UUID, **overrides: Any
) -> dict[str, Any]:
    body = hire_request(job_order_id, grower.office_id, **overrides)
    created = await client.post("/hires", json=body, headers=grower.key.headers)
    assert created.status_code == 201, created.text
    return dict(created.json())


async def complain(
    client: httpx.AsyncClient, grower: Grower, hired: dict[str, Any], received_at: str
) -> dict[str, Any]:
    created = await client.post(
        "/complaints",
        json={"grower_id": str(grower.id), "recruitment_id": hired["recruitment_id"],
              "category": "harassment_violence", "language": "es",
              "account": "El mayordomo me gritó.", "received_at": received_at},
        headers=grower.staff.headers,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    return dict(created.json())


async def move(
    client: httpx.AsyncClient, grower: Grower, hire_id: str, **changes: Any
) -> httpx.Response:
    read = await client.get(f"/hires/{hire_id}", headers=grower.key.headers)
    return await client.patch(
        f"/hires/{hire_id}",
        json=changes,
        headers={**grower.key.headers, "If-Match": read.headers["etag"]},
    )


async def retaliation_flags(
    client: httpx.AsyncClient, grower: Grower, recruitment_id: str
) -> list[dict[str, Any]]:
    flags = await client.get(
        "/flags",
        params={"recruitment_id": recruitment_id, "code": "POSSIBLE_RETALIATION",
                "status": "open"},
        headers=grower.staff.headers,
    )  # fmt: skip
    assert flags.status_code == 200, flags.text
    return list(flags.json()["items"])


# Moved off a crew


async def test_a_hires_crew_changes_are_dated_assignments_that_keep_the_history(
    client: httpx.AsyncClient, factory: Factory, grower: Grower
) -> None:
    job_order = await factory.job_order(grower.id)
    hired = await hire(client, grower, job_order.id, crew="Cuadrilla 3", supervisor="Ramón")
    assert (hired["crew"], hired["supervisor"]) == ("Cuadrilla 3", "Ramón")
    moved = await move(client, grower, hired["id"], crew="Cuadrilla 5", crew_from="2025-12-10")
    assert moved.status_code == 200, moved.text
    assert moved.json()["version"] == hired["version"] + 1
    read = (await client.get(f"/hires/{hired['id']}", headers=grower.key.headers)).json()
    assert (read["crew"], read["supervisor"]) == ("Cuadrilla 5", "Ramón")
    assert [(a["crew"], a["from_date"]) for a in read["crew_history"]] == [
        ("Cuadrilla 3", "2025-11-01"),
        ("Cuadrilla 5", "2025-12-10"),
    ]
    listed = await client.get("/hires", headers=grower.key.headers)
    assert [h["crew"] for h in listed.json()["items"]] == ["Cuadrilla 5"]

    backdated = await move(client, grower, hired["id"], crew="Cuadrilla 1", crew_from="2025-12-01")
    assert backdated.status_code == 422, backdated.text
    assert [error["field"] for error in backdated.json()["errors"]] == ["crew_from"]
    stale = await client.patch(
        f"/hires/{hired['id']}",
        json={"crew": "Cuadrilla 9", "crew_from": "2026-01-05"},
        headers={**grower.key.headers, "If-Match": f'"{hired["version"]}"'},
    )
    assert stale.status_code == 412


async def test_a_complainant_moved_off_the_crew_while_the_complaint_is_open_is_flagged(
    client: httpx.AsyncClient, factory: Factory, grower: Grower
) -> None:
    job_order = await factory.job_order(grower.id)
    hired = await hire(client, grower, job_order.id, crew="Cuadrilla 3", supervisor="Ramón")
    complaint = await complain(client, grower, hired, "2025-12-01T15:00:00Z")
    with clock.as_of(date(2025, 12, 10)):
        moved = await move(client, grower, hired["id"], crew="Cuadrilla 5", supervisor="Elena",
                           crew_from="2025-12-10")  # fmt: skip
    assert moved.status_code == 200, moved.text
    [flag] = await retaliation_flags(client, grower, hired["recruitment_id"])
    assert flag["subject"] == f"complaint:{complaint['id']}:moved_off_crew"
    evidence = flag["evidence"]
    assert evidence["signal"] == "moved_off_crew"
    assert (evidence["from_crew"], evidence["to_crew"]) == ("Cuadrilla 3", "Cuadrilla 5")
    assert (evidence["from_supervisor"], evidence["to_supervisor"]) == ("Ramón", "Elena")
    assert evidence["moved_on"] == "2025-12-10"
    assert evidence["complaint_id"] == complaint["id"]
    assert "gritó" not in str(flag)


async def test_a_move_after_the_follow_up_window_or_before_the_complaint_is_no_finding(
    client: httpx.AsyncClient, factory: Factory, grower: Grower
) -> None:
    job_order = await factory.job_order(grower.id)
    hired = await hire(client, grower, job_order.id, crew="Cuadrilla 3")
    with clock.as_of(date(2025, 11, 20)):
        early = await move(client, grower, hired["id"], crew="Cuadrilla 4", crew_from="2025-11-20")
    assert early.status_code == 200, early.text
    complaint = await complain(client, grower, hired, "2025-12-01T15:00:00Z")
    with clock.as_of(date(2026, 1, 10)):  # closed: the window ends 30 days later, 2026-02-09
        closed = await client.patch(
            f"/complaints/{complaint['id']}",
            json={"status": "referred"},
            headers={**grower.staff.headers, "If-Match": f'"{complaint["version"]}"'},
        )
    assert closed.status_code == 200, closed.text
    with clock.as_of(date(2026, 2, 10)):
        late = await move(client, grower, hired["id"], crew="Cuadrilla 5", crew_from="2026-02-10")
    assert late.status_code == 200, late.text
    assert await retaliation_flags(client, grower, hired["recruitment_id"]) == []


async def test_a_move_on_the_last_day_of_the_window_is_flagged(
    client: httpx.AsyncClient, factory: Factory, grower: Grower
) -> None:
    job_order = await factory.job_order(grower.id)
    hired = await hire(client, grower, job_order.id, crew="Cuadrilla 3")
    complaint = await complain(client, grower, hired, "2025-12-01T15:00:00Z")
    with clock.as_of(date(2026, 1, 10)):
        closed = await client.patch(
            f"/complaints/{complaint['id']}",
            json={"status": "referred"},
            headers={**grower.staff.headers, "If-Match": f'"{complaint["version"]}"'},
        )
    assert closed.status_code == 200, closed.text
    with clock.as_of(date(2026, 2, 9)):
        moved = await move(client, grower, hired["id"], crew=None, crew_from="2026-02-09")
    assert moved.status_code == 200, moved.text
    [flag] = await retaliation_flags(client, grower, hired["recruitment_id"])
    assert (flag["evidence"]["to_crew"], flag["evidence"]["follow_up_window_ends"]) == (
        None, "2026-02-09",
    )  # fmt: skip


async def test_a_move_counts_from_the_day_it_takes_effect(
    client: httpx.AsyncClient, factory: Factory, grower: Grower
) -> None:
    job_order = await factory.job_order(grower.id, period_start="2026-11-01",
                                        period_end="2027-05-31")  # fmt: skip
    with clock.as_of(date(2026, 11, 20)):
        hired = await hire(client, grower, job_order.id, crew="Cuadrilla 3",
                           start_date="2026-11-02")  # fmt: skip
        await complain(client, grower, hired, "2026-11-20T10:00:00Z")
        planned = await move(client, grower, hired["id"], crew="Cuadrilla 7",
                             crew_from="2027-01-04")  # fmt: skip
        assert planned.status_code == 200, planned.text
        assert await retaliation_flags(client, grower, hired["recruitment_id"]) == []
    run = await client.post(
        "/verification/runs", json={"as_of": "2027-01-04"}, headers=grower.staff.headers
    )
    assert run.status_code in (200, 201), run.text
    [flag] = await retaliation_flags(client, grower, hired["recruitment_id"])
    assert flag["evidence"]["moved_on"] == "2027-01-04"


async def test_a_change_of_supervisor_alone_or_a_first_crew_is_no_move(
    client: httpx.AsyncClient, factory: Factory, grower: Grower
) -> None:
    job_order = await factory.job_order(grower.id)
    hired = await hire(client, grower, job_order.id)
    assert (hired["crew"], hired["crew_history"]) == (None, [])
    await complain(client, grower, hired, "2025-11-05T15:00:00Z")
    with clock.as_of(date(2025, 11, 20)):
        first = await move(client, grower, hired["id"], crew="Cuadrilla 2", crew_from="2025-11-10")
        assert first.status_code == 200, first.text
        boss = await move(client, grower, hired["id"], supervisor="Elena", crew_from="2025-11-12")
    assert boss.status_code == 200, boss.text
    assert len(boss.json()["crew_history"]) == 2
    assert await retaliation_flags(client, grower, hired["recruitment_id"]) == []


async def test_a_grower_cannot_move_another_growers_worker(
    client: httpx.AsyncClient, factory: Factory, grower: Grower
) -> None:
    _, other = await factory.grower_with_key()
    hired = await hire(client, grower, (await factory.job_order(grower.id)).id, crew="A")
    refused = await client.patch(
        f"/hires/{hired['id']}",
        json={"crew": "B", "crew_from": "2025-12-01"},
        headers={**other.headers, "If-Match": f'"{hired["version"]}"'},
    )
    assert refused.status_code == 404
    read = await client.get(f"/hires/{hired['id']}", headers=grower.key.headers)
    assert len(read.json()["crew_history"]) == 1


# Not re-hired

SEASON_2026 = {"period_start": "2026-03-01", "period_end": "2026-10-31"}
SEASON_2027 = {"period_start": "2027-03-01", "period_end": "2027-10-31"}
MILESTONES_2027 = {"recruited": "2026-12-01", "visa_applied": "2027-01-15"}


async def season_2026(
    client: httpx.AsyncClient, factory: Factory, grower: Grower
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Two workers hired on the grower's 2026 job order; the first complains in June 2026."""
    job_order = await factory.job_order(grower.id, **SEASON_2026)
    people = [worker_identity(given_names=name) for name in ("Ana", "Luis")]
    with clock.as_of(date(2026, 6, 1)):
        hired = [
            await hire(client, grower, job_order.id, worker=person, start_date="2026-03-02")
            for person in people
        ]
        await complain(client, grower, hired[0], "2026-06-01T15:00:00Z")
    return people, hired


async def hire_in_2027(
    client: httpx.AsyncClient, factory: Factory, grower: Grower, people: list[dict[str, Any]]
) -> None:
    job_order = await factory.job_order(grower.id, **SEASON_2027)
    with clock.as_of(date(2027, 3, 10)):
        for person in people:
            await hire(client, grower, job_order.id, worker=person, start_date="2027-03-02",
                       milestones=MILESTONES_2027)  # fmt: skip


async def test_a_complainant_not_rehired_while_others_of_the_season_are_is_flagged(
    client: httpx.AsyncClient, factory: Factory, grower: Grower
) -> None:
    people, hired = await season_2026(client, factory, grower)
    await hire_in_2027(client, factory, grower, people[1:])
    [flag] = await retaliation_flags(client, grower, hired[0]["recruitment_id"])
    assert flag["subject"].endswith(":not_rehired")
    evidence = flag["evidence"]
    assert (evidence["signal"], evidence["season"], evidence["next_season"]) == (
        "not_rehired", 2026, 2027,
    )  # fmt: skip
    assert (evidence["season_workers"], evidence["rehired_workers"]) == (1, 1)
    assert await retaliation_flags(client, grower, hired[1]["recruitment_id"]) == []


async def test_a_complainant_rehired_with_the_others_is_no_finding(
    client: httpx.AsyncClient, factory: Factory, grower: Grower
) -> None:
    people, hired = await season_2026(client, factory, grower)
    await hire_in_2027(client, factory, grower, people)
    assert await retaliation_flags(client, grower, hired[0]["recruitment_id"]) == []


async def test_no_finding_before_the_grower_hires_for_its_next_season(
    client: httpx.AsyncClient, factory: Factory, grower: Grower
) -> None:
    _, hired = await season_2026(client, factory, grower)
    run = await client.post(
        "/verification/runs", json={"as_of": "2027-01-15"}, headers=grower.staff.headers
    )
    assert run.status_code in (200, 201), run.text
    assert await retaliation_flags(client, grower, hired[0]["recruitment_id"]) == []


async def test_a_next_season_of_new_workers_only_is_no_finding(
    client: httpx.AsyncClient, factory: Factory, grower: Grower
) -> None:
    _, hired = await season_2026(client, factory, grower)
    await hire_in_2027(client, factory, grower, [worker_identity(given_names="Rosa")])
    assert await retaliation_flags(client, grower, hired[0]["recruitment_id"]) == []


async def test_another_growers_hires_say_nothing_of_this_growers_complainant(
    client: httpx.AsyncClient, factory: Factory, grower: Grower
) -> None:
    people, hired = await season_2026(client, factory, grower)
    other, other_key = await factory.grower_with_key()
    elsewhere = Grower(other.id, other_key, grower.staff, grower.office_id)
    await hire_in_2027(client, factory, elsewhere, people[1:])
    assert await retaliation_flags(client, grower, hired[0]["recruitment_id"]) == []


# Set-based


async def test_the_signals_facts_take_the_same_queries_however_many_complainants(
    client: httpx.AsyncClient, factory: Factory, grower: Grower, session: AsyncSession,
    queries: list[str],
) -> None:  # fmt: skip
    job_order = await factory.job_order(grower.id)
    counts = []
    for complainants in (1, 4):
        hired = [(await factory.hire(job_order, crew="Cuadrilla 3")).model_dump(mode="json")
                 for _ in range(complainants)]  # fmt: skip
        for one in hired:
            await complain(client, grower, one, "2025-10-01T15:00:00Z")
        queries.clear()
        loaded = await cases.load_facts(session, [UUID(one["recruitment_id"]) for one in hired])
        assert all(case.hire and case.hire.crew_history and case.grower_seasons
                   for case in loaded)  # fmt: skip
        counts.append(len(queries))
    assert counts[0] == counts[1]
