"""Today's date for the rules, from one place, so that tests and re-runs can fix it.

Deadlines pass with the calendar: `recruitment verify --as-of` and the tests set the date
explicitly with `as_of(...)`; everything else asks `today()`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time

_fixed_date: ContextVar[date | None] = ContextVar("fixed_date", default=None)


def today() -> date:
    return _fixed_date.get() or datetime.now(UTC).date()


def now() -> datetime:
    """The current moment in UTC; at noon of the fixed date while one is set."""
    fixed = _fixed_date.get()
    if fixed is None:
        return datetime.now(UTC)
    return datetime.combine(fixed, time(12, 0), UTC)


@contextmanager
def as_of(day: date) -> Iterator[None]:
    token = _fixed_date.set(day)
    try:
        yield
    finally:
        _fixed_date.reset(token)
