"""When a cost the worker bore must be paid back (reimbursement deadlines).

Three deadlines, each with its source:

- **First workweek** (`first_workweek`): the FLSA requires wages "free and clear" (29 CFR 531.35);
  costs that are primarily for the employer's benefit and that the worker paid before the job
  count as deductions from the first week's wages, so whatever pulls that week under the federal
  minimum (29 USC 206) must come back in the first workweek (Arriaga v. Florida Pacific Farms,
  L.L.C., 305 F.3d 1228 (11th Cir. 2002); DOL Field Assistance Bulletin 2009-2).
- **Half of the contract period** (`half_of_period`): inbound travel and daily subsistence are due
  at the latest when the worker completes 50% of the work contract period (20 CFR 655.122(h)(1)).
- **End of the period** (`end_of_period`): outbound travel and subsistence are due when the worker
  completes the contract period (20 CFR 655.122(h)(2)).

Which deadline a cost gets (`deadline_basis`), decided once here:

- purpose `visa` (visa, consular and border fees): first workweek. They are for the employer's
  benefit (Arriaga; FAB 2009-2), so the FLSA part applies in full.
- purpose `inbound_travel` and `inbound_subsistence`: half of the period. Arriaga also makes the
  part of these that pulls the first week's wages under the minimum due in the first workweek, but
  that part depends on hours and wages actually paid, which are not facts here; the 50% deadline is
  the one the facts can decide. Staff reading payroll can act earlier.
- purpose `outbound_travel`: end of the period.
- purpose `other`, by ILO category:
  - `travel_and_lodging`: half of the period, as travel to the job (e.g. to the consulate or the
    border) is inbound travel under 20 CFR 655.122(h)(1).
  - every other category (administrative, medical, insurance, skills test, training, equipment,
    and the fee categories): first workweek. They are costs of getting the job, primarily for the
    employer's benefit (ILO 2019 definition of recruitment fees and related costs; 29 CFR 531.35
    for tools and equipment; 20 CFR 655.135(j) for fees), so nothing lets them wait longer.

The workweek is fixed as Monday to Sunday (the ISO week). The FLSA lets each employer fix its own
168-hour workweek (29 CFR 778.105), but that is not among the facts, and Monday to Sunday is the
common agricultural payroll week. The *first* workweek is the first one the worker can work in:
the week of the arrival date, unless the worker arrived on a Sunday, in which case it is the week
that begins the next day (a worker arriving on Sunday starts work on Monday; the arrival day alone
is not a workweek of work). So the deadline is the first Sunday *after* the arrival date.
A cost paid after arrival (a medical exam during the season, say) is due at the end of the
workweek after the day it was paid, by the same reasoning.

Caveat staff should know: the FLSA is satisfied when the first workweek's wages are paid on the
regular payday, which can fall a few days after that Sunday. A reimbursement made with that first
paycheck shows as overdue for those few days; the evidence gives the deadline and the basis so that
staff can judge.

Everywhere, the deadline day itself is on time; the day after is overdue.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from dateutil.relativedelta import SU, relativedelta

from recruitment.domain.vocabulary import CostCategory, CostPurpose

DeadlineBasis = Literal["first_workweek", "half_of_period", "end_of_period"]

DEADLINE_SOURCES: dict[DeadlineBasis, str] = {
    "first_workweek": (
        "29 USC 206; 29 CFR 531.35; Arriaga v. Florida Pacific Farms, L.L.C., 305 F.3d 1228 "
        "(11th Cir. 2002); DOL Field Assistance Bulletin 2009-2"
    ),
    "half_of_period": "20 CFR 655.122(h)(1)",
    "end_of_period": "20 CFR 655.122(h)(2)",
}

# The day after, then that day if it is a Sunday or else the next Sunday.
_FIRST_SUNDAY_AFTER = relativedelta(days=+1, weekday=SU(+1))

_BASIS_BY_PURPOSE: dict[CostPurpose, DeadlineBasis] = {
    "visa": "first_workweek",
    "inbound_travel": "half_of_period",
    "inbound_subsistence": "half_of_period",
    "outbound_travel": "end_of_period",
}


@dataclass(frozen=True)
class ReimbursementDeadline:
    """A cost's deadline; `due_on` is None while the facts it depends on are not recorded yet."""

    basis: DeadlineBasis
    due_on: date | None
    source: str
    # Why there is no date yet, for staff; None when `due_on` is set.
    pending: str | None = None

    def is_overdue(self, as_of: date) -> bool:
        return self.due_on is not None and as_of > self.due_on


def deadline_basis(category: CostCategory, purpose: CostPurpose) -> DeadlineBasis:
    """Which deadline a cost gets; see the module docstring for each choice and its source."""
    if purpose != "other":
        return _BASIS_BY_PURPOSE[purpose]
    return "half_of_period" if category == "travel_and_lodging" else "first_workweek"


def end_of_first_workweek(arrival: date) -> date:
    """The Sunday ending the first Monday-to-Sunday workweek the worker can work after arriving.

    That is the first Sunday strictly after `arrival`: arriving Monday to Saturday, the Sunday of
    the same week; arriving on a Sunday, the next Sunday.
    """
    return arrival + _FIRST_SUNDAY_AFTER


def half_of_period(period_start: date, period_end: date) -> date:
    """The day on which 50% of the contract period (both ends included) is completed.

    A 10-day period is half done at the end of its 5th day; an 11-day one during its 6th day.
    """
    days_in_period = (period_end - period_start).days + 1
    return period_start + timedelta(days=(days_in_period + 1) // 2 - 1)


def reimbursement_deadline(
    category: CostCategory,
    purpose: CostPurpose,
    paid_on: date,
    arrival: date | None,
    period_start: date | None,
    period_end: date | None,
) -> ReimbursementDeadline:
    """The deadline by which a cost must be back in the worker's hands.

    `arrival` is the worker's arrival at the job (None while not recorded: the first-workweek
    deadline is then not set yet). The period-based deadlines need only the job order's period:
    they run even if arrival is not recorded, so that a missing milestone cannot hide a debt.
    """
    basis = deadline_basis(category, purpose)
    source = DEADLINE_SOURCES[basis]
    if basis == "first_workweek":
        if arrival is None:
            return ReimbursementDeadline(
                basis, None, source, "the worker's arrival is not recorded"
            )
        return ReimbursementDeadline(basis, end_of_first_workweek(max(arrival, paid_on)), source)
    if basis == "half_of_period":
        if period_start is None or period_end is None:
            return ReimbursementDeadline(
                basis, None, source, "the job order's contract period is not set"
            )
        return ReimbursementDeadline(basis, half_of_period(period_start, period_end), source)
    if period_end is None:
        return ReimbursementDeadline(basis, None, source, "the job order's period end is not set")
    return ReimbursementDeadline(basis, period_end, source)
