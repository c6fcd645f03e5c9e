from datetime import date
from pathlib import Path

import pytest

from recruitment.verification import (
    RegistryEntry,
    RowError,
    check_contractor,
    holder_names_match,
    normalise_holder_name,
    parse_registry,
)
from recruitment.verification.registry import REGISTRY_COLUMNS, parse_us_date

from .factories import intermediary, registry_record

SAMPLE = Path(__file__).parent / "data" / "flc_registry_sample.csv"
HEADER = ",".join(REGISTRY_COLUMNS)


def _parse_sample() -> list[RegistryEntry | RowError]:
    with SAMPLE.open(encoding="utf-8", newline="") as file:
        return list(parse_registry(file))


def test_every_row_of_the_sample_parses() -> None:
    with SAMPLE.open(encoding="utf-8") as file:
        data_lines = sum(1 for _ in file) - 1
    parsed = _parse_sample()
    assert [row for row in parsed if isinstance(row, RowError)] == []
    assert len(parsed) == data_lines == 199


def test_a_sample_row_reads_into_a_record_with_its_address() -> None:
    by_number = {
        row.record.certificate_number: row
        for row in _parse_sample()
        if isinstance(row, RegistryEntry)
    }
    entry = by_number["C-03-030603-H-22-R"]
    assert entry.record.holder_name == "NAPIERALSKI FORESTRY ENTERPRISE, INC."
    assert entry.record.valid_from == date(2020, 9, 1)
    assert entry.record.valid_until == date(2022, 8, 31)  # written 8/31/22
    assert (entry.record.authorized_to_drive, entry.record.authorized_to_house) == (False, False)
    assert entry.record.authorized_to_transport is True
    assert (entry.city, entry.state, entry.zip_code) == ("Street", "MD", "21154")
    assert entry.line == 3


def test_the_sample_holds_every_authorization() -> None:
    records = [row.record for row in _parse_sample() if isinstance(row, RegistryEntry)]
    assert any(r.authorized_to_house for r in records)
    assert any(r.authorized_to_transport and r.authorized_to_drive for r in records)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2/24/22", date(2022, 2, 24)),
        ("12/18/21", date(2021, 12, 18)),
        ("2/26/2020", date(2020, 2, 26)),
        ("1/1/99", date(1999, 1, 1)),
    ],
)
def test_registry_dates_take_two_or_four_digit_years(text: str, day: date) -> None:
    assert parse_us_date(text) == day


@pytest.mark.parametrize("text", ["2020-02-26", "2/30/2020", "2/26/020", "13/1/21"])
def test_malformed_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message varies with the defect
        parse_us_date(text)


def test_bad_rows_are_reported_and_good_ones_still_read() -> None:
    lines = [
        HEADER,
        "C-1,GOOD FARMS,1 Rd,Town,FL,1,555,Corporation,N,Y,N,1/1/2020,12/31/21",
        "C-2,,1 Rd,Town,FL,1,555,Corporation,X,Y,N,1/1/2020,13/45/21",
        ",,,,,,,,,,,,",
        "C-3,LATE FARMS,1 Rd,Town,FL,1,555,Corporation,N,N,N,1/1/2021,12/31/20",
    ]
    parsed = list(parse_registry(lines))
    assert isinstance(parsed[0], RegistryEntry)
    assert parsed[0].record.authorized_to_house is True
    assert parsed[1:] == [
        RowError(3, "FLC Business or FLC Individual", "is empty"),
        RowError(3, "Driving Authorization", "'X' is neither Y nor N"),
        RowError(
            3,
            "FLC Certificate Valid Until",
            "'13/45/21' is not a real date (month must be in 1..12)",
        ),
        RowError(5, "FLC Certificate Valid Until", "the certificate ends before it starts"),
    ]


