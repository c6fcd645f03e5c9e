"""Reading OFLC disclosure rows into job-order terms: columns by meaning, values as DOL writes
them, every problem reported and none fatal but a missing required column."""

import io
from datetime import date
from typing import Any

import pytest

from recruitment.errors import InvalidInput
from recruitment.imports import dol_disclosure as dol
from recruitment.imports.dol_disclosure import DisclosureCase, SourceRow


def case_row(line: int = 2, **values: str) -> SourceRow:
    base = {
        "CASE_NUMBER": "H-300-21291-649944",
        "EMPLOYER_NAME": "Hartland Farms",
        "EMPLOYER_ADDRESS_1": "1194 Rd Y",
        "EMPLOYER_CITY": "Lakin",
        "EMPLOYER_STATE": "KS",
        "EMPLOYER_POSTAL_CODE": "67860",
        "EMPLOYER_COUNTRY": "UNITED STATES OF AMERICA",
        "H2A_LABOR_CONTRACTOR": "N",
        "JOB_ORDER_NUMBER": "JO-A-300-21291-649944",
        "SOC_CODE": "45-2091.00",
        "JOB_TITLE": "Ag Equipment Operator",
        "EMPLOYMENT_BEGIN_DATE": "2022-01-01 00:00:00",
        "EMPLOYMENT_END_DATE": "2022-10-31 00:00:00",
        "ANTICIPATED_NUMBER_OF_HOURS": "48",
        "MONDAY_HOURS": "8",
        "SUNDAY_HOURS": "0",
        "HOURLY_SCHEDULE_BEGIN": "8:00 AM",
        "HOURLY_SCHEDULE_END": "5:00 PM",
        "WAGE_OFFER": "15.89",
        "PER": "Hour",
        "FREQUENCY_OF_PAY": "Biweekly",
        "DEDUCTIONS_FROM_PAY": "' Social Security and income tax withholdings.",
        "WORKSITE_ADDRESS": "1194 Rd Y",
        "WORKSITE_CITY": "Lakin",
        "WORKSITE_STATE": "KS",
        "WORKSITE_COUNTY": "KEARNY",
        "HOUSING_ADDRESS_LOCATION": "1243 Rd V",
        "HOUSING_CITY": "Lakin",
        "HOUSING_STATE": "KS",
        "TYPE_OF_HOUSING": "Trailers",
        "TOTAL_OCCUPANCY": "6",
        "MEALS_PROVIDED": "N",
    }
    return SourceRow(dol.CASES, line, {**base, **values})


def addendum_row(file: str, line: int, **values: str) -> SourceRow:
    return SourceRow(file, line, {"CASE_NUMBER": "H-300-21291-649944", **values})


def place(line: int, business: str, state: str = "FLORIDA", city: str = "Lake Placid") -> SourceRow:
    return addendum_row(
        dol.PLACES,
        line,
        NAME_OF_AGRICULTURAL_BUSINESS=business,
        PLACE_OF_EMPLOYMENT_ADDRESS1=f"{line} Grove Rd",
        PLACE_OF_EMPLOYMENT_CITY=city,
        PLACE_OF_EMPLOYMENT_STATE=state,
        REQUESTED_BEGIN_DATE="2021-11-15 00:00:00",
        REQUESTED_END_DATE="2022-05-31 00:00:00",
        TOTAL_WORKERS="40",
    )


def read(row: SourceRow, **addenda: Any) -> DisclosureCase:
    case = dol.read_case(row, **addenda)
    assert isinstance(case, DisclosureCase), case
    return case


def test_headers_of_other_fiscal_years_find_the_same_columns() -> None:
    header = ["case no", "H-2A_LABOR_CONTRACTOR", "MEALS_CHARGED", "Employer Name", "PER"]
    columns = dol.map_columns(
        dol.CASES_LAYOUT,
        [*header, "EMPLOYER_STATE", "EMPLOYMENT_BEGIN_DATE", "EMPLOYMENT_END_DATE", "WAGE_OFFER"],
    )
    assert columns.positions["CASE_NUMBER"] == 0
    assert columns.positions["H2A_LABOR_CONTRACTOR"] == 1
    assert columns.positions["MEALS_CHARGE"] == 2
    assert columns.positions["EMPLOYER_NAME"] == 3
    assert columns.unknown == ()


def test_unknown_columns_are_reported_and_known_unused_ones_are_not() -> None:
    header = [column.name for column in dol.CROPS_LAYOUT.columns]
    columns = dol.map_columns(dol.CROPS_LAYOUT, [*header, "CROP_ID", "VISA CLASS"])
    assert columns.unknown == ("VISA CLASS",)


