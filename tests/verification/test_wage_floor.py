from datetime import date
from fractions import Fraction

import pytest

from recruitment.domain.terms import Money
from recruitment.verification import aewr_rows, packaged_wage_floor_table, wage_floor_assessment
from recruitment.verification.rules import packaged_reference
from recruitment.verification.wage_floor import AewrRate, WageFloorTable, parse_aewr_csv

from .factories import clean_terms

TABLE = packaged_wage_floor_table()


def test_the_packaged_table_loads_every_row_in_whole_cents() -> None:
    rows = list(aewr_rows())
    assert len(rows) == 76
    assert rows[0].keys() == {
        "state",
        "year",
        "effective_from",
        "hourly_cents",
        "basis",
        "note",
        "source",
    }
    ny_2025 = TABLE.lookup("NY", date(2025, 6, 1))
    assert ny_2025 is not None
    assert ny_2025.hourly_cents == 1883
    assert ny_2025.note.startswith("Northeast I region rate")


@pytest.mark.parametrize(
    ("state", "day", "year"),
    [
        # California took the 2025 rate on 2024-12-16.
        ("CA", date(2024, 12, 15), 2024),
        ("CA", date(2024, 12, 16), 2025),
        # Florida was under the Kansas v. DOL injunction: 2024-12-30.
        ("FL", date(2024, 12, 16), 2024),
        ("FL", date(2024, 12, 29), 2024),
        ("FL", date(2024, 12, 30), 2025),
        ("FL", date(2025, 12, 31), 2025),
        ("FL", date(2023, 1, 1), 2023),
    ],
)
def test_the_rate_in_force_follows_effective_dates(state: str, day: date, year: int) -> None:
    rate = TABLE.lookup(state, day)
    assert rate is not None
    assert rate.year == year


@pytest.mark.parametrize(
    ("state", "day"),
    [
        ("FL", date(2026, 1, 1)),  # beyond the published years
        ("IL", date(2025, 6, 1)),  # no 2025 row for Illinois
        ("KY", date(2024, 6, 1)),  # Kentucky's first row is the 2025 rate
        ("FL", date(2022, 12, 31)),  # before the first row
        ("ZZ", date(2025, 6, 1)),
    ],
)
def test_no_published_rate(state: str, day: date) -> None:
    assert TABLE.lookup(state, day) is None


def test_two_rates_taking_effect_the_same_day_are_refused() -> None:
    rate = AewrRate("FL", 2025, date(2024, 12, 30), 1623, "FLS", "")
    with pytest.raises(ValueError, match="same day"):
        WageFloorTable([rate, rate])


def test_a_rate_not_in_whole_cents_is_refused_with_its_line() -> None:
    lines = ["state,year,effective_from,hourly_usd,basis,note", "FL,2025,2024-12-30,16.235,FLS,"]
    with pytest.raises(ValueError, match="line 2"):
        parse_aewr_csv(lines)


@pytest.mark.parametrize(
    ("amount", "unit", "hours", "hourly"),
    [
        (1700, "hour", 40, Fraction(1700)),
        (68000, "week", 40, Fraction(1700)),
        (68000, "week", 37.5, Fraction(68000) / Fraction("37.5")),
        (300000, "month", 40, Fraction(300000 * 12, 52 * 40)),
    ],
)
def test_offers_are_put_per_hour(amount: int, unit: str, hours: float, hourly: Fraction) -> None:
    terms = clean_terms(
        wage_offer=Money(amount=amount, currency="USD"), wage_unit=unit, hours_per_week=hours
    )
    assessment = wage_floor_assessment(terms, packaged_reference())
    assert assessment.offer_hourly == hourly


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"wage_unit": "piece"}, "piece-rate"),
        ({"wage_unit": "week", "hours_per_week": None}, "hours per week"),
        ({"wage_offer": Money(amount=30000, currency="MXN")}, "MXN"),
        ({"wage_offer": None}, "no wage offer"),
        ({"worksites": []}, "state"),
        ({"period_start": None}, "period start"),
    ],
)
def test_offers_that_cannot_be_compared_say_why(changes: dict[str, object], reason: str) -> None:
    assessment = wage_floor_assessment(clean_terms(**changes), packaged_reference())
    assert assessment.status == "not_comparable"
    assert reason in assessment.note


def test_no_published_rate_is_shown_with_the_federal_minimum_as_floor() -> None:
    terms = clean_terms(period_start=date(2026, 4, 1), period_end=date(2026, 9, 30))
    assessment = wage_floor_assessment(terms, packaged_reference())
    assert assessment.status == "no_published_rate"
    assert assessment.aewr is None
    assert assessment.floor_cents == 725
    assert "no AEWR loaded for FL on 2026-04-01" in assessment.note
    assert assessment.as_evidence()["aewr"] is None


@pytest.mark.parametrize(
    ("period_end", "status", "on_date", "floor_cents"),
    [
        # Florida's 2025 AEWR (16.23) took effect on 2024-12-30, during the season.
        (date(2025, 3, 31), "below_floor", date(2024, 12, 30), 1623),
        # A season that ends the day before is judged on the 2024 rate (14.77) alone.
        (date(2024, 12, 29), "meets_floor", date(2024, 10, 1), 1477),
    ],
)
def test_an_aewr_that_takes_effect_during_the_season_binds_from_its_effective_date(
    period_end: date, status: str, on_date: date, floor_cents: int
) -> None:
    terms = clean_terms(
        period_start=date(2024, 10, 1),
        period_end=period_end,
        wage_offer=Money(amount=1500, currency="USD"),
    )
    assessment = wage_floor_assessment(terms, packaged_reference())
    assert (assessment.status, assessment.on_date, assessment.floor_cents) == (
        status,
        on_date,
        floor_cents,
    )
