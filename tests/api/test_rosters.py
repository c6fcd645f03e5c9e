"""Roster imports: every problem reported by row and column; all rows or none; twice is once."""

import csv
import io
from datetime import date
from typing import Any

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from stdnum.mx import curp as stdnum_curp

from recruitment import clock
from recruitment.models import AuditEvent, Cost, Hire, Recruitment, Worker
from recruitment.services import rosters
from tests.factories import Credentials, Factory, hire_request, worker_identity

COLUMNS = [
    "worker_given_names", "worker_family_names", "date_of_birth", "nationality", "curp",
    "preferred_language", "job_order", "channel", "sne_folio", "sne_office", "recruited_on",
    "visa_applied_on", "cost_category", "cost_purpose", "cost_amount", "cost_currency",
    "cost_paid_on", "cost_reported_by", "start_date",
]  # fmt: skip


def roster_row(**overrides: str) -> dict[str, str]:
    identity = worker_identity()
    return {
        "worker_given_names": identity["given_names"],
        "worker_family_names": identity["family_names"],
        "date_of_birth": identity["date_of_birth"],
        "nationality": "MX",
        "curp": identity["curp"],
        "preferred_language": "es",
        "job_order": "FL-10001",
        "channel": "sne",
        "sne_folio": f"TLX-{identity['curp'][-6:]}",
        "sne_office": "SNE Oficina Tlaxcala",
        "recruited_on": "2025-09-01",
        "visa_applied_on": "09/20/2025",
        "start_date": "2025-11-01",
        **overrides,
    }