def test_a_missing_required_column_is_an_error_naming_it() -> None:
    missing = "NAME_OF_AGRICULTURAL_BUSINESS"
    header = [c.name for c in dol.PLACES_LAYOUT.columns if c.name != missing]
    with pytest.raises(InvalidInput) as raised:
        dol.map_columns(dol.PLACES_LAYOUT, header)
    assert missing in raised.value.detail
    assert "AGRICULTURAL_BUSINESS_NAME" in raised.value.problems[0].message
    assert raised.value.problems[0].field == dol.PLACES


def test_rows_carry_their_first_line_and_skip_blank_ones() -> None:
    text = (
        "CASE_NUMBER,CROP_AGRICULTURAL_ACTIVITY,WAGE_OFFER,PER\n"
        'H-1,"Celery\nhearts",1.2,Piece Rate\n'
        ",,,\n"
        "H-2,Rice,12.08,Hour\n"
    )
    _, rows = dol.open_file(dol.CROPS_LAYOUT, io.StringIO(text, newline=""))
    found = list(rows)
    assert [(row.line, row.text("CASE_NUMBER")) for row in found] == [(2, "H-1"), (5, "H-2")]


@pytest.mark.parametrize(
    ("text", "cents"), [("11.88", 1188), ("1727.75", 172775), ("$1,200", 120000), ("0.555", 56)]
)
def test_dollars_become_cents(text: str, cents: int) -> None:
    assert dol.dollars_to_money(text).amount == cents


@pytest.mark.parametrize(
    ("text", "day"), [("2022-01-01 00:00:00", date(2022, 1, 1)), ("1/15/2022", date(2022, 1, 15))]
)
def test_disclosure_dates(text: str, day: date) -> None:
    assert dol.disclosure_date(text) == day


@pytest.mark.parametrize(
    ("stated", "other", "frequency"),
    [
        ("Weekly", "", "weekly"),
        ("Biweekly", "", "biweekly"),
        ("Other", "Twice Monthly", "semimonthly"),
        ("Other", "1st & 15th", "semimonthly"),
        ("Other", "15/last day mo", "semimonthly"),
        ("Other", "SEMI-MONTHLY", "semimonthly"),
        ("Other", "bi-monthly", None),  # twice a month, or every two months: not guessed
        ("Monthly", "", "monthly"),
    ],
)
def test_pay_frequency_as_filed(stated: str, other: str, frequency: str | None) -> None:
    assert dol.pay_frequency(stated, other) == frequency


@pytest.mark.parametrize(
    ("descriptions", "kind"),
    [
        (("Motel",), "hotel_motel"),
        (("House", "Rented"), "rented"),
        (("Mobile Home", "Employer owned housing."), "employer_owned"),
        (("Migrant Labor Camp",), "other"),
        (("Hotel - extended stay",), "hotel_motel"),
        (("Leased apartment",), "rented"),
        (("Single-Family House", "Owned by the housing authority"), "public_housing"),
        (("Farm housing on site",), "employer_owned"),
        (("Trailer",), "other"),
    ],
)
def test_housing_type_from_free_text(descriptions: tuple[str, ...], kind: str) -> None:
    assert dol.housing_type(*descriptions) == kind


def test_states_by_code_or_name() -> None:
    assert [dol.us_state(s) for s in ("fl", "FLORIDA", "New  Mexico", "ONTARIO", "")] == [
        "FL",
        "FL",
        "NM",
        None,
        None,
    ]


def test_a_growers_case_becomes_terms() -> None:
    case = read(case_row())
    terms = case.terms
    assert not case.h2a_labor_contractor
    assert case.employer.name == "Hartland Farms"
    assert case.employer.state == "KS"
    assert case.problems == ()
    assert terms.case_number == "H-300-21291-649944"
    assert terms.soc_code == "45-2091.00"
    assert (terms.period_start, terms.period_end) == (date(2022, 1, 1), date(2022, 10, 31))
    assert terms.hours_per_week == 48
    assert terms.daily_schedule == "8:00 AM to 5:00 PM; Mon 8"
    assert terms.wage_offer is not None
    assert (terms.wage_offer.amount, terms.wage_unit) == (1589, "hour")
    assert terms.pay_frequency == "biweekly"
    [deduction] = terms.deductions
    assert deduction.basis == "Social Security and income tax withholdings."
    assert terms.housing is not None
    assert (terms.housing.description, terms.housing.capacity) == ("Trailers", 6)
    assert terms.meals is not None
    assert terms.meals.arrangement == "kitchen"
    assert [site.county for site in terms.worksites] == ["KEARNY"]


