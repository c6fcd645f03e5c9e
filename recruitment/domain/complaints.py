"""Complaints as the program works them: which status may follow which, what a worker's own
words on the contract page mean, and how long a complaint took. Pure: no database, no clock."""

from collections.abc import Mapping
from datetime import datetime

from recruitment.domain.vocabulary import (
    ComplaintCategory,
    ComplaintSeverity,
    ComplaintStatus,
    WorkerConcern,
)

# A closed complaint (resolved, unfounded, referred) can be reopened for investigation when new
# facts arrive; nothing jumps back to `received`.
NEXT_STATUSES: Mapping[ComplaintStatus, frozenset[ComplaintStatus]] = {
    "received": frozenset({"investigating", "closed_unfounded", "referred"}),
    "investigating": frozenset({"grower_responded", "resolved", "closed_unfounded", "referred"}),
    "grower_responded": frozenset({"investigating", "resolved", "closed_unfounded", "referred"}),
    "resolved": frozenset({"investigating"}),
    "closed_unfounded": frozenset({"investigating"}),
    "referred": frozenset({"investigating"}),
}
CLOSED_STATUSES: frozenset[ComplaintStatus] = frozenset(
    {"resolved", "closed_unfounded", "referred"}
)

# The worker's choice on the form, as the program files it; "other" waits for staff to decide.
CONCERN_CATEGORY: Mapping[WorkerConcern, ComplaintCategory | None] = {
    "paid_for_job": "fees",
    "pay_not_as_contract": "wages",
    "threatened": "harassment_violence",
    "housing": "housing",
    "other": None,
}

# Until an investigator judges it: a threat or a sign of forced labour is acted on at once.
DEFAULT_SEVERITY: Mapping[ComplaintCategory | None, ComplaintSeverity] = {
    "fees": "serious",
    "wages": "serious",
    "hours": "serious",
    "housing": "serious",
    "transport": "serious",
    "health_and_safety": "urgent",
    "harassment_violence": "urgent",
    "retaliation": "urgent",
    "forced_labour_indicators": "urgent",
    None: "serious",
}

# Categories whose remedy is money the worker is owed: the complaint links to the case's costs.
MONEY_CATEGORIES: frozenset[ComplaintCategory] = frozenset({"fees", "wages"})


def days_to_resolve(received_at: datetime, closed_at: datetime | None) -> int | None:
    """Whole days from the complaint reaching the program to its closing; None while open."""
    if closed_at is None:
        return None
    return (closed_at.date() - received_at.date()).days