def as_csv(rows: list[dict[str, str]], columns: list[str] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


async def upload(
    client: httpx.AsyncClient, credentials: Credentials, body: bytes, *, dry_run: bool
) -> httpx.Response:
    return await client.post(
        "/imports/rosters",
        files={"file": ("roster.csv", body, "text/csv")},
        data={"dry_run": str(dry_run).lower()},
        headers=credentials.headers,
    )


async def counts(session: AsyncSession) -> tuple[int, ...]:
    return tuple(
        [
            (await session.exec(select(func.count()).select_from(table))).one()
            for table in (Worker, Recruitment, Hire, Cost)
        ]
    )


@pytest.fixture
async def grower(factory: Factory) -> dict[str, Any]:
    grower, credentials = await factory.grower_with_key()
    await factory.job_order(grower.id)
    await factory.intermediary(name="SNE Oficina Tlaxcala")
    return {"grower": grower, "credentials": credentials}


async def test_a_roster_is_checked_then_imported_once(
    client: httpx.AsyncClient, grower: dict[str, Any], session: AsyncSession
) -> None:
    rows = [roster_row() for _ in range(3)]
    rows[0].update(
        cost_category="administrative", cost_purpose="visa", cost_amount="190.00",
        cost_currency="USD", cost_paid_on="2025-09-20", cost_reported_by="receipt",
    )  # fmt: skip
    body = as_csv(rows)
    checked = await upload(client, grower["credentials"], body, dry_run=True)
    assert checked.status_code == 200, checked.text
    assert checked.json()["problems"] == []
    assert checked.json()["imported"] is False
    assert await counts(session) == (0, 0, 0, 0)

    imported = await upload(client, grower["credentials"], body, dry_run=False)
    report = imported.json()
    assert report["imported"] is True
    assert (report["workers_created"], report["recruitments_created"]) == (3, 3)
    assert (report["hires_created"], report["costs_created"]) == (3, 1)
    assert await counts(session) == (3, 3, 3, 1)
    listed = await client.get("/flags", headers=grower["credentials"].headers)
    assert {f["code"] for f in listed.json()["items"]} >= {"SNE_CHANNEL_UNVERIFIED"}

    again = await upload(client, grower["credentials"], body, dry_run=False)
    assert again.json()["recruitments_unchanged"] == 3
    assert await counts(session) == (3, 3, 3, 1)


async def test_a_bad_roster_reports_every_problem_and_imports_nothing(
    client: httpx.AsyncClient, grower: dict[str, Any], session: AsyncSession
) -> None:
    twice = roster_row()
    rows = [
        roster_row(curp="GOMJ800102HDFRRN00"),  # wrong check digit
        roster_row(recruited_on="2025-09-10", visa_applied_on="2025-09-01"),  # out of order
        twice,
        {**twice, "worker_given_names": "Pedro"},  # the same worker, other data
        roster_row(recruited_on="03/04/2025"),  # ambiguous
        roster_row(),  # fine on its own: nothing is imported all the same
    ]
    response = await upload(client, grower["credentials"], as_csv(rows), dry_run=False)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["imported"] is False
    problems = {(p["row"], p["column"]) for p in report["problems"]}
    assert (2, "curp") in problems
    assert (3, "visa_applied_on") in problems
    assert (5, "curp") in problems
    assert (6, "recruited_on") in problems
    messages = " ".join(p["message"] for p in report["problems"])
    assert "2025-03-04 or 2025-04-03" in messages
    assert "row 4" in messages
    assert await counts(session) == (0, 0, 0, 0)


PASSPORT_COLUMNS = [*COLUMNS, "passport_country", "passport_number"]
# factory.hire's own SNE office has the same name as the grower's: name neither.
DIRECT = {"channel": "grower_direct", "sne_folio": "", "sne_office": ""}


def curp_of_a_namesake(document: str) -> str:
    """Another valid CURP with the same name letters and birth date (another homonym digit)."""
    body = document[:16] + ("2" if document[16] == "1" else "1")
    return body + stdnum_curp.calc_check_digit(body)


async def test_documents_on_record_are_checked_as_a_hire_checks_them(
    client: httpx.AsyncClient, grower: dict[str, Any], factory: Factory, session: AsyncSession
) -> None:
    elsewhere = await factory.job_order((await factory.grower()).id)
    with_passport = worker_identity(passport_country="MX", passport_number="G10000001")
    await factory.hire(elsewhere, worker=with_passport)
    another = worker_identity(passport_country="MX", passport_number="G10000002")
    await factory.hire(elsewhere, worker=another)
    before = await counts(session)
    rows = [
        # The passport on record, with a CURP that is not its worker's.
        roster_row(
            curp=curp_of_a_namesake(with_passport["curp"]),
            date_of_birth=with_passport["date_of_birth"],
            passport_country="MX", passport_number="G10000001", **DIRECT,
        ),
        # One worker's CURP with another worker's passport.
        roster_row(
            curp=with_passport["curp"], date_of_birth=with_passport["date_of_birth"],
            passport_country="MX", passport_number="G10000002", **DIRECT,
        ),
    ]  # fmt: skip
    response = await upload(
        client, grower["credentials"], as_csv(rows, PASSPORT_COLUMNS), dry_run=False
    )
    report = response.json()
    assert report["imported"] is False
    assert {(p["row"], p["column"]) for p in report["problems"]} == {
        (2, "passport_number"),
        (3, "curp"),
    }
    assert await counts(session) == before


async def test_a_worker_on_record_by_passport_is_found_when_the_roster_adds_a_curp(
    client: httpx.AsyncClient, grower: dict[str, Any], factory: Factory, session: AsyncSession
) -> None:
    elsewhere = await factory.job_order((await factory.grower()).id)
    identity = worker_identity()
    passport_only = {**identity, "curp": None, "passport_number": "G20000001"}
    passport_only["passport_country"] = "MX"
    on_record = await factory.hire(elsewhere, worker=passport_only)
    row = roster_row(
        curp=identity["curp"], date_of_birth=identity["date_of_birth"],
        passport_country="MX", passport_number="G20000001", **DIRECT,
    )  # fmt: skip
    response = await upload(
        client, grower["credentials"], as_csv([row], PASSPORT_COLUMNS), dry_run=False
    )
    report = response.json()
    assert report["imported"] is True, report["problems"]
    assert (report["workers_created"], report["recruitments_created"]) == (0, 1)
    recruited = await session.exec(
        select(Recruitment.worker_id).where(Recruitment.job_order_id != elsewhere.id)
    )
    assert list(recruited) == [on_record.worker_id]


async def test_a_missing_required_column_is_named(
    client: httpx.AsyncClient, grower: dict[str, Any]
) -> None:
    columns = [c for c in COLUMNS if c != "channel"] + ["shoe_size"]
    response = await upload(
        client, grower["credentials"], as_csv([roster_row()], columns), dry_run=True
    )
    report = response.json()
    assert report["problems"] == [
        {"row": 1, "column": "channel", "message": "required column is missing"}
    ]
    assert report["unknown_columns"] == ["shoe_size"]


async def test_references_are_the_growers_own(
    client: httpx.AsyncClient, grower: dict[str, Any], factory: Factory
) -> None:
    other = await factory.grower()
    theirs = await factory.job_order(other.id, job_order_number="TX-999")
    rows = [roster_row(job_order="TX-999"), roster_row(job_order=str(theirs.id))]
    response = await upload(client, grower["credentials"], as_csv(rows), dry_run=True)
    assert {(p["row"], p["column"]) for p in response.json()["problems"]} == {
        (2, "job_order"),
        (3, "job_order"),
    }


async def test_staff_import_for_a_named_grower_and_growers_only_for_themselves(
    client: httpx.AsyncClient, grower: dict[str, Any], factory: Factory
) -> None:
    staff = await factory.key("staff")
    body = as_csv([roster_row()])
    unnamed = await client.post(
        "/imports/rosters",
        files={"file": ("roster.csv", body, "text/csv")},
        data={"dry_run": "true"},
        headers=staff.headers,
    )
    assert unnamed.status_code == 422
    named = await client.post(
        "/imports/rosters",
        files={"file": ("roster.csv", body, "text/csv")},
        data={"dry_run": "true", "grower_id": str(grower["grower"].id)},
        headers=staff.headers,
    )
    assert named.status_code == 200
    _, intruder = await factory.grower_with_key()
    posing = await client.post(
        "/imports/rosters",
        files={"file": ("roster.csv", body, "text/csv")},
        data={"dry_run": "true", "grower_id": str(grower["grower"].id)},
        headers=intruder.headers,
    )
    assert posing.status_code == 404


async def test_a_worker_listed_twice_makes_one_case_per_job_order(
    client: httpx.AsyncClient, grower: dict[str, Any], factory: Factory, session: AsyncSession
) -> None:
    await factory.job_order(grower["grower"].id, job_order_number="FL-20002")
    row = roster_row()
    rows = [row, dict(row), {**row, "job_order": "FL-20002", "sne_folio": "TLX-SECOND"}]
    response = await upload(client, grower["credentials"], as_csv(rows), dry_run=False)
    report = response.json()
    assert report["imported"] is True, report["problems"]
    assert (report["workers_created"], report["recruitments_created"]) == (1, 2)
    assert (report["recruitments_unchanged"], report["hires_created"]) == (1, 2)
    assert await counts(session) == (1, 2, 2, 0)


async def test_a_person_named_by_curp_then_by_passport_alone_is_one_worker(
    client: httpx.AsyncClient, grower: dict[str, Any], session: AsyncSession
) -> None:
    with_curp = roster_row(passport_country="MX", passport_number="G30000001")
    passport_alone = {**with_curp, "curp": "", "sne_folio": "TLX-PASSPORT"}
    response = await upload(
        client,
        grower["credentials"],
        as_csv([with_curp, passport_alone], PASSPORT_COLUMNS),
        dry_run=False,
    )
    report = response.json()
    assert report["imported"] is True, report["problems"]
    assert (report["workers_created"], report["recruitments_created"]) == (1, 1)
    assert (report["recruitments_unchanged"], report["hires_created"]) == (1, 1)
    assert await counts(session) == (1, 1, 1, 0)


async def test_a_roster_imported_again_with_new_rows_adds_only_those(
    client: httpx.AsyncClient, grower: dict[str, Any], session: AsyncSession
) -> None:
    season = [roster_row() for _ in range(2)]
    first = await upload(client, grower["credentials"], as_csv(season), dry_run=False)
    assert first.json()["imported"] is True, first.json()["problems"]
    late = roster_row(
        cost_category="administrative", cost_purpose="visa", cost_amount="190.00",
        cost_currency="USD", cost_paid_on="2025-09-20", cost_reported_by="receipt",
    )  # fmt: skip
    again = await upload(client, grower["credentials"], as_csv([*season, late]), dry_run=False)
    report = again.json()
    assert report["imported"] is True, report["problems"]
    assert (report["workers_created"], report["recruitments_created"]) == (1, 1)
    assert (report["recruitments_unchanged"], report["hires_created"]) == (2, 1)
    assert report["costs_created"] == 1
    assert await counts(session) == (3, 3, 3, 1)


@pytest.fixture
def one_row_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each row read, checked and written as a batch of its own: what a long file does."""
    monkeypatch.setattr(rosters, "BATCH_ROWS", 1)


@pytest.mark.usefixtures("one_row_batches")
async def test_a_problem_in_a_later_batch_leaves_nothing_of_the_earlier_ones(
    client: httpx.AsyncClient, grower: dict[str, Any], session: AsyncSession
) -> None:
    rows = [roster_row() for _ in range(3)]
    rows.append(roster_row(curp=rows[0]["curp"][:-1] + "X"))
    response = await upload(client, grower["credentials"], as_csv(rows), dry_run=False)
    report = response.json()
    assert report["imported"] is False
    assert [(p["row"], p["column"]) for p in report["problems"]] == [(5, "curp")]
    assert report["workers_created"] == report["recruitments_created"] == 0
    assert await counts(session) == (0, 0, 0, 0)
    imports = select(func.count()).where(AuditEvent.action == "recruitment.import")
    assert (await session.exec(imports)).one() == 0


@pytest.mark.usefixtures("one_row_batches")
async def test_rows_of_one_person_in_several_batches_make_one_worker(
    client: httpx.AsyncClient, grower: dict[str, Any], factory: Factory, session: AsyncSession
) -> None:
    await factory.job_order(grower["grower"].id, job_order_number="FL-20002")
    row = roster_row(passport_country="MX", passport_number="G30000002")
    passport_alone = {**row, "curp": "", "sne_folio": "TLX-PASSPORT"}
    second_order = {**row, "job_order": "FL-20002", "sne_folio": "TLX-SECOND"}
    rows = [row, dict(row), passport_alone, second_order]
    response = await upload(
        client, grower["credentials"], as_csv(rows, PASSPORT_COLUMNS), dry_run=False
    )
    report = response.json()
    assert report["imported"] is True, report["problems"]
    assert (report["workers_created"], report["recruitments_created"]) == (1, 2)
    assert (report["recruitments_unchanged"], report["hires_created"]) == (2, 2)
    assert await counts(session) == (1, 2, 2, 0)


@pytest.mark.usefixtures("one_row_batches")
async def test_a_person_found_by_passport_keeps_that_worker_in_later_batches(
    client: httpx.AsyncClient, grower: dict[str, Any], factory: Factory, session: AsyncSession
) -> None:
    await factory.job_order(grower["grower"].id, job_order_number="FL-20002")
    row = roster_row(passport_country="MX", passport_number="G30000003")
    passport_alone = {**row, "curp": "", "sne_folio": "TLX-PASSPORT"}
    # Written in batches after the one that found this person's worker by passport.
    second_order = {**passport_alone, "job_order": "FL-20002", "sne_folio": "TLX-SECOND"}
    rows = [row, passport_alone, second_order]
    response = await upload(
        client, grower["credentials"], as_csv(rows, PASSPORT_COLUMNS), dry_run=False
    )
    report = response.json()
    assert report["imported"] is True, report["problems"]
    assert (report["workers_created"], report["recruitments_created"]) == (1, 2)
    assert await counts(session) == (1, 2, 2, 0)
    hired = await session.exec(select(func.count(func.distinct(Recruitment.worker_id))))
    assert hired.one() == 1


async def test_a_roster_cost_paid_in_the_future_is_refused(
    client: httpx.AsyncClient, grower: dict[str, Any], session: AsyncSession
) -> None:
    # The tests' today is 2025-10-15: a cost paid on 2025-12-01 has not been paid yet.
    row = roster_row(
        cost_category="administrative", cost_purpose="visa", cost_amount="190.00",
        cost_currency="USD", cost_paid_on="2025-12-01", cost_reported_by="receipt",
    )  # fmt: skip
    response = await upload(client, grower["credentials"], as_csv([row]), dry_run=False)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["imported"] is False
    assert {(p["row"], p["column"]) for p in report["problems"]} == {(2, "cost_paid_on")}
    assert await counts(session) == (0, 0, 0, 0)


async def test_a_next_season_roster_without_last_seasons_complainant_flags_that_case(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    grower, credentials = await factory.grower_with_key()
    staff = await factory.key("staff")
    office = await factory.intermediary(name="SNE Oficina Tlaxcala")
    season_2026 = await factory.job_order(
        grower.id, job_order_number="FL-2026", period_start="2026-03-01", period_end="2026-10-31"
    )
    await factory.job_order(grower.id, job_order_number="FL-2027",
                            period_start="2027-03-01", period_end="2027-10-31")  # fmt: skip
    people = [worker_identity(given_names=name) for name in ("Ana", "Luis")]
    with clock.as_of(date(2026, 6, 1)):
        hired = [
            await client.post(
                "/hires",
                json=hire_request(season_2026.id, office.id, worker=person,
                                  start_date="2026-03-02"),
                headers=credentials.headers,
            )
            for person in people
        ]  # fmt: skip
        complainant = hired[0].json()["recruitment_id"]
        complaint = await client.post(
            "/complaints",
            json={"grower_id": str(grower.id), "recruitment_id": complainant,
                  "language": "es", "account": "Nos gritan."},
            headers=staff.headers,
        )  # fmt: skip
    assert complaint.status_code == 201, complaint.text
    luis = people[1]
    row = roster_row(
        worker_given_names=luis["given_names"], worker_family_names=luis["family_names"],
        date_of_birth=luis["date_of_birth"], curp=luis["curp"], job_order="FL-2027",
        recruited_on="2026-12-01", visa_applied_on="2027-01-15", start_date="2027-03-02",
    )  # fmt: skip
    with clock.as_of(date(2027, 3, 10)):
        imported = await upload(client, credentials, as_csv([row]), dry_run=False)
    assert imported.json()["imported"] is True, imported.text
    flags = await client.get(
        "/flags",
        params={"recruitment_id": complainant, "code": "POSSIBLE_RETALIATION"},
        headers=staff.headers,
    )
    [flag] = flags.json()["items"]
    assert flag["evidence"]["signal"] == "not_rehired"
