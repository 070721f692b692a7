from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets import selectors, services
from budgets.filters import PlanFilter
from budgets.forms import NewPlanForm, PlanEditor, ReturnForm, SubmitForm
from budgets.models import PlanStatus
from units import access
from units.models import LAO
from units.tables import Column, demo_mark, table_response
from units.views.workflow import Confirmation, posted_version, workflow_step

PAGE_SIZE = 50


def index(request):
    """The budgets area: what it offers, with links only to the pages the visitor may open
    (units.access; no query for anonymous visitors)."""
    user = request.user
    context = {
        "back_office": access.can_view_back_office(user),
        "reviews": access.reviews_any_province(user),
        "uploads": access.can_upload(user),
    }
    return render(request, "budgets/index.html", context)


def classification(request):
    """The budget classification with the codes spreadsheets use (public)."""
    return render(request, "budgets/classification.html", selectors.classification_tree())


@access.back_office_required
def plan_list(request):
    """The plans of the LAOs the user manages (all, read-only, for executives)."""
    plans = selectors.plans_visible_to(user=request.user).order_by("-fiscal_year", "lao__dla_code")
    filterset = PlanFilter(request.GET, queryset=plans)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = access.laos_managed_by(request.user).exists()
    return render(
        request,
        "budgets/plan_list.html",
        {"filter": filterset, "page_obj": page, "can_create": can_create},
    )


