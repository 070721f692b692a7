from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from budgets import selectors, services
from budgets.filters import PlanFilter
from budgets.forms import (
    LineFormSet,
    NewPlanForm,
    ReturnForm,
    RevenueForm,
    classification_choices,
)
from budgets.models import PlanStatus
from budgets.services import LineData
from units import access
from units.exports import csv_response, xlsx_response
from units.models import LAO

PAGE_SIZE = 50


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise Http404("A plan form without its version.") from None


def classification(request):
    """The budget classification with the codes spreadsheets use (public)."""
    return render(request, "budgets/classification.html", selectors.classification_tree())


@login_required
def plan_list(request):
    """The plans of the LAOs the user manages (all, read-only, for executives)."""
    if not access.can_view_back_office(request.user):
        raise Http404
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
    managed = access.laos_managed_by(request.user)
    if request.user.lao_id:
        lao = managed.filter(pk=request.user.lao_id).first()
    else:
        lao = managed.filter(dla_code=request.GET.get("lao") or request.POST.get("lao")).first()
    if lao is None:
        raise Http404("Choose an LAO you manage.")
    form = NewPlanForm(request.POST or None, today=timezone.localdate())
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
            "can_edit": plan.status in services.EDITABLE
            and access.can_edit_lao(request.user, plan.lao),
            "can_review": plan.status == PlanStatus.SUBMITTED
            and services.can_review(request.user, plan),
            "return_form": ReturnForm(),
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
    choices = classification_choices()
    revenues = plan.revenues.select_related("source")
    status = 200
    if request.method == "POST":
        formset = LineFormSet(request.POST, form_kwargs={"choices": choices}, prefix="line")
        revenue_form = RevenueForm(request.POST, prefix="rev")
        version = _version(request)
        if formset.is_valid() and revenue_form.is_valid():
            lines = [
                LineData(
                    programme_id=f.cleaned_data["programme"],
                    work_id=f.cleaned_data["work"],
                    expense_type_id=f.cleaned_data["expense_type"],
                    item=f.cleaned_data["item"],
                    amount=f.cleaned_data["amount"],
                )
                for f in formset.forms
                if f.has_changed() and not formset._should_delete_form(f)
            ]
            try:
                plan = services.budget_plan_save(
                    plan=plan,
                    user=request.user,
                    version=version,
                    lines=lines,
                    revenues=revenue_form.amounts(),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                status = 409
            else:
                messages.success(request, _("The plan is saved."))
                if plan.balance:
                    messages.warning(
                        request,
                        _("Expenditure and estimated revenue differ: check both before you "
                          "submit."),
                    )  # fmt: skip
                return redirect("budgets:plan", pk=plan.pk)
        else:
            status = 400
    else:
        version = plan.version
        formset = LineFormSet(
            initial=[
                {"programme": line.programme_id, "work": line.work_id,
                 "expense_type": line.expense_type_id, "item": line.item, "amount": line.amount}
                for line in plan.lines.all()
            ],
            form_kwargs={"choices": choices},
            prefix="line",
        )  # fmt: skip
        revenue_form = RevenueForm(
            initial={f"source_{r.source_id}": r.amount for r in revenues}, prefix="rev"
        )
    return render(
        request,
        "budgets/plan_edit.html",
        {
            "plan": plan,
            "formset": formset,
            "revenue_form": revenue_form,
            "version": version,
            "type_categories": choices["type_categories"],
        },
        status=status,
    )


def _workflow_step(request, pk, step):
    plan = selectors.plan_for_user(user=request.user, pk=pk)
    try:
        step(plan)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("budgets:plan", pk=plan.pk)


@require_POST
@login_required
def plan_submit(request, pk):
    def submit(plan):
        services.budget_plan_submit(plan=plan, user=request.user, version=_version(request))
        messages.success(request, _("The plan is sent to the provincial office for review."))

    return _workflow_step(request, pk, submit)


@require_POST
@login_required
def plan_enact(request, pk):
    def enact(plan):
        services.budget_plan_enact(plan=plan, user=request.user, version=_version(request))
        messages.success(request, _("The plan is enacted and now public."))

    return _workflow_step(request, pk, enact)


@require_POST
@login_required
def plan_return(request, pk):
    def send_back(plan):
        services.budget_plan_return(
            plan=plan,
            user=request.user,
            version=_version(request),
            comment=request.POST.get("comment", ""),
        )
        messages.success(request, _("The plan is returned to the LAO with your comment."))

    return _workflow_step(request, pk, send_back)


@login_required
def review(request):
    """Submitted plans waiting for the provincial office."""
    if not access.provinces_managed_by(request.user).exists():
        raise Http404
    page = Paginator(selectors.review_queue(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "budgets/review.html", {"page_obj": page})


LINE_COLUMNS = (
    (_lazy("Fiscal year"), lambda line: line.plan.fiscal_year),
    (_lazy("Sector"), lambda line: line.programme.sector.name_th),
    (_lazy("Programme code"), lambda line: line.programme.key),
    (_lazy("Programme"), lambda line: line.programme.name_th),
    (_lazy("Work"), lambda line: line.work.name_th if line.work_id else ""),
    (_lazy("Expense category"), lambda line: line.expense_type.category.name_th),
    (_lazy("Expense type code"), lambda line: line.expense_type.key),
    (_lazy("Expense type"), lambda line: line.expense_type.name_th),
    (_lazy("Item"), lambda line: line.item),
    (_lazy("Amount (baht)"), lambda line: line.amount),
    (_lazy("Demo data"), lambda line: "demo" if line.plan.is_demo else ""),
)


def lao_lines_download(request, code, file_format):
    """Every line of an LAO's enacted plans as CSV or XLSX (public)."""
    lao = get_object_or_404(LAO.objects.by_url_code(code))
    lines = selectors.lao_enacted_lines(lao=lao)
    header = [str(title) for title, _value in LINE_COLUMNS]
    rows = ([value(line) for _title, value in LINE_COLUMNS] for line in lines)
    filename = f"budget-{lao.url_code}.{file_format}"
    if file_format == "csv":
        return csv_response(filename=filename, header=header, rows=rows)
    return xlsx_response(filename=filename, sheet_title=lao.name_th, header=header, rows=rows)