@pytest.mark.parametrize(
    ("phone", "extension", "stated"),
    [
        ("12085952226", "", "+1 208-595-2226"),  # FY2022
        ("701-629-5023", "12", "+1 701-629-5023 ext. 12"),  # FY2018
        ("595-2226", "", "595-2226"),  # not a valid number: as filed
        ("", "", None),
    ],
)
def test_the_employers_phone_is_stated_as_a_worker_abroad_dials_it(
    phone: str, extension: str, stated: str | None
) -> None:
    terms = read(case_row(EMPLOYER_PHONE=phone, EMPLOYER_PHONE_EXT=extension)).terms
    assert terms.employer_phone == stated


def test_meals_provided_carry_their_charge() -> None:
    terms = read(case_row(MEALS_PROVIDED="Y", MEALS_CHARGE="13.17")).terms
    assert terms.meals is not None
    assert terms.meals.charge_per_day is not None
    assert (terms.meals.arrangement, terms.meals.charge_per_day.amount) == ("provided", 1317)


def test_addendum_a_gives_piece_rates_activity_wages_and_crops() -> None:
    crops = [
        addendum_row(dol.CROPS, 2, CROP_AGRICULTURAL_ACTIVITY="Romaine", WAGE_OFFER="1.45",
                     PER="Piece Rate", PIECE_RATE_UNITS_SPECIAL_PAY="per\tcarton\t"),
        addendum_row(dol.CROPS, 3, CROP_AGRICULTURAL_ACTIVITY="Romaine", WAGE_OFFER="12.08",
                     PER="Hour"),
        addendum_row(dol.CROPS, 4, CROP_AGRICULTURAL_ACTIVITY="Celery", WAGE_OFFER="1",
                     PER="Piece Rate"),
    ]  # fmt: skip
    terms = read(case_row(), crops=crops).terms
    assert terms.crops_activities == ["Romaine", "Celery"]
    assert [(p.crop_or_activity, p.unit, p.rate.amount) for p in terms.piece_rates] == [
        ("Romaine", "per carton", 145),
        ("Celery", "piece", 100),
    ]
    assert [(w.crop_or_activity, w.unit, w.rate.amount) for w in terms.activity_wages] == [
        ("Romaine", "hour", 1208)
    ]


def test_addendum_b_housing_adds_housing_and_a_bad_row_is_reported() -> None:
    housing = [
        addendum_row(dol.HOUSING, 2, PHYSICAL_LOCATION_ADDRESS1="4800 Vista Cuesta",
                     PHYSICAL_LOCATION_STATE="NEW MEXICO", TOTAL_OCCUPANCY="3",
                     TYPE_OF_HOUSING="House", ADDITIONAL_HOUSING_INFORMATION="Rented"),
        addendum_row(dol.HOUSING, 3, PHYSICAL_LOCATION_ADDRESS1="2 Camp Rd",
                     PHYSICAL_LOCATION_STATE="NM", TOTAL_OCCUPANCY="0"),
    ]  # fmt: skip
    case = read(case_row(), housing=housing)
    [extra] = case.terms.additional_housing
    assert (extra.type, extra.state, extra.capacity) == ("rented", "NM", 3)
    [problem] = case.problems
    assert (problem.file, problem.line, problem.column) == (dol.HOUSING, 3, "TOTAL_OCCUPANCY")


def test_a_contractors_places_of_employment_are_placements() -> None:
    places = [place(2, "Walchli Farms, LLC"), place(3, "Walchli Farms, LLC"), place(4, "Ranch B")]
    case = read(case_row(H2A_LABOR_CONTRACTOR="Y"), places=places)
    assert case.h2a_labor_contractor
    assert [p.business for p in case.placements] == ["Walchli Farms, LLC"] * 2 + ["Ranch B"]
    assert case.placements[0].state == "FL"
    assert case.placements[0].workers == 40
    assert len(case.terms.worksites) == 1, "only the case's own worksite"


def test_a_growers_places_of_employment_are_its_worksites() -> None:
    places = [place(2, "North Field", city=""), place(3, "South Field", state="")]
    case = read(case_row(), places=places)
    assert case.placements == ()
    assert [(s.name, s.city, s.state) for s in case.terms.worksites[1:]] == [
        ("North Field", None, "FL"),
        ("South Field", "Lake Placid", "KS"),
    ]
    [problem] = case.problems
    assert "the case's (KS) is used" in problem.message


def test_unreadable_values_leave_their_term_empty_and_are_reported() -> None:
    case = read(
        case_row(
            WAGE_OFFER="fifteen",
            SOC_CODE="452091",
            EMPLOYMENT_END_DATE="2021-12-31",
            ANTICIPATED_NUMBER_OF_HOURS="0",
            PER="Year",
        )
    )
    terms = case.terms
    assert (terms.wage_offer, terms.soc_code, terms.period_start, terms.period_end) == (
        None,
        None,
        None,
        None,
    )
    assert terms.hours_per_week is None
    assert terms.wage_unit is None
    assert {p.column for p in case.problems} == {
        "WAGE_OFFER",
        "SOC_CODE",
        "EMPLOYMENT_END_DATE",
        "ANTICIPATED_NUMBER_OF_HOURS",
        "PER",
    }


