from datetime import date

from recruitment.verification import (
    ReferralClaim,
    ReferralConflict,
    ReferralMatch,
    RowError,
    SneReferral,
    match_referral,
    parse_referral_list,
)

CURP = "GOMJ800101HMCRRN05"
OTHER_CURP = "PELA950315MJCRPN05"
HEADER = "office,folio,curp,passport,name,referred_on,employer"


def _entry(**changes: object) -> SneReferral:
    values: dict[str, object] = {
        "office": "SNE Michoacán - Morelia",
        "folio": "MICH-2025-000123",
        "curp": CURP,
        "passport": "G12345678",
        "name": "Juan Gómez Martínez",
        "referred_on": date(2025, 1, 10),
        "employer": "Sunny Fields Farms, LLC",
        "line": 2,
    }
    values.update(changes)
    return SneReferral(**values)  # type: ignore[arg-type]


def _claim(**changes: object) -> ReferralClaim:
    values: dict[str, object] = {
        "sne_folio": "mich-2025-000123",
        "office_labels": ("SNE MICHOACAN MORELIA", "00000000-0000-0000-0000-000000000005"),
        "worker_curp": CURP,
        "worker_passport": None,
        "grower_legal_name": "Sunny Fields Farms LLC",
    }
    values.update(changes)
    return ReferralClaim(**values)  # type: ignore[arg-type]


def test_a_referral_list_parses_row_by_row() -> None:
    lines = [
        "employer,office,folio,curp,passport,name,referred_on",  # columns in another order
        f"Sunny Fields Farms,SNE Morelia,MICH-1,{CURP.lower()},,Juan Gómez,2025-01-10",
        "Sunny Fields Farms,SNE Morelia,MICH-2,,g 123-456,Ana Pérez,15/01/2025",
    ]
    first, second = parse_referral_list(lines)
    assert isinstance(first, SneReferral)
    assert isinstance(second, SneReferral)
    assert (first.curp, first.passport, first.referred_on) == (CURP, None, date(2025, 1, 10))
    assert (second.passport, second.referred_on, second.line) == ("G123456", date(2025, 1, 15), 3)


def test_bad_referral_rows_are_reported_by_line_and_column() -> None:
    lines = [
        HEADER,
        "SNE Morelia,MICH-1,,,Juan Gómez,2025-01-10,Sunny Fields",
        "SNE Morelia,MICH-2,GOMJ800101HMCRRN04,,Juan Gómez,2025-01-10,Sunny Fields",
        f"SNE Morelia,MICH-3,{CURP},,Juan Gómez,01/15/2025,",
        f"SNE Morelia,MICH-4,{CURP},,Juan Gómez,2025-01-10,Sunny Fields",
    ]
    parsed = list(parse_referral_list(lines))
    assert [(row.line, row.column) for row in parsed if isinstance(row, RowError)] == [
        (2, "curp"),
        (3, "curp"),
        (4, "employer"),
        (4, "referred_on"),
    ]
    assert [row.folio for row in parsed if isinstance(row, SneReferral)] == ["MICH-4"]


def test_a_list_without_the_columns_is_one_error() -> None:
    [error] = parse_referral_list(["office,folio", "SNE,1"])
    assert error == RowError(
        1, None, "missing columns: curp, passport, name, referred_on, employer"
    )


def test_a_matching_claim() -> None:
    assert match_referral(_entry(), _claim()) == ReferralMatch("MICH-2025-000123")


def test_the_passport_decides_when_there_is_no_curp_on_both_sides() -> None:
    claim = _claim(worker_curp=None, worker_passport="g-12345678")
    assert isinstance(match_referral(_entry(curp=None), claim), ReferralMatch)


def test_another_office_another_person_and_another_employer_in_one_sentence() -> None:
    claim = _claim(
        office_labels=("SNE Jalisco - Guadalajara",),
        worker_curp=OTHER_CURP,
        grower_legal_name="Green Acres Inc",
    )
    conflict = match_referral(_entry(), claim)
    assert isinstance(conflict, ReferralConflict)
    assert [difference.kind for difference in conflict.differences] == [
        "office",
        "person",
        "employer",
    ]
    assert conflict.evidence == (
        "SNE referral folio MICH-2025-000123 was issued by office 'SNE Michoacán - Morelia', "
        "not 'SNE Jalisco - Guadalajara'; "
        f"is for another person (CURP {CURP}, not {OTHER_CURP}); "
        "names employer 'Sunny Fields Farms, LLC', not 'Green Acres Inc'."
    )


def test_a_referral_that_cannot_be_tied_to_the_worker_is_a_conflict() -> None:
    conflict = match_referral(_entry(passport=None), _claim(worker_curp=None, worker_passport="X1"))
    assert isinstance(conflict, ReferralConflict)
    assert [difference.kind for difference in conflict.differences] == ["person"]
    assert "CURP only" in conflict.evidence


def test_an_entry_for_another_folio_is_a_conflict() -> None:
    conflict = match_referral(_entry(folio="MICH-2025-000999"), _claim())
    assert isinstance(conflict, ReferralConflict)
    assert [difference.kind for difference in conflict.differences] == ["folio"]
