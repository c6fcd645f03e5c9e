"""Reports: where a grower, or the whole program, stands for a season or a period.

Every figure counts cases (recruitments: one worker for one job order). A share carries its counts,
so that no figure hides behind rounding.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal, Self
from uuid import UUID

from pydantic import Field

from recruitment.domain.terms import Money
from recruitment.domain.vocabulary import (
    Channel,
    ComplaintChannel,
    Currency,
    RemedyKind,
    VerificationStatus,
)
from recruitment.schemas.common import Output
from recruitment.schemas.flags import FlagCount

SHARE_DECIMALS = 4


@dataclass(frozen=True)
class ReportPeriod:
    """Which cases a report covers: a season, or a range of recruited dates (either end open).

    The API refuses a period that mixes the two or ends before it starts; the services take it as
    given.
    """

    season: int | None = None
    recruited_from: date | None = None
    recruited_until: date | None = None

    @property
    def label(self) -> str:
        """A short name for file names: `season-2025`, `recruited-2025-01-01-to-2025-06-30`."""
        if self.season is not None:
            return f"season-{self.season}"
        if self.recruited_from and self.recruited_until:
            return f"recruited-{self.recruited_from}-to-{self.recruited_until}"
        if self.recruited_from:
            return f"recruited-from-{self.recruited_from}"
        return f"recruited-until-{self.recruited_until}"


class PeriodRead(Output):
    basis: Literal["job_order_period_start", "recruited_on"] = Field(
        description="Season: the cases whose job order period starts in that year. Range: the "
        "cases whose recruited date falls in it (both ends included)."
    )
    season: int | None
    recruited_from: date | None
    recruited_until: date | None

    @classmethod
    def of(cls, period: ReportPeriod) -> Self:
        return cls(
            basis="job_order_period_start" if period.season is not None else "recruited_on",
            season=period.season,
            recruited_from=period.recruited_from,
            recruited_until=period.recruited_until,
        )


class Share(Output):
    """A share with the counts behind it."""

    numerator: int
    denominator: int
    share: float | None = Field(
        description=f"numerator / denominator, rounded to {SHARE_DECIMALS} decimals; "
        "null when the denominator is 0."
    )

    @classmethod
    def of(cls, numerator: int, denominator: int) -> Self:
        share = round(numerator / denominator, SHARE_DECIMALS) if denominator else None
        return cls(numerator=numerator, denominator=denominator, share=share)


class CostTotals(Output):
    currency: Currency
    reported: int = Field(
        description="Current costs workers paid (corrections replace), minor units."
    )
    reimbursed: int = Field(description="Money paid back to workers, minor units.")


class ReportFigures(Output):
    """The figures of a set of cases.

    - `recruited_through_sne`: SNE cases among all cases.
    - `sne_claim_verified`: SNE cases whose referral staff verified, among SNE cases.
    - `hired_directly`: hires whose employer of record and payer of wages are both the grower,
      among cases with a hire.
    - `contract_before_visa`: cases with a contract delivered on or before the visa application
      date, among cases with a visa application date. Any delivery counts, of a contract since
      superseded too, as the CONTRACT_NOT_DISCLOSED_BEFORE_VISA rule judges it.
    """

    # The shares are described above (and in the routes' description), not with
    # Field(description=...): Litestar 2.25 writes a field's description onto the shared Share
    # component, so that every share would carry the first one's.
    cases: int = Field(description="Recruitments covered: one worker for one job order.")
    by_channel: dict[Channel, int] = Field(description="Cases by recruitment channel.")
    recruited_through_sne: Share
    sne_claim_verified: Share
    hired_directly: Share
    contract_before_visa: Share
    open_flags: list[FlagCount] = Field(
        description="Open and acknowledged flags of the cases, by code and severity."
    )
    costs: list[CostTotals] = Field(description="Per currency.")
    contractors: dict[VerificationStatus, int] = Field(
        description="Contractors, recruiters and agents in the current chains of the cases (SNE "
        "offices excluded), each counted once, by staff's verification status."
    )


class GrowerFigures(ReportFigures):
    """One grower's figures (ReportFigures says what each share counts)."""

    grower_id: UUID
    grower_name: str = Field(description="The grower's legal name.")


class GrowerReport(GrowerFigures):
    """Where a grower stands for the period (ReportFigures says what each share counts)."""

    period: PeriodRead


class RemedyTotals(Output):
    kind: Literal["back_pay", "reimbursement"]
    remedies: int
    paid: Money = Field(description="Paid to workers in this currency.")


