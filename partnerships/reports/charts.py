"""Bar charts drawn on the server as inline SVG: no JavaScript, nothing to fetch.

A chart is for people who would rather look than read; the report always prints
the same figures in a table beside it. The SVG is one image to assistive
technology (``role="img"``, named by its ``<title>`` and ``<desc>``), so nobody
has to step through bars. Colours come from the GOV.UK palette, each at least
3:1 against the white ground (WCAG 1.4.11), and stacked segments are separated
by a white rule so that neighbours of similar tone stay apart. Presentation
attributes rather than ``style`` keep it clear of a strict content security policy.

This module does the geometry; ``partnerships/reports/_bar_chart.html`` writes
the markup (and escapes every text).
"""

import math
from dataclasses import dataclass

from django.template.loader import render_to_string

PALETTE = ("#1d70b8", "#00703c", "#d4351c", "#4c2c92", "#912b88", "#505a5f")

WIDTH = 760
PLOT_HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 80, 16, 16, 36
LEGEND_ROW = 22
LEGEND_CHAR = 7  # rough width of one legend character at 13px
MIN_LABEL_SPACE = 40  # room one category label needs on the x axis


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple
    colour: str = ""  # from PALETTE; by position when not given


def nice_ceiling(value):
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above ``value`` (1 for nothing)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _n(number):
    """A coordinate, short: 12.0 → "12", 12.345 → "12.3"."""
    return f"{number:.1f}".removesuffix(".0")


def _legend(series):
    items, x, row = [], LEFT, 0
    for index, item in enumerate(series):
        width = 28 + LEGEND_CHAR * len(item.name)
        if x + width > WIDTH - RIGHT and x > LEFT:
            x, row = LEFT, row + 1
        y = TOP + row * LEGEND_ROW
        colour = item.colour or _colour(index)
        items.append({"x": x, "y": y, "text_x": x + 20, "text_y": y + 12, "colour": colour, "name": item.name})
        x += width
    return items, (row + 1) * LEGEND_ROW


def _colour(index):
    return PALETTE[index % len(PALETTE)]


@dataclass(frozen=True)
class _Plot:
    """Where values land: the scale's top value and the plot's bottom edge, in pixels."""

    top: float
    bottom: float

    def y_of(self, value):
        return self.bottom - float(value) / float(self.top) * PLOT_HEIGHT


def _ticks(plot, format_value):
    ticks = []
    for step in range(6):
        value = plot.top * step / 5
        value = int(value) if float(value).is_integer() else value
        ticks.append({"y": _n(plot.y_of(value)), "text_y": _n(plot.y_of(value) + 4), "label": format_value(value)})
    return ticks


def _bars(plot, categories, series, format_value):
    """Each bar's rectangle (one per non-zero segment) and the category labels that fit."""
    stacked = len(series) > 1
    plot_width = WIDTH - LEFT - RIGHT
    band = plot_width / max(len(categories), 1)
    bar_width = band * 0.7
    every = max(1, math.ceil(len(categories) / max(1, plot_width // MIN_LABEL_SPACE)))
    bars, labels = [], []
    for index, category in enumerate(categories):
        x = LEFT + index * band + (band - bar_width) / 2
        base = 0
        for number, item in enumerate(series):
            value = item.values[index]
            if value:
                y_top, y_bottom = plot.y_of(base + value), plot.y_of(base)
                name = f"{item.name}, {category}" if stacked else category
                bars.append(
                    {
                        "x": _n(x),
                        "y": _n(y_top),
                        "width": _n(bar_width),
                        "height": _n(y_bottom - y_top),
                        "colour": item.colour or _colour(number),
                        "tooltip": f"{name}: {format_value(value)}",
                    }
                )
            base += value
        if index % every == 0:
            labels.append({"x": _n(x + bar_width / 2), "text": category})
    return bars, labels


def bar_chart(*, chart_id, title, description, categories, series, format_value=str):
    """A vertical bar chart as safe SVG markup, stacked when there is more than one series.

    ``categories`` label the bars (years); each ``Series`` gives one value per
    category. ``format_value`` writes the axis labels and each bar's tooltip.
    """
    categories = [str(c) for c in categories]
    series = [s if isinstance(s, Series) else Series(*s) for s in series]
    legend, legend_height = _legend(series) if len(series) > 1 else ([], 0)
    plot_bottom = TOP + legend_height + PLOT_HEIGHT
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    # At least 5, so five gridlines on a small count fall on whole numbers.
    plot = _Plot(top=max(nice_ceiling(max(totals, default=0)), 5), bottom=plot_bottom)
    bars, labels = _bars(plot, categories, series, format_value)
    return render_to_string(
        "partnerships/reports/_bar_chart.html",
        {
            "id": chart_id,
            "title": title,
            "description": description,
            "width": WIDTH,
            "height": plot_bottom + BOTTOM,
            "left": LEFT,
            "right": WIDTH - RIGHT,
            "tick_label_x": LEFT - 8,
            "plot_bottom": plot_bottom,
            "label_y": plot_bottom + 18,
            "legend": legend,
            "ticks": _ticks(plot, format_value),
            "bars": bars,
            "labels": labels,
        },
    )
