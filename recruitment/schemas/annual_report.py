"""The annual program report: the figures the program publishes each year."""

import csv
import io

from pydantic import Field

from recruitment.schemas.common import Output
from recruitment.schemas.reports import ComplaintFigures


class AuditFigures(Output):
    audits: int
    unannounced: int
    re_entry: int
    passed: int
    failed: int
    interviews: int
    workers_on_audited_rosters: int
    interview_coverage: float | None = Field(
        description="Interviews over workers on the rosters of the year's audits, all together."
    )
    audits_meeting_coverage_target: int


class FindingFigures(Output):
    raised: int
    corrected: int
    still_open: int
    by_standard: dict[str, int] = Field(description="Findings raised, per standard of the code.")


class CorrectiveActionFigures(Output):
    planned: int = Field(description="Actions due in the year.")
    verified: int
    overdue: int = Field(description="Due in the year, and not done by its deadline.")


class StandingFigures(Output):
    participating_at_report: int = Field(description="Growers in good standing when produced.")
    suspensions: int
    re_entry_audits_begun: int
    reinstatements: int
    withdrawals: int


class AnnualReport(Output):
    year: int
    workers_covered: int = Field(
        description="Workers hired by participating growers whose employment began in the year."
    )
    growers_with_workers: int
    audits: AuditFigures
    findings: FindingFigures
    corrective_actions: CorrectiveActionFigures
    standing: StandingFigures
    complaints: ComplaintFigures = Field(
        description="Complaints received in the year, how soon they were resolved, and the "
        "remedies paid to workers."
    )


def annual_report_csv(report: AnnualReport) -> str:
    """One row per figure: `section,figure,value` (by_standard as `findings,by_standard.<x>`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["year", "section", "figure", "value"])
    writer.writerow([report.year, "program", "workers_covered", report.workers_covered])
    writer.writerow([report.year, "program", "growers_with_workers", report.growers_with_workers])
    for section in ("audits", "findings", "corrective_actions", "standing"):
        for figure, value in getattr(report, section).model_dump().items():
            if isinstance(value, dict):
                for key, count in sorted(value.items()):
                    writer.writerow([report.year, section, f"{figure}.{key}", count])
            else:
                writer.writerow([report.year, section, figure, "" if value is None else value])
    writer.writerows(
        [report.year, "complaints", *row] for row in _complaint_rows(report.complaints)
    )
    return buffer.getvalue()


def _complaint_rows(figures: ComplaintFigures) -> list[tuple[str, object]]:
    """The complaint figures as `figure, value` pairs: a share as its value and the two counts
    behind it, money in minor units per kind and currency."""
    rows: list[tuple[str, object]] = [("received", figures.received)]
    rows += [(f"by_category.{key}", count) for key, count in sorted(figures.by_category.items())]
    rows += [(f"by_channel.{key}", count) for key, count in sorted(figures.by_channel.items())]
    for name in ("resolved_within_14_days", "resolved_within_30_days", "founded"):
        share = getattr(figures, name)
        rows += [
            (name, "" if share.share is None else share.share),
            (f"{name}.numerator", share.numerator),
            (f"{name}.denominator", share.denominator),
        ]
    median = figures.median_days_to_resolve
    rows.append(("median_days_to_resolve", "" if median is None else median))
    rows += [
        (f"remedies.{kind}", count) for kind, count in sorted(figures.remedies_by_kind.items())
    ]
    rows += [
        (f"remedies_paid.{total.kind}.{total.paid.currency}", total.paid.amount)
        for total in figures.remedies_paid
    ]
    return rows
