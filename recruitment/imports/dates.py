"""Dates as people type them in spreadsheets: read leniently, never guessed when ambiguous."""

from datetime import date

from dateutil import parser


class AmbiguousDate(ValueError):
    pass


def lenient_date(text: str) -> date:
    """ISO dates as they are; other spellings through python-dateutil, refusing any text whose
    day and month could be swapped (03/04/2025 is March 4th or 3 April: ask, don't guess)."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        month_first = parser.parse(text, dayfirst=False, yearfirst=False).date()
        day_first = parser.parse(text, dayfirst=True, yearfirst=False).date()
    except (parser.ParserError, OverflowError, ValueError) as error:
        raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD") from error
    if month_first != day_first:
        raise AmbiguousDate(
            f"{text!r} could be {month_first.isoformat()} or {day_first.isoformat()}; "
            "write it as YYYY-MM-DD"
        )
    return month_first
