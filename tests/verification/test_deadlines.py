from datetime import date

import pytest

from recruitment.domain.terms import Money
from recruitment.verification.deadlines import (
    deadline_basis,
    end_of_first_workweek,
    first_day_of_work,
    first_week,
    half_of_period,
    reimbursement_deadline,
)

from .factories import clean_terms


@pytest.mark.parametrize(
    ("arrival", "sunday"),
    [
        (date(2025, 3, 24), date(2025, 3, 30)),  # Monday: the same week
        (date(2025, 3, 26), date(2025, 3, 30)),  # Wednesday
        (date(2025, 3, 29), date(2025, 3, 30)),  # Saturday: the next day
        (date(2025, 3, 30), date(2025, 4, 6)),  # Sunday: work starts Monday, so the next week
        (date(2024, 12, 31), date(2025, 1, 5)),  # across a year
    ],
)
def test_with_no_start_date_the_first_workweek_ends_on_the_first_sunday_after_arrival(
    arrival: date, sunday: date
) -> None:
    first_workday = first_day_of_work(None, arrival)
    assert first_workday is not None
    assert end_of_first_workweek(first_workday) == sunday
    assert end_of_first_workweek(first_workday).isoweekday() == 7


def test_the_first_workweek_counts_from_the_start_date_not_the_arrival() -> None:
    friday, monday = date(2026, 4, 3), date(2026, 4, 6)
    first_workday = first_day_of_work(monday, friday)
    assert first_workday == monday
    assert end_of_first_workweek(monday) == date(2026, 4, 12)
    assert reimbursement_deadline(
        "administrative", "visa", date(2026, 2, 1), first_workday, None, None
    ).due_on == date(2026, 4, 12)


@pytest.mark.parametrize(
    ("start", "end", "half"),
    [
        (date(2025, 4, 1), date(2025, 4, 10), date(2025, 4, 5)),  # 10 days: end of the 5th
        (date(2025, 4, 1), date(2025, 4, 11), date(2025, 4, 6)),  # 11 days: during the 6th
        (date(2025, 4, 1), date(2025, 4, 1), date(2025, 4, 1)),
        (date(2024, 2, 1), date(2024, 3, 1), date(2024, 2, 15)),  # 30 days, leap February
    ],
)
def test_half_of_the_period_is_the_day_it_is_completed(start: date, end: date, half: date) -> None:
    assert half_of_period(start, end) == half


@pytest.mark.parametrize(
    ("category", "purpose", "basis"),
    [
        ("administrative", "visa", "first_workweek"),
        ("travel_and_lodging", "visa", "first_workweek"),
        ("travel_and_lodging", "inbound_travel", "half_of_period"),
        ("travel_and_lodging", "inbound_subsistence", "half_of_period"),
        ("travel_and_lodging", "outbound_travel", "end_of_period"),
        ("travel_and_lodging", "other", "half_of_period"),
        ("administrative", "other", "first_workweek"),
        ("medical", "other", "first_workweek"),
        ("insurance", "other", "first_workweek"),
        ("skills_test", "other", "first_workweek"),
        ("training", "other", "first_workweek"),
        ("equipment", "other", "first_workweek"),
        ("recruitment_fee", "other", "first_workweek"),
        ("illegitimate_cost", "other", "first_workweek"),
    ],
)
def test_each_cost_gets_its_deadline_basis(category: str, purpose: str, basis: str) -> None:
    assert deadline_basis(category, purpose) == basis  # type: ignore[arg-type]


def test_the_deadline_day_is_on_time_and_the_next_is_overdue() -> None:
    deadline = reimbursement_deadline(
        "administrative", "visa", date(2025, 2, 1), date(2025, 3, 26), None, None
    )
    assert deadline.due_on == date(2025, 3, 30)
    assert not deadline.is_overdue(date(2025, 3, 30))
    assert deadline.is_overdue(date(2025, 3, 31))


def test_a_cost_paid_after_arrival_is_due_at_the_end_of_that_week() -> None:
    deadline = reimbursement_deadline(
        "medical", "other", date(2025, 5, 14), date(2025, 3, 26), None, None
    )
    assert deadline.due_on == date(2025, 5, 18)


def test_a_deadline_without_its_facts_is_pending_and_never_overdue() -> None:
    no_arrival = reimbursement_deadline("medical", "other", date(2025, 2, 1), None, None, None)
    no_period = reimbursement_deadline(
        "travel_and_lodging", "inbound_travel", date(2025, 2, 1), date(2025, 3, 1), None, None
    )
    no_end = reimbursement_deadline(
        "travel_and_lodging", "outbound_travel", date(2025, 2, 1), None, date(2025, 4, 1), None
    )
    for deadline in (no_arrival, no_period, no_end):
        assert deadline.due_on is None
        assert deadline.pending
        assert not deadline.is_overdue(date(2099, 1, 1))


def test_period_deadlines_do_not_wait_for_arrival() -> None:
    deadline = reimbursement_deadline(
        "travel_and_lodging",
        "outbound_travel",
        date(2025, 2, 1),
        None,
        date(2025, 4, 1),
        date(2025, 9, 30),
    )
    assert deadline.due_on == date(2025, 9, 30)
    assert deadline.source == "20 CFR 655.122(h)(2)"


def test_a_full_first_week_leaves_the_offer_above_the_minimum_for_the_stated_hours() -> None:
    # 17.00 USD an hour, 40 hours, Monday start: (1700 - 725) x 40 = 39,000 cents.
    week = first_week(clean_terms(), date(2026, 11, 2))
    assert week.ends_on == date(2026, 11, 8)
    assert week.assumed_hours == 40
    assert week.room_above_minimum == 39000
    assert week.as_evidence()["decided"] is True


def test_a_first_week_started_midweek_counts_its_remaining_days() -> None:
    # Thursday start: 4 of 7 days, so 40 x 4 / 7 hours.
    week = first_week(clean_terms(), date(2026, 11, 5))
    assert week.assumed_hours == round(40 * 4 / 7, 2)
    assert week.room_above_minimum == int(975 * 40 * 4 / 7)


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"wage_unit": "piece"}, "per piece"),
        ({"hours_per_week": None}, "no hours per week"),
        ({"wage_offer": Money(amount=30000, currency="MXN")}, "MXN"),
    ],
)
def test_without_the_wage_facts_the_first_week_is_undecided_and_says_why(
    changes: dict[str, object], missing: str
) -> None:
    week = first_week(clean_terms(**changes), date(2026, 11, 2))
    assert week.room_above_minimum is None
    evidence = week.as_evidence()
    assert evidence["decided"] is False
    assert missing in str(evidence["assumed"])