class ComplaintFigures(Output):
    """Complaints received in the period (by the date they reached the program: a season is its
    calendar year), whatever case they name or if none (an anonymous one).

    - `resolved_within_14_days`, `resolved_within_30_days`: complaints closed (resolved, closed as
      unfounded, referred) within that many days of receipt, among all received.
    - `founded`: complaints found true, among those the investigation has judged.
    """

    received: int
    by_category: dict[str, int] = Field(
        description="By category; `uncategorised` while staff have not filed one."
    )
    by_channel: dict[ComplaintChannel, int]
    resolved_within_14_days: Share
    resolved_within_30_days: Share
    median_days_to_resolve: float | None = Field(
        description="Over the closed complaints; null when none closed."
    )
    founded: Share
    remedies_by_kind: dict[RemedyKind, int] = Field(description="Remedies recorded, by kind.")
    remedies_paid: list[RemedyTotals] = Field(description="Money remedies, per currency.")


class ProgramReport(ReportFigures):
    """Where the program stands for the period, and each grower (ReportFigures says what each
    share counts)."""

    period: PeriodRead
    growers: list[GrowerFigures] = Field(
        description="The same figures for each grower with cases in the period, by name."
    )
    complaints: ComplaintFigures


# --- The flat CSV form ----------------------------------------------------------------------------

CSV_COLUMNS = (
    "scope",
    "grower_id",
    "grower_name",
    "section",
    "key",
    "severity",
    "value",
    "numerator",
    "denominator",
)
SHARES = ("recruited_through_sne", "sne_claim_verified", "hired_directly", "contract_before_visa")
CsvRow = dict[str, str | int | None]


def _share_row(key: str, share: Share) -> CsvRow:
    return {
        "section": "share",
        "key": key,
        "value": None if share.share is None else f"{share.share:.{SHARE_DECIMALS}f}",
        "numerator": share.numerator,
        "denominator": share.denominator,
    }


def _figure_rows(figures: ReportFigures) -> Iterator[CsvRow]:
    yield {"section": "cases", "key": "total", "value": figures.cases}
    for channel, count in figures.by_channel.items():
        yield {"section": "channel", "key": channel, "value": count}
    for name in SHARES:
        yield _share_row(name, getattr(figures, name))
    for flag in figures.open_flags:
        yield {
            "section": "open_flags",
            "key": flag.code,
            "severity": flag.severity,
            "value": flag.count,
        }
    for line in figures.costs:
        yield {"section": "costs_reported", "key": line.currency, "value": line.reported}
        yield {"section": "costs_reimbursed", "key": line.currency, "value": line.reimbursed}
    for status, count in figures.contractors.items():
        yield {"section": "contractors", "key": status, "value": count}


def _spreadsheet_text(text: str) -> str:
    # A grower edits its own name; one starting like a formula would run in the spreadsheet of
    # whoever opens the file (CSV injection), so it is kept as text.
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def _scoped(figures: ReportFigures, scope: str, grower: GrowerFigures | None) -> Iterator[CsvRow]:
    for row in _figure_rows(figures):
        yield {
            "scope": scope,
            "grower_id": str(grower.grower_id) if grower else None,
            "grower_name": _spreadsheet_text(grower.grower_name) if grower else None,
            **row,
        }


COMPLAINT_SHARES = ("resolved_within_14_days", "resolved_within_30_days", "founded")


def _complaint_rows(figures: ComplaintFigures) -> Iterator[CsvRow]:
    yield {"section": "complaints", "key": "received", "value": figures.received}
    for category, count in figures.by_category.items():
        yield {"section": "complaints_category", "key": category, "value": count}
    for channel, count in figures.by_channel.items():
        yield {"section": "complaints_channel", "key": channel, "value": count}
    for name in COMPLAINT_SHARES:
        yield _share_row(f"complaints_{name}", getattr(figures, name))
    yield {
        "section": "complaints",
        "key": "median_days_to_resolve",
        "value": None
        if figures.median_days_to_resolve is None
        else f"{figures.median_days_to_resolve:.1f}",
    }
    for kind, count in figures.remedies_by_kind.items():
        yield {"section": "remedies", "key": kind, "value": count}
    for line in figures.remedies_paid:
        yield {
            "section": f"remedies_paid_{line.kind}",
            "key": line.paid.currency,
            "value": line.paid.amount,
        }


def report_csv(report: GrowerReport | ProgramReport) -> str:
    """One row per figure (columns in CSV_COLUMNS); the README documents the layout."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    if isinstance(report, GrowerReport):
        writer.writerows(_scoped(report, "grower", report))
    else:
        writer.writerows(_scoped(report, "program", None))
        writer.writerows({"scope": "program", **row} for row in _complaint_rows(report.complaints))
        for grower in report.growers:
            writer.writerows(_scoped(grower, "grower", grower))
    return buffer.getvalue()
