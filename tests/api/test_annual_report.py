"""The annual program report: its figures from the year's audits, findings, plans and standing
decisions, as JSON, CSV and PDF."""

import io

import httpx
import pypdf

from tests.api.test_audits import interview, roster, schedule
from tests.factories import Factory


async def test_the_annual_report_counts_the_years_audits_findings_plans_and_suspensions(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    staff = await factory.key("staff")
    heard, heard_key, _, heard_hires = await roster(factory, 4)
    unheard, _, _, _ = await roster(factory, 2)
    first = await schedule(client, staff, heard.id)
    for hire in heard_hires[:3]:
        response = await client.post(
            f"/audits/{first['id']}/interviews", json=interview(hire.worker_id),
            headers=staff.headers,
        )  # fmt: skip
        assert response.status_code == 201, response.text
    finding = await client.post(
        f"/audits/{first['id']}/findings",
        json={"standard": "housing", "severity": "violation", "detail": "Broken heater."},
        headers=staff.headers,
    )
    planned = await client.post(
        "/corrective-actions",
        json={"finding_id": finding.json()["id"], "description": "Repair it.",
              "owner": "Manager", "due_on": "2025-12-01"},
        headers=heard_key.headers,
    )  # fmt: skip
    assert planned.status_code == 201, planned.text
    closings = [
        (first["id"], "passed"),
        ((await schedule(client, staff, unheard.id, announced=True))["id"], "failed"),
    ]
    for audit_id, outcome in closings:
        closed = await client.post(
            f"/audits/{audit_id}/closing", json={"outcome": outcome, "closed_on": "2026-01-16"},
            headers=staff.headers,
        )  # fmt: skip
        assert closed.status_code == 200, closed.text
    suspended = await client.post(
        f"/growers/{unheard.id}/program-status",
        json={"to_status": "suspended", "effective_on": "2026-12-20", "reason": "Obstruction."},
        headers=staff.headers,
    )
    assert suspended.status_code == 201, suspended.text

    report = await client.get(
        "/reports/program/annual", params={"year": "2025"}, headers=staff.headers
    )
    assert report.status_code == 200, report.text
    figures = report.json()
    assert (figures["workers_covered"], figures["growers_with_workers"]) == (6, 2)
    assert figures["audits"] == {
        "audits": 2, "unannounced": 1, "re_entry": 0, "passed": 1, "failed": 1, "interviews": 3,
        "workers_on_audited_rosters": 6, "interview_coverage": 0.5,
        "audits_meeting_coverage_target": 1,
    }  # fmt: skip
    assert figures["findings"] == {
        "raised": 1, "corrected": 0, "still_open": 1, "by_standard": {"housing": 1}
    }  # fmt: skip
    assert figures["corrective_actions"] == {"planned": 1, "verified": 0, "overdue": 0}
    assert figures["standing"]["suspensions"] == 0
    next_year = (
        await client.get("/reports/program/annual", params={"year": "2026"}, headers=staff.headers)
    ).json()
    # The coverage finding is raised when the audit closes, in January 2026.
    assert next_year["findings"]["by_standard"] == {"audit_cooperation": 1}
    assert next_year["standing"]["suspensions"] == 1

    as_csv = await client.get(
        "/reports/program/annual", params={"year": "2025"},
        headers={**staff.headers, "Accept": "text/csv"},
    )  # fmt: skip
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert "2025,audits,interviews,3\r\n" in as_csv.text
    assert "2025,findings,by_standard.housing,1\r\n" in as_csv.text

    as_pdf = await client.get(
        "/reports/program/annual", params={"year": "2025"},
        headers={**staff.headers, "Accept": "application/pdf"},
    )  # fmt: skip
    assert as_pdf.content.startswith(b"%PDF")
    text = " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(as_pdf.content)).pages
    )
    assert "annual report 2025" in text
    assert "Workers covered: 6" in text
    assert "50%" in text

    by_grower = await client.get(
        "/reports/program/annual", params={"year": "2025"}, headers=heard_key.headers
    )
    assert by_grower.status_code == 403
