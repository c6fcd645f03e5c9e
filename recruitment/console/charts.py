"""The geometry of the reports' charts, drawn as inline SVG by templates/reports/_charts.html.

Lengths along a chart are percentages of its width (an SVG with no viewBox resolves them against
its own box), heights and text are pixels: a bar fits a phone and a laptop alike, and its text keeps
a readable size instead of shrinking with the drawing. Words stay in the templates, so the same
geometry serves both languages.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel

from recruitment.schemas.reports import SHARES, ReportFigures
from recruitment.services.reports import WeeklyFlags

# A bar's row: its label on the first line, the bar, then its figures under it. Each on a line
# of its own: side by side, a long label would run into the figures on a phone.
BAR_ROW = 64
# A code's row in the weekly chart: its label, then its columns.
STRIP_ROW = 72
STRIP_HEIGHT = 40
# The share of a week's slot a column fills; the rest keeps neighbouring weeks apart.
COLUMN_FILL = 0.7
# The weeks the time axis shows at least (a quarter), ending with the last week of a flag: the
# first weeks of a season would otherwise draw a column or two as wide as the chart.
MIN_WEEKS = 13


@dataclass(frozen=True)
class Bar:
    key: str  # a share's name, or a flag code
    count: int
    of: int | None  # a share's denominator; None for a plain count
    percent: float  # the bar's length, in % of the chart's width
    y: int  # the top of its row, in px


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]

    @property
    def height(self) -> int:
        return BAR_ROW * len(self.bars)


def share_chart(figures: ReportFigures) -> BarChart:
    """The recruitment shares as bars on a scale of 0 to 100 %."""
    return shares_chart(figures, SHARES)


def shares_chart(figures: BaseModel, names: Sequence[str]) -> BarChart:
    """Each named share as a bar on a scale of 0 to 100 %: an empty share (no denominator) draws
    none."""
    bars = []
    for row, name in enumerate(names):
        share = getattr(figures, name)
        percent = 100 * share.numerator / share.denominator if share.denominator else 0.0
        bars.append(Bar(name, share.numerator, share.denominator, percent, row * BAR_ROW))
    return BarChart(bars)


def open_flags_chart(figures: ReportFigures) -> BarChart:
    """Open flags by code, the most frequent first, each bar against the longest."""
    by_code: Counter[str] = Counter()
    for flag in figures.open_flags:
        by_code[flag.code] += flag.count
    return counts_chart(by_code)


def counts_chart(counts: Mapping[Any, int]) -> BarChart:
    """Counts by key, the most frequent first, each bar against the longest; zeros left out."""
    longest = max(counts.values(), default=0)
    ranked = sorted(
        ((key, count) for key, count in counts.items() if count), key=lambda i: (-i[1], i[0])
    )
    return BarChart(
        [
            Bar(key, count, None, 100 * count / longest, row * BAR_ROW)
            for row, (key, count) in enumerate(ranked)
        ]
    )


@dataclass(frozen=True)
class Column:
    week: date
    raised: int
    x: float  # % of the chart's width
    height: float  # px


@dataclass(frozen=True)
class Strip:
    code: str
    y: int
    total: int
    columns: list[Column]


@dataclass(frozen=True)
class WeeklyChart:
    first_week: date
    last_week: date
    column_width: float  # % of the chart's width
    strips: list[Strip]

    @property
    def height(self) -> int:
        return STRIP_ROW * len(self.strips)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_chart(
    weeks: list[WeeklyFlags], season: tuple[date, date] | None = None
) -> WeeklyChart | None:
    """A strip of weekly columns per code, on one time axis and one height scale, so that the
    strips compare; weeks without a flag keep their place. The axis spans the season's weeks
    (first to last day of work) and any week a flag was raised outside them. None when no flag
    was raised."""
    if not weeks:
        return None
    last = max(w.week for w in weeks)
    first = min(min(w.week for w in weeks), last - timedelta(weeks=MIN_WEEKS - 1))
    if season is not None:
        first = min(min(w.week for w in weeks), _monday(season[0]))
        last = max(last, _monday(season[1]))
    slots = (last - first) // timedelta(weeks=1) + 1
    tallest = max(w.raised for w in weeks)
    by_code: dict[str, list[WeeklyFlags]] = {}
    for week in weeks:
        by_code.setdefault(week.code, []).append(week)
    slot = 100 / slots
    strips = [
        Strip(
            code,
            row * STRIP_ROW,
            sum(w.raised for w in raised),
            [
                Column(
                    w.week,
                    w.raised,
                    (w.week - first) // timedelta(weeks=1) * slot + slot * (1 - COLUMN_FILL) / 2,
                    STRIP_HEIGHT * w.raised / tallest,
                )
                for w in raised
            ],
        )
        for row, (code, raised) in enumerate(sorted(by_code.items()))
    ]
    return WeeklyChart(first, last, slot * COLUMN_FILL, strips)