@login_required
def plan_create(request):
    """A new plan of the officer's LAO, or (`?lao=<code>`) of an LAO in the user's scope."""
    lao = access.lao_for_writer(request.user, request.GET.get("lao") or request.POST.get("lao"))
    form = NewPlanForm(
        request.POST or None,
        today=timezone.localdate(),
        taken_years=selectors.plan_years(lao=lao),
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.budget_plan_create(
                lao=lao,
                fiscal_year=form.cleaned_data["fiscal_year"],
                user=request.user,
                copy_previous=form.cleaned_data["copy_previous"],
            )
        except ValidationError as error:
            form.add_error("fiscal_year", error)
        else:
            return redirect("budgets:plan-edit", pk=plan.pk)
    return render(request, "budgets/plan_new.html", {"form": form, "lao": lao})


def _plan_steps(user, plan) -> dict:
    """Which steps of the plan's page the user is offered (the services decide again)."""
    submitted = plan.status == PlanStatus.SUBMITTED
    writer = access.can_edit_lao(user, plan.lao)
    reviewer = submitted and access.can_review(user, plan.lao)
    submitter = submitted and access.is_submitter(user, plan)
    return {
        "can_edit": plan.status in services.EDITABLE and writer,
        "can_review": reviewer and not submitter,
        "reviewer_submitted": reviewer and submitter,
        # Reviewers return a plan rather than withdraw it, unless they submitted it.
        "can_withdraw": submitted and writer and (submitter or not reviewer),
    }


@login_required
def plan_detail(request, pk):
    plan = selectors.plan_for_user(user=request.user, pk=pk)
    return render(
        request,
        "budgets/plan_detail.html",
        {
            "plan": plan,
            "lines": plan.lines.select_related("programme", "work", "expense_type"),
            "revenues": plan.revenues.select_related("source"),
            "events": plan.events.select_related("user")[:50],
            "breakdown": selectors.plan_breakdown(plan=plan),
            "revenue_flag": selectors.revenue_flag(plan=plan),
            "return_form": ReturnForm(),
            **_plan_steps(request.user, plan),
        },
    )


@login_required
def plan_edit(request, pk):
    plan = selectors.plan_for_user(user=request.user, pk=pk)
    if not access.can_edit_lao(request.user, plan.lao):
        raise Http404
    if plan.status not in services.EDITABLE:
        messages.error(request, _("Only a draft or returned plan can be changed."))
        return redirect("budgets:plan", pk=plan.pk)
    posted = request.method == "POST"
    editor = PlanEditor(
        plan=plan,
        version=posted_version(request) if posted else plan.version,
        data=request.POST if posted else None,
    )
    status = 400 if posted else 200
    if editor.is_valid():
        try:
            plan = services.budget_plan_save(plan=plan, user=request.user, **editor.changes())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 409
        else:
            _saved(request, plan)
            return redirect("budgets:plan", pk=plan.pk)
    context = {"plan": plan, "revenue_flag": selectors.revenue_flag(plan=plan), **editor.context()}
    return render(request, "budgets/plan_edit.html", context, status=status)


def _saved(request, plan) -> None:
    messages.success(request, _("The plan is saved."))
    if plan.balance:
        messages.warning(
            request,
            _("Expenditure and estimated revenue differ: check both before you submit."),
        )


def _plan_subject(plan) -> str:
    return _("%(lao)s · budget plan for fiscal year %(year)s") % {
        "lao": plan.lao.full_name_th,
        "year": plan.fiscal_year,
    }


def _submit_warnings(plan) -> list[str]:
    flag = selectors.revenue_flag(plan=plan)
    return [flag.message] if flag else []


def _enact_warnings(plan) -> list[str]:
    flag = selectors.revenue_flag(plan=plan)
    if not flag:
        return []
    reason = _("The LAO's reason: %(reason)s") % {"reason": plan.imbalance_reason or "—"}
    return [flag.message, reason]


# Every step of a plan loads it the same way and comes back to its page.
_plan_step = partial(
    workflow_step, load=selectors.plan_for_user, argument="plan", page="budgets:plan"
)
_ask = partial(Confirmation, subject=_plan_subject)

plan_submit = _plan_step(
    service=services.budget_plan_submit,
    done=gettext_lazy("The plan is sent to the provincial office for review."),
    allowed=access.can_edit_lao,
    form=SubmitForm,
    confirm=_ask(
        question=gettext_lazy("Submit the budget plan for review?"),
        consequence=gettext_lazy(
            "The plan goes to the provincial office. You cannot change it while it waits; you "
            "can withdraw it until it is reviewed."
        ),
        button=gettext_lazy("Submit for review"),
        warnings=_submit_warnings,
    ),
)
plan_withdraw = _plan_step(
    service=services.budget_plan_withdraw,
    done=gettext_lazy("The plan is withdrawn: it is a draft again."),
    allowed=access.can_edit_lao,
)
plan_enact = _plan_step(
    service=services.budget_plan_enact,
    done=gettext_lazy("The plan is enacted and now public."),
    allowed=access.can_review,
    confirm=_ask(
        question=gettext_lazy("Enact the budget plan?"),
        consequence=gettext_lazy(
            "Enacting makes the plan public and adds it to the national totals; it cannot be "
            "undone."
        ),
        button=gettext_lazy("Enact the plan"),
        warnings=_enact_warnings,
    ),
)
plan_return = _plan_step(
    service=services.budget_plan_return,
    done=gettext_lazy("The plan is returned to the LAO with your comment."),
    allowed=access.can_review,
    form=ReturnForm,
    confirm=_ask(
        question=gettext_lazy("Return the plan to the LAO?"),
        consequence=gettext_lazy(
            "The LAO reads your comment, changes the plan and submits it again; until then it "
            "is not enacted."
        ),
        button=gettext_lazy("Return to the LAO"),
    ),
)


@access.reviewer_required
def review(request):
    """Submitted plans waiting for the provincial office."""
    page = Paginator(selectors.review_queue(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    selectors.mark_revenue_flags(page)
    return render(request, "budgets/review.html", {"page_obj": page})


LINE_COLUMNS = (
    Column(gettext_lazy("Fiscal year"), "plan.fiscal_year"),
    Column(gettext_lazy("Sector"), "programme.sector.name_th"),
    Column(gettext_lazy("Programme code"), "programme.key"),
    Column(gettext_lazy("Programme"), "programme.name_th"),
    Column(gettext_lazy("Work"), "work.name_th", empty=""),
    Column(gettext_lazy("Expense category"), "expense_type.category.name_th"),
    Column(gettext_lazy("Expense type code"), "expense_type.key"),
    Column(gettext_lazy("Expense type"), "expense_type.name_th"),
    Column(gettext_lazy("Item"), "item"),
    Column(gettext_lazy("Amount (baht)"), "amount"),
    Column(gettext_lazy("Demo data"), "plan.is_demo", format=demo_mark),
)


def lao_lines_download(request, code, file_format):
    """Every line of an LAO's enacted plans as CSV or XLSX (public); any other suffix is 404
    (it would otherwise end up in the download's file name)."""
    lao = get_object_or_404(LAO.objects.by_url_code(code))
    return table_response(
        LINE_COLUMNS,
        selectors.lao_enacted_lines(lao=lao),
        filename=f"budget-{lao.url_code}.{file_format}",
        format=file_format,
        sheet_title=lao.name_th,
    )
