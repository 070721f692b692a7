"""The rules of a budget plan, once, as plain functions over values (no database access; see
units.rules and docs/architecture.md, "Rules")."""

from decimal import Decimal

from django.utils.translation import gettext as _

from units.rules import Violation


def revenue_flag(
    *, total_expenditure: Decimal, total_revenue: Decimal, has_lines: bool
) -> Violation | None:
    """A plan that spends more than it expects to receive, or has lines but no revenue at all,
    is flagged: it may still be submitted, with a stated reason (e.g. reserves that cover the
    gap), which the reviewer reads. None for a plan without lines (nothing to judge yet)."""
    if not has_lines:
        return None
    if total_revenue <= 0:
        return Violation(
            "no_revenue",
            _("The plan has expenditure lines but no estimated revenue."),
            "imbalance_reason",
        )
    if total_expenditure > total_revenue:
        return Violation(
            "deficit",
            _("Expenditure exceeds the estimated revenue by %(gap)s baht.")
            % {"gap": f"{total_expenditure - total_revenue:,.2f}"},
            "imbalance_reason",
        )
    return None


def plan_revenue_flag(plan, *, has_lines: bool = True) -> Violation | None:
    """`revenue_flag` of a plan's stored totals (`has_lines`: a submitted plan always has)."""
    return revenue_flag(
        total_expenditure=plan.total_expenditure,
        total_revenue=plan.total_revenue,
        has_lines=has_lines,
    )
