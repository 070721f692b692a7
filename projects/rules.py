"""The rules of a project's stage and money, once, as plain functions over values.

No database access here: the callers read what a rule needs (under row locks when they write)
and hand plain values in. Every check returns None when the rule holds, or a `Violation`: a code,
the translated message the user reads and the field it is about. Each caller turns a violation
into its own error form, and never writes the rule again:

- projects.services raises ValidationError (`Violation.as_validation_error`);
- the progress upload (projects.uploads) reports a RowError on the row's cell.

The database keeps the money rules too (the check constraints of projects.models.Project):
`disbursement_limit` is its `Coalesce(contract_amount, budget_amount)`, exactly.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from projects.models import ALLOWED_TRANSITIONS, DISBURSING_STAGES, Stage
from units.rules import Violation

# The usual way forward, for `stage_already_passed`.
FORWARD: list[str] = [
    Stage.PLANNED,
    Stage.FUNDED,
    Stage.PROCUREMENT,
    Stage.CONTRACTED,
    Stage.IN_PROGRESS,
    Stage.COMPLETED,
]
COMPLETE = 100


def stage_label(stage: str) -> str:
    """A stage's label in the active language (an unknown value as it is)."""
    return str(Stage(stage).label) if stage in Stage.values else stage


# --- stages -------------------------------------------------------------------------------------


def allowed_next_stages(stage: str) -> list[str]:
    """The stages a project in `stage` may move to, in the order of the workflow."""
    allowed = ALLOWED_TRANSITIONS.get(stage, set())
    return [value for value in Stage.values if value in allowed]


def transition_violation(from_stage: str, to_stage: str) -> Violation | None:
    """Only the moves of ALLOWED_TRANSITIONS; the last three stages are final."""
    if to_stage in ALLOWED_TRANSITIONS.get(from_stage, set()):
        return None
    return Violation(
        "transition",
        _("A project cannot move from “%(from)s” to “%(to)s”.")
        % {"from": stage_label(from_stage), "to": stage_label(to_stage)},
    )


def is_final(stage: str) -> bool:
    """A stage no move leads out of (completed, cancelled, carried over): moving there cannot
    be undone, so the pages ask first."""
    return not ALLOWED_TRANSITIONS.get(stage)


def completion_warning(
    *,
    to_stage: str,
    disbursed_total: Decimal,
    contract_amount: Decimal | None,
    budget_amount: Decimal,
) -> Violation | None:
    """Completing a project that has paid out less than `disbursement_limit` is allowed, but
    deserves a second look (an unrecorded payment, or money left over): the share disbursed,
    e.g. "68 % disbursed"."""
    if to_stage != Stage.COMPLETED:
        return None
    limit = disbursement_limit(contract_amount=contract_amount, budget_amount=budget_amount)
    if limit <= 0 or disbursed_total >= limit:
        return None
    share = int(disbursed_total * 100 / limit)  # rounded down: 99.6 % is not "100 %"
    return Violation(
        "under_disbursed",
        _(
            "Only %(share)s %% of the %(what)s is disbursed (%(disbursed)s of %(limit)s baht). "
            "Check that every payment is recorded before you complete the project."
        )
        % {
            "share": share,
            "what": _("contract amount") if contract_amount is not None else _("budget"),
            "disbursed": f"{disbursed_total:,.2f}",
            "limit": f"{limit:,.2f}",
        },
    )


def stage_already_passed(current: str, named: str) -> bool:
    """Has a project in `current` already passed `named` on the usual way forward?

    For uploads only, where it makes a workbook idempotent: a row naming a stage the project has
    passed is a row uploaded before (the same workbook twice), not a move back, and moves
    nothing. A person on the project's page asking for such a move is refused by
    `transition_violation` as before.
    """
    return current in FORWARD and named in FORWARD and FORWARD.index(named) < FORWARD.index(current)


def progress_after(stage: str, progress: int) -> int:
    """Completed means 100 %: the progress a project in `stage` has when `progress` is asked."""
    return COMPLETE if stage == Stage.COMPLETED else progress


def progress_violation(stage: str, progress: int) -> Violation | None:
    """Progress is 0–100 %, and a completed project stays at 100 %: a person asking a completed
    project for less is told so (an upload, which may repeat old rows, keeps 100 % silently
    through `progress_after`)."""
    if not 0 <= progress <= 100:
        return Violation("progress", _("Progress is between 0 and 100 %."), "progress_percent")
    if stage == Stage.COMPLETED and progress != COMPLETE:
        return Violation(
            "progress",
            _("A completed project is at 100 %; move it back to ongoing to record less."),
            "progress_percent",
        )
    return None


# --- contract -----------------------------------------------------------------------------------


