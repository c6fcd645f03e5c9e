"""The program's rules about a grower as a whole: interview coverage and overdue actions."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recruitment.verification.program_audits import Coverage, is_overdue


@pytest.mark.parametrize(
    ("interviewed", "roster", "target", "meets", "needed"),
    [
        (5, 10, 0.5, False, 6),  # half is not a majority
        (6, 10, 0.5, True, 6),
        (2, 3, 0.5, True, 2),
        (3, 5, 0.6, False, 4),  # exactly the target share is not more than it
        (4, 5, 0.6, True, 4),
        (0, 0, 0.5, True, 0),  # nobody on the roster: nobody to hear
    ],
)
def test_coverage_needs_more_than_the_target_share(
    interviewed: int, roster: int, target: float, meets: bool, needed: int
) -> None:
    coverage = Coverage(interviewed, roster, target)
    assert (coverage.meets_target, coverage.needed) == (meets, needed)


@given(
    roster=st.integers(min_value=1, max_value=5000),
    target=st.sampled_from([0.5, 0.6, 2 / 3, 0.75, 0.9]),
)
def test_the_needed_interviews_are_the_fewest_that_meet_the_target(
    roster: int, target: float
) -> None:
    needed = Coverage(0, roster, target).needed
    assert Coverage(needed, roster, target).meets_target
    assert not Coverage(needed - 1, roster, target).meets_target


def test_an_action_is_overdue_only_undone_after_its_last_day() -> None:
    due = date(2026, 2, 15)
    assert not is_overdue(due, None, date(2026, 2, 15))
    assert is_overdue(due, None, date(2026, 2, 16))
    assert not is_overdue(due, date(2026, 2, 20), date(2026, 3, 1))
