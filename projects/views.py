"""Pages of development projects: the officers' pages under /projects/manage/, the citizens'
pages (/projects/lao/<code>/, /projects/<id>/) and what a registered citizen follows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects import rules, selectors, services
from projects.filters import (
    MIN_SEARCH_LENGTH,
    ProjectFilter,
    PublicProjectFilter,
    search_too_short,
)
from projects.forms import (
    DevelopmentPlanForm,
    DisbursementForm,
    ProgressForm,
    ProjectForm,
    StageForm,
    fiscal_year_choices,
)
from projects.models import Stage
from units import access
from units.filters import valid_filters
from units.thai import fiscal_year_of

PAGE_SIZE = 50
# The back-office list counts at most this many matches ("more than 1,000"): executives read
# ~3M projects and an exact count of a common word costs a scan.
MANAGE_COUNT_CAP = 1000


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise Http404("A project form without its version.") from None


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's error on the form: on its fields where it names them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def index(request):
    """The projects area: what it offers to citizens, officers and staff."""
    user = request.user
    return render(
        request,
        "projects/index.html",
        {
            "can_manage": access.can_view_back_office(user),
            "can_edit": user.is_authenticated and access.laos_managed_by(user).exists(),
        },
    )


# --- officers ---------------------------------------------------------------------------------


@access.back_office_required
def manage_list(request):
    """The projects of the LAOs the user manages (all, read-only, for executives)."""
    programmes = list(selectors.programmes())
    current = fiscal_year_of(timezone.localdate())
    filterset = ProjectFilter(
        request.GET,
        queryset=selectors.projects_visible_to(user=request.user).order_by(
            "-fiscal_year", "lao__dla_code", "code"
        ),
        years=[year for year, _label in fiscal_year_choices(current)],
        programmes=programmes,
    )
    counted = selectors.capped_count(queryset=filterset.qs, cap=MANAGE_COUNT_CAP)
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    paginator.count = min(counted, MANAGE_COUNT_CAP)  # pages reach the first matches only
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "projects/manage_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "count_capped": counted > MANAGE_COUNT_CAP,
            "count_cap": MANAGE_COUNT_CAP,
            "search_too_short": search_too_short(valid_filters(filterset).get("q")),
            "min_search_length": MIN_SEARCH_LENGTH,
            "can_create": access.laos_managed_by(request.user).exists(),
        },
    )


def _managed_lao(request):
    """The LAO a new project or plan is for: the officer's own, or `?lao=<code>` in scope."""
    managed = access.laos_managed_by(request.user)
    if request.user.lao_id:
        lao = managed.filter(pk=request.user.lao_id).first()
    else:
        code = request.GET.get("lao") or request.POST.get("lao") or ""
        lao = managed.filter(dla_code=code).first() if code else None
    if lao is None:
        raise Http404("Choose an LAO you manage.")
    return lao


def _project_form(request, *, lao, data=None, initial=None):
    current = fiscal_year_of(timezone.localdate())
    return ProjectForm(
        data,
        initial=initial,
        strategies=list(selectors.strategies_of_lao(lao=lao)),
        programmes=list(selectors.programmes()),
        years=fiscal_year_choices(current),
    )