def contract_recorded_violation(to_stage: str, contract_amount: Decimal | None) -> Violation | None:
    """A move to contracted that does not set the contract (an upload) needs it recorded."""
    if to_stage != Stage.CONTRACTED or contract_amount is not None:
        return None
    return Violation(
        "contract",
        _(
            "The contract of this project is not recorded: the upload cannot set contracts. "
            "Record the contract amount, contractor and date on the project's page."
        ),
        "contract_amount",
    )


def contract_violations(
    *,
    contract_amount: Decimal | None,
    contractor: str,
    contract_date,
    budget_amount: Decimal,
    disbursed_total: Decimal,
) -> list[Violation]:
    """The contract a move to contracted sets: an amount within the budget and not below what
    is already disbursed, a contractor and a date."""
    violations = []
    if contract_amount is None or contract_amount <= 0:
        violations.append(Violation("required", _("Enter the contract amount."), "contract_amount"))
    elif contract_amount > budget_amount:
        violations.append(
            Violation(
                "over_budget", _("The contract amount cannot exceed the budget."), "contract_amount"
            )
        )
    elif contract_amount < disbursed_total:
        violations.append(
            Violation(
                "below_disbursed",
                _("The contract amount cannot be less than what is already disbursed."),
                "contract_amount",
            )
        )
    if not contractor.strip():
        violations.append(Violation("required", _("Enter the contractor."), "contractor"))
    if contract_date is None:
        violations.append(Violation("required", _("Enter the contract date."), "contract_date"))
    return violations


def budget_violation(
    *, budget_amount: Decimal, contract_amount: Decimal | None, disbursed_total: Decimal
) -> Violation | None:
    """The budget never falls below the contract amount or what is already disbursed."""
    if contract_amount is not None and budget_amount < contract_amount:
        return Violation(
            "below_contract",
            _("The budget cannot be less than the contract amount."),
            "budget_amount",
        )
    if budget_amount < disbursed_total:
        return Violation(
            "below_disbursed",
            _("The budget cannot be less than the amount already disbursed."),
            "budget_amount",
        )
    return None


# --- disbursements ------------------------------------------------------------------------------


def disbursement_limit(*, contract_amount: Decimal | None, budget_amount: Decimal) -> Decimal:
    """The most a project may pay out: its contract amount, or its budget without a contract
    (SQL's Coalesce, as the constraint "project_disbursed_within_amount": a contract of 0 baht
    is a contract, and allows nothing)."""
    return contract_amount if contract_amount is not None else budget_amount


def disbursing_stage_violation(stage: str) -> Violation | None:
    """Money is paid out only in DISBURSING_STAGES."""
    if stage in DISBURSING_STAGES:
        return None
    return Violation(
        "stage",
        _(
            "Money can be disbursed only for a contracted, ongoing or completed project; this "
            "one is “%(stage)s”."
        )
        % {"stage": stage_label(stage)},
    )


def amount_violation(amount: Decimal | None) -> Violation | None:
    """A disbursement is more than zero baht."""
    if amount is not None and amount > 0:
        return None
    return Violation("amount", _("A disbursement must be more than zero baht."), "amount")


def limit_violation(
    *,
    amount: Decimal,
    disbursed_total: Decimal,
    contract_amount: Decimal | None,
    budget_amount: Decimal,
) -> Violation | None:
    """Never more paid out than `disbursement_limit` (`disbursed_total` so far, `amount` more)."""
    limit = disbursement_limit(contract_amount=contract_amount, budget_amount=budget_amount)
    if disbursed_total + amount <= limit:
        return None
    return Violation(
        "limit",
        _("This would disburse more than the %(what)s: at most %(left)s baht is left.")
        % {
            "what": _("contract amount") if contract_amount is not None else _("budget"),
            "left": f"{limit - disbursed_total:,.2f}",
        },
        "amount",
    )


def disbursement_violation(
    *,
    stage: str,
    amount: Decimal | None,
    disbursed_total: Decimal,
    contract_amount: Decimal | None,
    budget_amount: Decimal,
) -> Violation | None:
    """The rules of one more disbursement, in the order a person meets them: the stage, the
    amount, the limit."""
    return (
        disbursing_stage_violation(stage)
        or amount_violation(amount)
        or limit_violation(
            amount=amount,
            disbursed_total=disbursed_total,
            contract_amount=contract_amount,
            budget_amount=budget_amount,
        )
    )


def shown_fiscal_year(years: list[int], current: int) -> int | None:
    """The fiscal year an LAO's project pages show first (its profile card and its project
    list alike): the current fiscal year, or when the LAO has no project in it, the latest
    year with projects before it; an LAO with projects only in years to come shows the
    nearest of them. None without projects. `years` in any order."""
    past = [year for year in years if year <= current]
    if past:
        return max(past)
    return min(years) if years else None
