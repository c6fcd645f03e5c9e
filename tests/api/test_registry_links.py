"""Contractors of the DOL disclosure data linked to the registry (which has their certificate
numbers, where the disclosure data has none): the import reports the linkage by basis and the
contractors left unlinked, `GET /intermediaries/{id}/registry` shows the link, and importing
again changes nothing. Real public rows: see tests/data/flc_registry_2021_linkage.md."""

from datetime import date
from pathlib import Path

import httpx
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import Intermediary
from recruitment.verification.registry import (
    REGISTRY_COLUMNS,
    ListedHolder,
    RegistryIndex,
    RegistryMatch,
)
from tests.factories import Credentials, Factory, worker_identity
from tests.imports.test_dol_disclosure import multipart

DATA = Path(__file__).parents[1] / "data"
REGISTRY = DATA / "flc_registry_2021_linkage.csv"
# The registry rows of the slice, by the contractor of the FY2022 subset each belongs to.
LINKED = {
    "Agri Crew, LLC.": "C-04-288141-E-21-R",
    "F. Madrid Harvesting, Inc.": "C-04-202945-H-21-R",
    "Double J Harvesting, Inc.": "C-04-639624-D-21-R",
    "Evergreen Honey Co., Inc.": "C-06-503503-L-21-R",
}


async def import_registry(
    client: httpx.AsyncClient, staff: Credentials, body: bytes
) -> httpx.Response:
    return await client.post(
        "/registry/imports",
        params={"source": REGISTRY.name},
        content=body,
        headers={**staff.headers, "Content-Type": "text/csv"},
    )


async def test_disclosure_contractors_are_linked_by_name_and_state_and_shown_with_the_basis(
    client: httpx.AsyncClient, factory: Factory, session: AsyncSession
) -> None:
    staff = await factory.key("staff")
    # The same name in another state is no link (a made-up row, appended to the real ones).
    decoy = (
        b'C-99-000001-A-21-R,"AGRI CREW, LLC.",1 Test Rd,Macon,GA,31201,,,N,N,N,1/1/2021,1/1/22\n'
    )
    loaded = await import_registry(client, staff, REGISTRY.read_bytes() + decoy)
    assert loaded.status_code == 200, loaded.text
    imported = await client.post(
        "/dol-disclosures/imports", files=multipart(), headers=staff.headers
    )
    assert imported.status_code == 200, imported.text
    linkage = imported.json()["registry_linkage"]
    assert linkage["linked_by_basis"] == {"name_and_state": len(LINKED)}
    assert [(u["name"], u["state"]) for u in linkage["unmatched"]] == [("Venegas Shearing", "TX")]
    contractors = {
        c.name: c.id
        for c in await session.exec(
            select(Intermediary).where(Intermediary.kind == "h2a_labor_contractor")
        )
    }
    for name, certificate in LINKED.items():
        shown = await client.get(
            f"/intermediaries/{contractors[name]}/registry", headers=staff.headers
        )
        assert shown.status_code == 200, shown.text
        body = shown.json()
        assert body["link"]["basis"] == "name_and_state"
        assert body["link"]["certificate_number"] == certificate
        assert body["link"]["score"] == 1.0
        assert body["registry"]["certificate_number"] == certificate
    # Staff confirm a match with the existing verification; the link stays as evidence.
    confirmed = await client.post(
        f"/intermediaries/{contractors['Agri Crew, LLC.']}/verifications",
        json={"status": "verified", "note": "same holder: address and phone agree"},
        headers=staff.headers,
    )
    assert confirmed.status_code == 201, confirmed.text
    # Loading the registry again links every contractor again, and changes no link.
    again = await import_registry(client, staff, REGISTRY.read_bytes() + decoy)
    relinked = again.json()["registry_linkage"]
    assert relinked["linked"] == len(LINKED)
    assert relinked["unmatched_count"] == 1


