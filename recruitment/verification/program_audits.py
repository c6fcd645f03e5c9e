"""The program's rules about a grower as a whole, as pure functions: whether an audit heard
enough of the workforce, and whether a corrective action is past its deadline.

Their source is the program's own code, not a statute: the Fair Food Program's audits interview
a substantial share of each farm's workers (the program's target is a majority), and a corrective
action plan binds the grower to its deadlines.
"""

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

COVERAGE_SOURCE = (
    "Program rule: an audit interviews more than the target share (a majority) of the workers "
    "on the grower's roster during the audit (Fair Food Program audit protocol)"
)
OVERDUE_SOURCE = (
    "Program rule: a corrective action is completed by the deadline its plan sets "
    "(Fair Food Program corrective action plans)"
)


@dataclass(frozen=True)
class Coverage:
    interviewed: int
    roster: int
    target: float

    @property
    def share(self) -> float | None:
        return self.interviewed / self.roster if self.roster else None

    @property
    def meets_target(self) -> bool:
        """More than the target share of the roster; an empty roster has nobody to hear."""
        if self.roster == 0:
            return True
        # Exact arithmetic: 5 of 10 is not a majority, whatever the floating point says.
        return Fraction(self.interviewed, self.roster) > Fraction(str(self.target))

    @property
    def needed(self) -> int:
        """The fewest interviews that would meet the target."""
        return int(Fraction(str(self.target)) * self.roster) + 1 if self.roster else 0


def is_overdue(due_on: date, completed_on: date | None, as_of: date) -> bool:
    """Not done, and its last day has passed."""
    return completed_on is None and due_on < as_of