def test_a_file_without_the_registry_columns_is_one_error() -> None:
    [error] = parse_registry(["Cert Num,Name", "C-1,X"])
    assert error == RowError(
        1, None, "missing columns: " + ", ".join(column for column in REGISTRY_COLUMNS[1:])
    )


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("S & P CONVEYORS, INC.", "S AND P CONVEYORS"),
        ("L & L MUSHROOM, LLC.", "L AND L MUSHROOM"),
        ("M.E. STEPHENS & SONS FRUIT CO., INC.", "ME STEPHENS AND SONS FRUIT"),
        ("Maria G Simon DBA Rojas and Simon Harvesting LLC", "MARIA G SIMON"),
        ("LAKE HOME BUSINESS SERVICES, INC. DBA: BOOK-ENDS", "LAKE HOME BUSINESS SERVICES"),
        ("Leaños, Alfredo", "LEANOS ALFREDO"),
        ("Int'l Employment Agency", "INTL EMPLOYMENT AGENCY"),
        ("Reclutadora del Norte, S.A. de C.V.", "RECLUTADORA DEL NORTE"),
        ("TRANSPORT LEASING CO LLP", "TRANSPORT LEASING"),
        ("  jesse's   greenhouse l.l.c. ", "JESSES GREENHOUSE"),
        ("DEVANE, JR., FLOYD", "DEVANE JR FLOYD"),
    ],
)
def test_holder_names_normalise(name: str, normalised: str) -> None:
    assert normalise_holder_name(name) == normalised


@pytest.mark.parametrize(
    ("declared", "registered"),
    [
        ("Alfredo Leanos", "Leaños, Alfredo"),
        ("Rojas and Simon Harvesting", "Maria G Simon DBA Rojas and Simon Harvesting LLC"),
        ("maria g. simon", "Maria G Simon DBA Rojas and Simon Harvesting LLC"),
        ("Guadalupe Rodriguez-Hernandez", "RODRIGUEZ HERNANDEZ, GUADALUPE"),
    ],
)
def test_the_same_holder_matches(declared: str, registered: str) -> None:
    assert holder_names_match(declared, registered)


@pytest.mark.parametrize(
    ("declared", "registered"),
    [
        ("Alfredo Leanos Jr", "Leaños, Alfredo"),
        ("Rojas Harvesting", "Maria G Simon DBA Rojas and Simon Harvesting LLC"),
        ("S and P Conveyors of Ohio", "S & P CONVEYORS, INC."),
    ],
)
def test_another_holder_does_not_match(declared: str, registered: str) -> None:
    assert not holder_names_match(declared, registered)


def test_a_name_cut_by_the_registry_matches_its_full_form_only_there() -> None:
    cut = "Anthony Bravo DBA Palmetto Right of Way Manageme"
    assert len(cut) == 48
    assert not holder_names_match("Palmetto Right of Way Management", cut)
    assert holder_names_match("Palmetto Right of Way Management", cut, registered_cut_at=48)
    assert not holder_names_match("Palmetto Roads", cut, registered_cut_at=48)


def test_a_declared_contractor_found_in_the_registry() -> None:
    record = registry_record("C-04-000050-A-25-R", holder_name="INTERMEDIARY 50, LLC")
    check = check_contractor(intermediary(50, certificate_number=" c-04-000050-a-25-r "), record)
    assert check.status == "found"
    assert check.certificate_number == "C-04-000050-A-25-R"


def test_a_declared_contractor_under_someone_elses_certificate() -> None:
    record = registry_record("C-04-000050-A-25-R", holder_name="OTHER CONTRACTING INC")
    check = check_contractor(intermediary(50), record)
    assert check.status == "name_mismatch"
    assert "OTHER CONTRACTING INC" in check.message


def test_a_declared_contractor_missing_from_the_registry() -> None:
    assert check_contractor(intermediary(50), None).status == "not_found"
    assert check_contractor(intermediary(50, certificate_number=None), None).message == (
        "no certificate number was declared"
    )


def test_checking_against_the_record_of_another_certificate_is_a_bug() -> None:
    with pytest.raises(ValueError, match="checked against"):
        check_contractor(intermediary(50), registry_record("C-99-999999-Z-99-R"))