@login_required
def project_create(request):
    lao = _managed_lao(request)
    form = _project_form(
        request,
        lao=lao,
        data=request.POST or None,
        initial={"fiscal_year": fiscal_year_of(timezone.localdate())},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                project = services.project_create(
                    lao=lao, user=request.user, data=form.project_data()
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The project is saved."))
                return redirect("projects:manage-project", pk=project.pk)
        status = 400
    return render(request, "projects/project_form.html", {"form": form, "lao": lao}, status=status)


@login_required
def project_edit(request, pk):
    project = selectors.project_for_user(user=request.user, pk=pk)
    if not access.can_edit_lao(request.user, project.lao):
        raise Http404
    status = 200
    if request.method == "POST":
        version = _version(request)
        form = _project_form(request, lao=project.lao, data=request.POST)
        if form.is_valid():
            try:
                services.project_update(
                    project=project, user=request.user, version=version,
                    data=form.project_data(),
                )  # fmt: skip
            except services.StaleProjectError as error:
                form.add_error(None, error)
                status = 409
            except ValidationError as error:
                _add_errors(form, error)
                status = 400
            else:
                messages.success(request, _("The project is saved."))
                return redirect("projects:manage-project", pk=project.pk)
        else:
            status = 400
    else:
        version = project.version
        form = _project_form(
            request,
            lao=project.lao,
            initial={
                "name": project.name, "fiscal_year": project.fiscal_year,
                "strategy": project.strategy_id, "programme": project.programme_id,
                "budget_amount": project.budget_amount, "location": project.location,
                "latitude": project.latitude, "longitude": project.longitude,
                "planned_start": project.planned_start, "planned_end": project.planned_end,
                "responsible_unit": project.responsible_unit, "targets": project.targets,
            },
        )  # fmt: skip
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "lao": project.lao, "project": project, "version": version},
        status=status,
    )


def _manage_page(request, project, *, status=200, **forms):
    """The officer's project page; the action forms bound and with errors when given."""
    can_edit = access.can_edit_lao(request.user, project.lao)
    next_stages = [Stage(stage) for stage in services.allowed_next_stages(project)]
    context = {
        "project": project,
        "can_edit": can_edit,
        "next_stages": next_stages,
        "history": selectors.stage_history(project=project),
        "disbursements": project.disbursements.select_related("created_by").order_by("date", "pk"),
        "can_disburse": rules.disbursing_stage_violation(project.stage) is None,
        "stage_form": forms.get("stage_form") or StageForm(),
        "disbursement_form": forms.get("disbursement_form")
        or DisbursementForm(initial={"date": timezone.localdate()}),
        "progress_form": forms.get("progress_form")
        or ProgressForm(initial={"progress_percent": project.progress_percent}),
    }
    return render(request, "projects/manage_project.html", context, status=status)


@login_required
def manage_project(request, pk):
    """A project as its officers see it: facts, stage actions, disbursements, progress."""
    return _manage_page(request, selectors.project_for_user(user=request.user, pk=pk))


def _editable_project(request, pk):
    project = selectors.project_for_user(user=request.user, pk=pk)
    if not access.can_edit_lao(request.user, project.lao):
        raise Http404
    return project


@require_POST
@login_required
def project_stage(request, pk):
    project = _editable_project(request, pk)
    form = StageForm(request.POST)
    version = _version(request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.project_change_stage(
                project=project, user=request.user, to_stage=data["to_stage"],
                note=data["note"], version=version,
                contract_amount=data["contract_amount"], contractor=data["contractor"],
                contract_date=data["contract_date"],
            )  # fmt: skip
        except PermissionDenied:
            raise Http404 from None
        except services.StaleProjectError as error:
            form.add_error(None, error)
            return _manage_page(request, project, stage_form=form, status=409)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The project is now “%(stage)s”.") % {"stage": Stage(data["to_stage"]).label},
            )
            return redirect("projects:manage-project", pk=project.pk)
    return _manage_page(request, project, stage_form=form, status=400)


