"""Page-level reads of the units app: keyword-only functions returning shaped data."""

from django.db.models import Count

from units.models import LAO, LAOKind


def lao_counts_by_kind() -> list[dict]:
    """Active LAOs counted by kind, in the order of `LAOKind`: one aggregate query."""
    counts = dict(
        LAO.objects.filter(is_active=True)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return [
        {"kind": kind, "label": kind.label, "count": counts.get(kind.value, 0)} for kind in LAOKind
    ]