async def test_the_registry_import_counts_refused_rows_not_their_problems(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    header = ",".join(REGISTRY_COLUMNS).encode() + b"\n"
    good = b'C-04-000001-A-21-R,"A TEST CREW",1 Rd,Dover,FL,33527,,,Y,N,N,1/1/2021,1/1/22\n'
    four_problems = b"C-04-000002-A-21-R,,1 Rd,Dover,FL,33527,,,,,,1/1/2021,1/1/22\n"
    response = await import_registry(client, staff, header + good + four_problems)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["certificates"] == 1
    assert report["rows_refused"] == 1
    assert len(report["problems"]) == 4


# --- The matcher, pure ---------------------------------------------------------------------------


def holder(number: str, name: str, state: str, address: str) -> ListedHolder:
    return ListedHolder(number, name, state, address, date(2022, 6, 30))


def test_a_certificate_number_links_whatever_the_name() -> None:
    index = RegistryIndex([holder("C-04-000001-A-21-R", "SOMEONE ELSE", "FL", "1 Rd, Dover")])
    found = index.match("Test Crew", "FL", None, "c-04-000001-a-21-r")
    assert isinstance(found, RegistryMatch)
    assert (found.basis, found.score) == ("certificate_number", 1.0)


def test_where_holders_share_a_name_the_address_tells_them_apart() -> None:
    index = RegistryIndex(
        [
            holder("C-04-000001-A-21-R", "GARCIA, JUAN", "FL", "12 Orange Ave, Immokalee"),
            holder("C-04-000002-A-21-R", "GARCIA, JUAN", "FL", "900 Palm Blvd, Homestead"),
        ]
    )
    found = index.match("Juan Garcia", "FL", "900 Palm Blvd., Homestead", None)
    assert isinstance(found, RegistryMatch)
    assert found.certificate_number == "C-04-000002-A-21-R"
    assert found.basis == "name_state_and_address"
    assert 0.6 <= found.score <= 1.0
    unknown = index.match("Juan Garcia", "FL", None, None)
    assert isinstance(unknown, str)
    assert "2 holders" in unknown


def test_renewals_of_one_holder_link_to_the_latest_certificate() -> None:
    old = ListedHolder("C-04-000001-A-19-R", "TEST CREW LLC", "FL", "1 Rd, Dover", date(2020, 1, 1))
    new = ListedHolder("C-04-000001-A-21-R", "TEST CREW LLC", "FL", "1 Rd, Dover", date(2022, 1, 1))
    found = RegistryIndex([old, new]).match("Test Crew, L.L.C.", "FL", None, None)
    assert isinstance(found, RegistryMatch)
    assert found.certificate_number == new.certificate_number


def test_a_filings_suffix_and_a_name_the_registry_cut_still_link() -> None:
    long_name = "SOUTHERN TEST AGRICULTURAL LABOR SERVICES AND HA"  # cut at 48 characters
    index = RegistryIndex(
        [
            holder("C-04-000003-A-21-R", "H2A TEST COMPLETE II, INC.", "MS", "1 Rd, Tupelo"),
            holder("C-04-000004-A-21-R", long_name, "GA", "2 Rd, Tifton"),
        ]
    )
    suffixed = index.match("H2A Test Complete II, Inc. Petition #2", "MS", None, None)
    assert isinstance(suffixed, RegistryMatch)
    assert suffixed.certificate_number == "C-04-000003-A-21-R"
    cut = index.match(
        "Southern Test Agricultural Labor Services and Harvesting LLC", "GA", None, None
    )
    assert isinstance(cut, RegistryMatch)
    assert cut.certificate_number == "C-04-000004-A-21-R"


async def test_a_link_by_name_counts_for_the_certificate_rules_once_staff_confirm_it(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    grower, credentials = await factory.grower_with_key(state="FL")
    job_order = await factory.job_order(grower.id)
    declared = await client.post(
        "/intermediaries",
        json={
            "kind": "farm_labor_contractor",
            "name": "Agri Crew LLC",
            "country": "US",
            "region": "FL",
        },
        headers=credentials.headers,
    )
    assert declared.status_code == 201, declared.text
    contractor_id = declared.json()["id"]
    loaded = await import_registry(client, staff, REGISTRY.read_bytes())
    assert loaded.json()["registry_linkage"]["linked_by_basis"] == {"name_and_state": 1}
    hire = await client.post(
        "/hires",
        json={
            "job_order_id": str(job_order.id),
            "worker": worker_identity(),
            "channel": "other",
            "chain": [
                {
                    "intermediary_id": contractor_id,
                    "engaged_by": "grower",
                    "written_fee_ban": True,
                    "acted_on": "2025-09-01",
                }
            ],
            "start_date": "2025-11-01",
        },
        headers=credentials.headers,
    )
    assert hire.status_code == 201, hire.text
    recruitment_id = hire.json()["recruitment_id"]

    async def registration_problem() -> tuple[str, str | None]:
        flags = await client.get(
            "/flags",
            params={"recruitment_id": recruitment_id, "code": "CONTRACTOR_REGISTRATION_EXPIRED"},
            headers=staff.headers,
        )
        [flag] = [f for f in flags.json()["items"] if f["status"] != "resolved"]
        certificate = flag["evidence"]["certificate"]
        return flag["evidence"]["problem"], certificate and certificate["number"]

    # Unconfirmed, a match by name decides nothing: the contractor declared no certificate.
    assert await registration_problem() == ("no_certificate", None)
    confirmed = await client.post(
        f"/intermediaries/{contractor_id}/verifications",
        json={"status": "verified", "note": "the registry's Agri Crew, same address"},
        headers=staff.headers,
    )
    assert confirmed.status_code == 201, confirmed.text
    # Confirmed, the registry's certificate is judged: it ran out in 2022.
    assert await registration_problem() == ("expired", LINKED["Agri Crew, LLC."])
