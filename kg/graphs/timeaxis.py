"""The time axis of the lane views: a date → x mapping and the year labels above it.

x grows with the date, but not in proportion everywhere: a gap between two dates is at least
wide enough for the labels of both columns (so nodes of neighbouring sessions never overlap)
and at most `max_gap` (so ten quiet years of the register do not push the present off
screen). Each year that has resolutions gets one label over the middle of its columns; the
years are pushed apart until neighbouring labels are at least their own widths plus a margin
apart, so year labels never overlap whatever the dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

# A conservative estimate of a label's width in canvas pixels, per character and font pixel:
# digits of the sans fonts Chromium picks for system-ui measure 0.55–0.64 em (DejaVu Sans:
# 0.636), so 0.7 over-estimates and the spacing computed from it holds in the browser
# (tests/graphs/test_layout_browser.py measures the drawn labels).
CHAR_EM = 0.7


def text_width(text: str, font_px: float) -> float:
    return len(text) * CHAR_EM * font_px


@dataclass(frozen=True)
class YearLabel:
    year: int
    x: float  # centre
    width: float  # estimated, at `font_px`
    font_px: float


@dataclass
class TimeAxis:
    x_of: dict[dt.date, float]
    years: list[YearLabel]

    def x(self, date: dt.date) -> float:
        return self.x_of[date]

    @property
    def width(self) -> float:
        return max(self.x_of.values(), default=0.0) - min(self.x_of.values(), default=0.0)


def build_axis(half_widths: Mapping[dt.date, float], *, px_per_day: float = 1.0,
               max_gap: float = 300.0, year_gap: float = 40.0, margin: float = 14.0,
               year_margin: float = 40.0) -> TimeAxis:
    """`half_widths`: for each date, half the widest label drawn in its column."""
    dates = sorted(half_widths)
    x_of: dict[dt.date, float] = {}
    x = 0.0
    for prev, date in zip([None, *dates], dates, strict=False):
        if prev is not None:
            need = half_widths[prev] + half_widths[date] + margin
            gap = min(max((date - prev).days * px_per_day, need), max(max_gap, need))
            if date.year != prev.year:
                gap += year_gap  # a visible step between years, room for the separator
            x += gap
        x_of[date] = x
    width = max(x_of.values(), default=0.0)
    # big graphs are first seen whole, at a small scale: the year labels grow with the axis
    font_px = min(max(width / 150.0, 36.0), 96.0)
    _spread_years(dates, x_of, font_px, year_margin)
    years = []
    for year in sorted({d.year for d in dates}):
        xs = [x_of[d] for d in dates if d.year == year]
        years.append(YearLabel(year, (min(xs) + max(xs)) / 2, text_width(str(year), font_px),
                               font_px))
    return TimeAxis(x_of, years)


def _spread_years(dates: list[dt.date], x_of: dict[dt.date, float], font_px: float,
                  year_margin: float) -> None:
    """Shift every later date right until each year's label centre is far enough from the
    previous one's. Shifting a whole year moves its centre by the same amount, so one pass
    in date order settles every pair."""
    years = sorted({d.year for d in dates})
    previous: float | None = None
    for k, year in enumerate(years):
        xs = [x_of[d] for d in dates if d.year == year]
        centre = (min(xs) + max(xs)) / 2
        if previous is not None:
            need = (text_width(str(years[k - 1]), font_px) + text_width(str(year), font_px)) / 2
            shortfall = previous + need + year_margin - centre
            if shortfall > 0:
                for d in dates:
                    if d.year >= year:
                        x_of[d] += shortfall
                centre += shortfall
        previous = centre
