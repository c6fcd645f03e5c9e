"""Our one-pass CURP check accepts, compacts and refuses exactly as python-stdnum's does."""

import string
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from stdnum.exceptions import ValidationError
from stdnum.mx import curp as stdnum_curp

from recruitment.domain import curp

LETTERS = st.text(string.ascii_uppercase, min_size=1, max_size=1)
DIGITS = st.text(string.digits, min_size=1, max_size=1)


@st.composite
def curps(draw: st.DrawFn) -> str:
    """A CURP-shaped number, valid or not in each part, with its check digit right or wrong,
    and perhaps written as people write them (lower case, spaces, dashes)."""
    born = draw(st.dates(date(1930, 1, 1), date(2029, 12, 31)))
    name = draw(st.sampled_from(["BOXW", "PEPJ", "BUEI", "GOMA", "PUTO", "A1BC"]))
    day = (
        f"{born:%y%m%d}"
        if draw(st.booleans())
        else draw(st.text(string.digits, min_size=6, max_size=6))
    )
    gender = draw(st.sampled_from("HMX"))
    state = draw(st.sampled_from(["NE", "DF", "TL", "XX", "ZS"]))
    consonants = "".join(draw(LETTERS) for _ in range(3))
    century = ("0" if born.year < 2000 else "A") if draw(st.booleans()) else draw(LETTERS | DIGITS)
    body = f"{name}{day}{gender}{state}{consonants}{century}"
    check = stdnum_curp.calc_check_digit(body) if draw(st.booleans()) else draw(DIGITS | LETTERS)
    number = body + check
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(number)))
        number = (
            number[:cut]
            + draw(st.sampled_from(["", "-", " ", "_", "\u2013", "9", "Ñ"]))
            + number[cut:]
        )
    return number.lower() if draw(st.booleans()) else number


def stdnum_outcome(number: str) -> str | type[ValidationError]:
    try:
        return str(stdnum_curp.validate(number))
    except ValidationError as error:
        return type(error)


def our_outcome(number: str) -> str | type[ValidationError]:
    try:
        return curp.validate(number)
    except ValidationError as error:
        return type(error)


@settings(max_examples=2_000)
@given(curps())
@example("BOXW310820HNERXN09")
@example("boxw-310820-hnerxn09")
@example("BOXW310230HNERXN09")  # 30 February
def test_our_check_decides_as_python_stdnums(number: str) -> None:
    assert our_outcome(number) == stdnum_outcome(number)


@settings(max_examples=500)
@given(curps())
def test_the_birth_date_is_python_stdnums(number: str) -> None:
    if isinstance(compact := our_outcome(number), str):
        assert curp.birth_date(compact) == stdnum_curp.get_birth_date(compact)


def test_a_valid_number_is_returned_compact() -> None:
    assert curp.validate(" boxw 310820-hnerxn09 ") == "BOXW310820HNERXN09"
    with pytest.raises(ValidationError):
        curp.validate("BOXW310820HNERXN08")
