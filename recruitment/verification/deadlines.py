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
- purpose `inbound_travel` and `inbound_subsistence`: half of the period, except the part that
  pulls the first week's wages under the federal minimum, which Arriaga makes due in the first
  workweek (`first_week`). That part is decided from the job order: an hourly offer in US dollars
  for the hours it states per week, prorated over the days of the first workweek from the first day
  of work; what the offer leaves above the minimum for those hours absorbs the travel costs paid
  up to the first day of work, oldest first, and the rest is due in week one. Hours actually worked
  are not facts here: where the job order does not give the wage facts (a piece rate, no hours, a
  currency other than the dollar), the week-one part is not decided, and the evidence says so and
  that only the 50% deadline was applied. Staff reading payroll can act earlier.
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
common agricultural payroll week. The *first* workweek is the first one with work in it, so it is
counted from the first day of work (`first_day_of_work`), not from travel: the hire's start date
when one is recorded; otherwise the arrival date, or the Monday after when the worker arrived on a
Sunday (the arrival day alone is not a workweek of work). Arriving Friday and starting Monday, the
deadline is the Sunday after that Monday, not the Sunday before any work. The deadline is the Sunday
ending the workweek of the first day of work (that day itself when work starts on a Sunday).
A cost paid after the first day of work (a medical exam during the season, say) is due at the end
of the workweek after the day it was paid, by the same reasoning.

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

from recruitment.domain.terms import JobOrderTerms
from recruitment.domain.vocabulary import CostCategory, CostPurpose
from recruitment.verification.findings import Evidence
from recruitment.verification.wage_floor import (
    FEDERAL_MINIMUM_WAGE_CENTS,
    FEDERAL_MINIMUM_WAGE_SOURCE,
)

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
# That day if it is a Sunday, else the next Sunday.
_SUNDAY_ENDING_THE_WEEK = relativedelta(weekday=SU(+1))

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


def first_day_of_work(start_date: date | None, arrival: date | None) -> date | None:
    """The first day the worker works: the hire's start date when recorded, else the arrival date
    (the Monday after, for a Sunday arrival); None while neither is recorded."""
    if start_date is not None:
        return start_date
    if arrival is None:
        return None
    return arrival + timedelta(days=1) if arrival.isoweekday() == 7 else arrival


def end_of_first_workweek(first_workday: date) -> date:
    """The Sunday ending the Monday-to-Sunday workweek of the first day of work."""
    return first_workday + _SUNDAY_ENDING_THE_WEEK


def first_workweek_deadline(first_workday: date, paid_on: date) -> date:
    """A cost paid by the first day of work is due when the first workweek ends; one paid later,
    when the workweek after the day it was paid ends."""
    if paid_on <= first_workday:
        return end_of_first_workweek(first_workday)
    return paid_on + _FIRST_SUNDAY_AFTER


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
    first_workday: date | None,
    period_start: date | None,
    period_end: date | None,
) -> ReimbursementDeadline:
    """The deadline by which a cost must be back in the worker's hands.

    `first_workday` is the worker's first day of work (`first_day_of_work`; None while neither
    start nor arrival is recorded: the first-workweek deadline is then not set yet). The
    period-based deadlines need only the job order's period: they run even if no first day of
    work is recorded, so that a missing milestone cannot hide a debt.
    """
    basis = deadline_basis(category, purpose)
    source = DEADLINE_SOURCES[basis]
    if basis == "first_workweek":
        if first_workday is None:
            return ReimbursementDeadline(
                basis, None, source, "neither the hire's start date nor the arrival is recorded"
            )
        return ReimbursementDeadline(basis, first_workweek_deadline(first_workday, paid_on), source)
    if basis == "half_of_period":
        if period_start is None or period_end is None:
            return ReimbursementDeadline(
                basis, None, source, "the job order's contract period is not set"
            )
        return ReimbursementDeadline(basis, half_of_period(period_start, period_end), source)
    if period_end is None:
        return ReimbursementDeadline(basis, None, source, "the job order's period end is not set")
    return ReimbursementDeadline(basis, period_end, source)


@dataclass(frozen=True)
class FirstWeek:
    """The first workweek's wages as the job order states them, and what they leave above the
    federal minimum for the worker's pre-job costs (Arriaga; FAB 2009-2).

    `room_above_minimum` (cents) is None when the job order does not give the wage facts;
    `unknown` then says which is missing.
    """

    first_workday: date
    ends_on: date
    assumed_hours: float | None
    hourly_offer: int | None
    room_above_minimum: int | None
    unknown: str | None = None

    def as_evidence(self) -> Evidence:
        facts: Evidence = {
            "first_workday": self.first_workday.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "source": DEADLINE_SOURCES["first_workweek"],
        }
        if self.room_above_minimum is None:
            return {
                **facts,
                "decided": False,
                "assumed": (
                    f"The first week's wages are not known ({self.unknown}): no part of the cost "
                    "was taken as due in the first workweek, only at 50% of the period. Payroll "
                    "may show that part of it pulled week one under the minimum and was due then."
                ),
            }
        return {
            **facts,
            "decided": True,
            "hourly_offer": self.hourly_offer,
            "federal_minimum": FEDERAL_MINIMUM_WAGE_CENTS,
            "federal_minimum_source": FEDERAL_MINIMUM_WAGE_SOURCE,
            "assumed_hours": self.assumed_hours,
            "assumed": (
                "Hours worked in the first workweek: the job order's hours per week, prorated "
                "over the days from the first day of work to the Sunday ending that workweek."
            ),
            "room_above_minimum": self.room_above_minimum,
        }


def _missing_wage_fact(terms: JobOrderTerms) -> str | None:
    if terms.wage_offer is None or terms.wage_unit is None:
        return "the job order states no wage offer"
    if terms.wage_unit != "hour":
        return f"the wage is offered per {terms.wage_unit}, not per hour"
    if terms.wage_offer.currency != "USD":
        return f"the wage is offered in {terms.wage_offer.currency}, not US dollars"
    if terms.hours_per_week is None:
        return "the job order states no hours per week"
    return None


def first_week(terms: JobOrderTerms, first_workday: date) -> FirstWeek:
    """The first workweek's wage facts from the job order (see the module docstring)."""
    ends_on = end_of_first_workweek(first_workday)
    missing = _missing_wage_fact(terms)
    if missing is not None or terms.wage_offer is None or terms.hours_per_week is None:
        return FirstWeek(first_workday, ends_on, None, None, None, missing)
    days_worked = (ends_on - first_workday).days + 1
    hours = terms.hours_per_week * days_worked / 7
    offer = terms.wage_offer.amount
    room = max(0, int((offer - FEDERAL_MINIMUM_WAGE_CENTS) * hours))
    return FirstWeek(first_workday, ends_on, round(hours, 2), offer, room)
