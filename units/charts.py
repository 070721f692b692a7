"""Chart data that stays readable: 77 province bars on a phone say nothing.

A dashboard chart by province (the budget explorer, the project dashboard) shows the rows sorted
by their value, and past `2 × CHART_EDGE` rows only the highest and the lowest `CHART_EDGE`,
with a gap between them; the table beside the chart keeps every row.
"""

from collections.abc import Callable, Sequence
from typing import Any

CHART_EDGE = 10
GAP_LABEL = "…"


def ranked_chart(
    rows: Sequence[Any],
    *,
    value: Callable[[Any], float],
    label: Callable[[Any], str],
    edge: int = CHART_EDGE,
) -> dict:
    """{"labels", "data", "trimmed", "count"} of `rows` sorted by `value`, highest first. With
    more than 2 × `edge` rows: the first and last `edge` only, a gap bar ("…", no value) between
    them, and `trimmed` true. Ties keep the rows' order (stable sort)."""
    ranked = sorted(rows, key=value, reverse=True)
    trimmed = len(ranked) > 2 * edge
    shown: list[Any] = [*ranked[:edge], None, *ranked[-edge:]] if trimmed else ranked
    return {
        "labels": [GAP_LABEL if row is None else label(row) for row in shown],
        "data": [None if row is None else value(row) for row in shown],
        "trimmed": trimmed,
        "count": len(ranked),
        "edge": edge,
    }
