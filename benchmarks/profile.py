"""What benchmarks adds to the LAO profile (registered with units.profile in BenchmarksConfig):
the data-completeness section (and the ranking section)."""

from django.utils import timezone

from benchmarks.completeness import Freshness, freshness_of, item_statuses, lao_completeness


def completeness_section_context(lao, request) -> dict:
    """The LAO's completeness of this fiscal year (else its newest earlier one): score,
    freshness by its as-of date, each item present, missing or not yet due. One query."""
    row = lao_completeness(lao=lao)
    if row is None:
        return {"row": None}
    freshness = freshness_of(row.as_of, today=timezone.localdate())
    statuses = item_statuses(row)
    return {
        "row": row,
        "freshness": freshness,
        "freshness_label": Freshness.LABELS[freshness],
        "missing": [status for status in statuses if status.is_missing],
        "present": [status for status in statuses if status.present],
        "not_due": [status for status in statuses if not status.due and not status.present],
    }