@require_POST
@login_required
def project_disburse(request, pk):
    project = _editable_project(request, pk)
    form = DisbursementForm(request.POST)
    if form.is_valid():
        try:
            services.disbursement_add(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The disbursement is recorded."))
            return redirect("projects:manage-project", pk=project.pk)
    return _manage_page(request, project, disbursement_form=form, status=400)


@require_POST
@login_required
def project_progress(request, pk):
    project = _editable_project(request, pk)
    form = ProgressForm(request.POST)
    version = _version(request)
    if form.is_valid():
        try:
            services.project_set_progress(
                project=project, user=request.user, version=version,
                progress_percent=form.cleaned_data["progress_percent"],
            )  # fmt: skip
        except services.StaleProjectError as error:
            form.add_error(None, error)
            return _manage_page(request, project, progress_form=form, status=409)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The progress is saved."))
            return redirect("projects:manage-project", pk=project.pk)
    return _manage_page(request, project, progress_form=form, status=400)


@access.back_office_required
def plan_list(request):
    """Development plans of the LAOs the user manages (all for executives)."""
    page = Paginator(selectors.plans_visible_to(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "projects/plan_list.html",
        {"page_obj": page, "can_create": access.laos_managed_by(request.user).exists()},
    )


@login_required
def plan_create(request):
    lao = _managed_lao(request)
    form = DevelopmentPlanForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.development_plan_create(
                    lao=lao, user=request.user, start_year=form.cleaned_data["start_year"],
                    vision=form.cleaned_data["vision"], strategies=form.strategy_names(),
                )  # fmt: skip
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The development plan is saved."))
                return redirect("projects:plans")
        status = 400
    return render(request, "projects/plan_form.html", {"form": form, "lao": lao}, status=status)


@login_required
def plan_edit(request, pk):
    plan = selectors.plan_for_user(user=request.user, pk=pk)
    if not access.can_edit_lao(request.user, plan.lao):
        raise Http404
    strategies = list(plan.strategies.all())
    form = DevelopmentPlanForm(
        request.POST or None,
        initial={
            "start_year": plan.start_year,
            "vision": plan.vision,
            "strategies": "\n".join(strategy.name for strategy in strategies),
        },
    )
    form.fields["start_year"].disabled = True
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.development_plan_update(
                plan=plan, user=request.user, vision=form.cleaned_data["vision"],
                strategies=form.strategy_names(),
            )  # fmt: skip
            messages.success(request, _("The development plan is saved."))
            return redirect("projects:plans")
        status = 400
    return render(
        request,
        "projects/plan_form.html",
        {"form": form, "lao": plan.lao, "plan": plan, "strategies": strategies},
        status=status,
    )


# --- citizens ---------------------------------------------------------------------------------


def lao_projects(request, code):
    """An LAO's projects for everyone: filters, a map of their points, budget vs disbursed
    (cached fragments: `selectors.lao_projects_page`)."""
    lao = selectors.public_lao(code=code)
    years = selectors.lao_project_years(lao=lao)
    programmes = list(selectors.programmes())
    filterset = PublicProjectFilter(
        request.GET, queryset=selectors.lao_projects(lao=lao), years=years, programmes=programmes
    )
    context = selectors.lao_projects_page(
        lao=lao,
        filterset=filterset,
        years=years,
        programmes=programmes,
        page=request.GET.get("page"),
        user=request.user,
    )
    return render(request, "projects/lao_projects.html", context)


def project_detail(request, pk):
    """A project for everyone: the chain plan strategy → project → programme → stage →
    disbursed baht, its stage timeline and budget vs disbursed."""
    project = selectors.public_project(pk=pk)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "history": selectors.stage_history(project=project),
            "following": selectors.is_following(user=request.user, project=project),
            "can_manage": access.can_edit_lao(request.user, project.lao),
        },
    )


# --- follows ----------------------------------------------------------------------------------


def _follow_toggle(request, *, project=None, lao=None):
    if request.POST.get("action") == "unfollow":
        services.follow_delete(user=request.user, project=project, lao=lao)
        messages.success(request, _("You no longer follow it."))
    else:
        services.follow_create(user=request.user, project=project, lao=lao)
        messages.success(request, _("You follow it now: changes will appear on your page."))


@require_POST
@login_required
def project_follow(request, pk):
    project = selectors.public_project(pk=pk)
    _follow_toggle(request, project=project)
    return redirect("projects:detail", pk=project.pk)


@require_POST
@login_required
def lao_follow(request, code):
    lao = selectors.public_lao(code=code)
    _follow_toggle(request, lao=lao)
    return redirect("projects:lao", code=lao.url_code)


@login_required
def following(request):
    """What the user follows and their notifications, newest first."""
    page = Paginator(selectors.notifications_of(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "projects/following.html",
        {"follows": selectors.follows_of(user=request.user), "page_obj": page},
    )


@require_POST
@login_required
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("projects:following")
