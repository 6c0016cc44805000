"""Small inline SVG charts for the caseload, drawn on the server: one line per patient, with
the numbers in words for anyone who cannot see it (role="img" and an aria-label)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from stenosis_coach.outcomes.charts import number

WIDTH, HEIGHT, PAD = 96, 24, 2.5


def sparkline(
    points: Sequence[tuple[dt.date, float]],
    *,
    first: dt.date,
    last: dt.date,
    y_max: float = 10,
    label: str,
) -> SafeString:
    """A line of `points` from day `first` to `last` (a gap where no value was noted), on
    a scale from 0 to `y_max`. `label` is the chart in words. Empty with no points."""
    if not points:
        return SafeString("")
    span = max(1, (last - first).days)

    def x(day: dt.date) -> float:
        return PAD + (WIDTH - 2 * PAD) * (day - first).days / span

    def y(value: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * min(value, y_max) / y_max

    coordinates = " ".join(f"{x(day):.1f},{y(value):.1f}" for day, value in points)
    end_day, end_value = points[-1]
    return format_html(
        '<svg class="sparkline" role="img" aria-label="{label}" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}" focusable="false">'
        "<title>{label}</title>"
        '<line x1="0" y1="{base}" x2="{w}" y2="{base}" stroke="currentColor" '
        'stroke-opacity="0.25" stroke-width="1"/>'
        '<polyline points="{points}" fill="none" stroke="currentColor" stroke-width="1.5" '
        'stroke-linejoin="round" stroke-linecap="round"/>'
        '<circle cx="{cx}" cy="{cy}" r="2" fill="currentColor"/>'
        "</svg>",
        label=label,
        w=WIDTH,
        h=HEIGHT,
        base=f"{HEIGHT - PAD:.1f}",
        points=coordinates,
        cx=f"{x(end_day):.1f}",
        cy=f"{y(end_value):.1f}",
    )


def leg_pain_label(points: Sequence[tuple[dt.date, float]], days: int) -> str:
    """The sparkline in words: "Leg pain over 30 days: from 6 to 4"."""
    if len(points) == 1:
        return _("Leg pain over %(days)s days: %(value)s, on one day") % {
            "days": days,
            "value": number(points[0][1]),
        }
    return _("Leg pain over %(days)s days: from %(first)s to %(last)s") % {
        "days": days,
        "first": number(points[0][1]),
        "last": number(points[-1][1]),
    }


def leg_pain_sparkline(
    points: Sequence[tuple[dt.date, float]], today: dt.date, days: int = 30
) -> SafeString:
    """Leg pain per day over the last `days` days, on the 0 to 10 scale."""
    return sparkline(
        points,
        first=today - dt.timedelta(days=days - 1),
        last=today,
        label=leg_pain_label(points, days) if points else "",
    )