def test_a_case_without_employer_or_contractor_answer_is_left_out() -> None:
    problems = dol.read_case(case_row(EMPLOYER_NAME="", H2A_LABOR_CONTRACTOR="maybe"))
    assert isinstance(problems, tuple)
    assert {p.column for p in problems} == {"EMPLOYER_NAME", "H2A_LABOR_CONTRACTOR"}


def test_an_employer_without_a_state_takes_the_worksites() -> None:
    case = read(case_row(EMPLOYER_STATE="", EMPLOYER_COUNTRY="MEXICO"))
    assert (case.employer.state, case.employer.country) == ("KS", "MX")


@pytest.mark.parametrize(
    ("older", "fy2022"),
    [
        ("ADD_PLACE_OF_EMPLOYMENT_INFO", "ADDITIONAL_PLACE_OF_EMPLOYMENT_INFORMATION"),
        ("EMPLOYER_ADDRESS1", "EMPLOYER_ADDRESS_1"),
        ("HOUSING_STANDARD_LOCAL", "HOUSING_STANDARDS_LOCAL"),
        ("PLACE_OF_EMPLOYMENT_POSTAL_CODE", "PLACE_OF_EMPLOYMENT_POST_CODE"),
        ("JO_NUMBER", "JOB_ORDER_NUMBER"),
        ("CROP_AGRI_ACTIVITY", "CROP_AGRICULTURAL_ACTIVITY"),
        ("h-2a labor contractor", "H2A_LABOR_CONTRACTOR"),
    ],
)
def test_abbreviations_and_punctuation_read_the_same(older: str, fy2022: str) -> None:
    assert dol.header_key(older) == dol.header_key(fy2022)


def test_no_two_columns_of_a_layout_share_a_spelling() -> None:
    for layout in dol.LAYOUTS.values():
        keys = [key for column in layout.columns for key in column.keys]
        assert len(keys) == len(set(keys)), layout.file


def test_every_other_spelling_says_where_it_was_seen() -> None:
    seen_in = {s.seen_in for layout in dol.LAYOUTS.values() for c in layout.columns for s in c.also}
    assert seen_in <= {dol.FY2018, dol.FY2020, dol.LAYOUTS_ONLY}
    assert {dol.FY2018, dol.FY2020} <= seen_in


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Determination Issued - Certification", "certified"),
        ("DETERMINATION ISSUED - PARTIAL CERTIFICATION", "partial"),
        ("DETERMINATION ISSUED - CERTIFICATION EXPIRED", "expired"),
        ("Determination Issued - Withdrawn", "withdrawn"),
        ("Determination Issued - Denied", "denied"),
        ("Pending", None),
    ],
)
def test_case_statuses_of_every_form(text: str, status: str | None) -> None:
    assert dol.case_status(text) == status


@pytest.mark.parametrize(
    ("flag", "contractor"),
    [
        ("H-2A Labor Contractor or Job Contractor", True),
        ("Individual Employer", False),
        ("Association - Joint Employer (H-2A Only)", False),
        ("Y", True),
    ],
)
def test_the_old_forms_organization_flag_says_who_filed(flag: str, contractor: bool) -> None:
    assert read(case_row(H2A_LABOR_CONTRACTOR=flag)).h2a_labor_contractor is contractor


def test_an_hourly_wage_filed_as_a_piece_rate_is_an_hourly_wage() -> None:
    case = read(
        case_row(PIECE_RATE_OFFER="16.05", PIECE_RATE_UNIT="Romaine lettuce $16.05 per hour CA")
    )
    assert case.terms.piece_rates == []
    [wage] = case.terms.activity_wages
    assert (wage.unit, wage.rate.amount) == ("hour", 1605)
    assert "per hour" in (wage.note or "")


def test_a_piece_rate_with_its_hourly_pace_stays_a_piece_rate() -> None:
    case = read(case_row(PIECE_RATE_OFFER="0.65", PIECE_RATE_UNIT="per bucket, (17 buckets/hour)"))
    [rate] = case.terms.piece_rates
    assert rate.rate.amount == 65
    assert case.terms.activity_wages == []


def test_addenda_without_their_case_add_to_the_terms_once() -> None:
    terms = read(case_row()).terms
    crops = [addendum_row(dol.CROPS, 2, CROP_AGRICULTURAL_ACTIVITY="Rice", WAGE_OFFER="12.08",
                          PER="Hour")]  # fmt: skip
    once, _, problems = dol.with_addenda(terms, crops, contractor=False)
    assert problems == ()
    assert once.crops_activities == ["Rice"]
    twice, _, _ = dol.with_addenda(once, crops, contractor=False)
    assert twice == once
