"""Pages of development projects: the officers' pages under /projects/manage/, the citizens'
pages (/projects/lao/<code>/, /projects/<id>/) and what a registered citizen follows."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from budgets.profile import CLASSIFICATION_STAMP
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
from units.pagecache import cached_for_visitors
from units.stamps import lao_stamp
from units.thai import current_fiscal_year
from units.views.workflow import (
    Confirmation,
    confirmation_page,
    is_confirmed,
    posted_version,
)

PAGE_SIZE = 50
# The back-office list counts at most this many matches ("more than 1,000"): executives read
# ~3M projects and an exact count of a common word costs a scan.
MANAGE_COUNT_CAP = 1000


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's error on the form: on its fields where it names them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _write[T](form, write: Callable[[], T]) -> T | None:
    """What the service `write` returns when the form is valid and the service accepts it;
    otherwise None, with the errors on the form (`_status`). A write out of scope is a 404."""
    if not form.is_valid():
        return None
    try:
        return write()
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        _add_errors(form, error)
        return None


def _status(request, form) -> int:
    """The status of a form page: 200 to show it; after a post that wrote nothing, 409 when
    someone saved first, else 400."""
    if request.method != "POST":
        return 200
    return 409 if form.has_error(NON_FIELD_ERRORS, code="stale") else 400


def index(request):
    """The projects area: what it offers to citizens, officers and staff."""
    user = request.user
    reviews = access.reviews_any_province(user)
    return render(
        request,
        "projects/index.html",
        {
            "can_manage": access.can_view_back_office(user),
            "can_edit": user.is_authenticated and access.laos_managed_by(user).exists(),
            "reviews": reviews,
            # Reviewers read their province's report status: no need to ask twice.
            "reads_report_status": reviews or access.reads_report_status(user),
        },
    )


# --- officers ---------------------------------------------------------------------------------


@access.back_office_required
def manage_list(request):
    """The projects of the LAOs the user manages (all, read-only, for executives)."""
    filterset = ProjectFilter(
        request.GET,
        queryset=selectors.projects_listed_to(user=request.user),
        years=[year for year, _label in fiscal_year_choices(current_fiscal_year())],
        programmes=list(selectors.programmes()),
    )
    page, capped = selectors.capped_page(
        queryset=filterset.qs,
        cap=MANAGE_COUNT_CAP,
        per_page=PAGE_SIZE,
        number=request.GET.get("page"),
        first_by=("-fiscal_year",),
    )
    context = {
        "filter": filterset,
        "page_obj": page,
        "count_capped": capped,
        "count_cap": MANAGE_COUNT_CAP,
        "search_too_short": search_too_short(valid_filters(filterset).get("q")),
        "min_search_length": MIN_SEARCH_LENGTH,
        "can_create": access.laos_managed_by(request.user).exists(),
    }
    return render(request, "projects/manage_list.html", context)


def _managed_lao(request):
    """The LAO a new project or plan is for: the officer's own, or `?lao=<code>` in scope."""
    return access.lao_for_writer(request.user, request.GET.get("lao") or request.POST.get("lao"))


def _project_form(request, *, lao, initial):
    """The project form with the LAO's strategies and the programmes (one query each)."""
    return ProjectForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        strategies=list(selectors.strategies_of_lao(lao=lao)),
        programmes=list(selectors.programmes()),
        years=fiscal_year_choices(current_fiscal_year()),
    )


@login_required
def project_create(request):
    """A new project of the officer's LAO, or (`?lao=<code>`) of an LAO in the user's scope."""
    lao = _managed_lao(request)
    form = _project_form(request, lao=lao, initial={"fiscal_year": current_fiscal_year()})

    def create():
        return services.project_create(lao=lao, user=request.user, data=form.project_data())

    if request.method == "POST" and (project := _write(form, create)):
        messages.success(request, _("The project is saved."))
        return redirect("projects:manage-project", pk=project.pk)
    context = {"form": form, "lao": lao}
    return render(request, "projects/project_form.html", context, status=_status(request, form))


@login_required
def project_edit(request, pk):
    """A project's entered fields (its stage and money change on its page)."""
    project = _editable_project(request, pk)
    version = posted_version(request) if request.method == "POST" else project.version
    form = _project_form(request, lao=project.lao, initial=ProjectForm.initial_of(project))

    def update():
        data = form.project_data()
        return services.project_update(
            project=project, user=request.user, version=version, data=data
        )

    if request.method == "POST" and _write(form, update):
        messages.success(request, _("The project is saved."))
        return redirect("projects:manage-project", pk=project.pk)
    context = {"form": form, "lao": project.lao, "project": project, "version": version}
    return render(request, "projects/project_form.html", context, status=_status(request, form))


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
    """A project the user may change (404 when missing, out of scope or read-only to them)."""
    project = selectors.project_for_user(user=request.user, pk=pk)
    if not access.can_edit_lao(request.user, project.lao):
        raise Http404
    return project


def _project_subject(project) -> str:
    return f"{project.lao.full_name_th} · {project.code} · {project.name}"


def _completion_warnings(project) -> list[str]:
    warning = rules.completion_warning(
        to_stage=Stage.COMPLETED,
        disbursed_total=project.disbursed_total,
        contract_amount=project.contract_amount,
        budget_amount=project.budget_amount,
    )
    return [warning.message] if warning else []


# Moves to a final stage (rules.is_final) cannot be undone: they are confirmed first.
FINAL_STAGE_CONFIRMATIONS = {
    Stage.COMPLETED: Confirmation(
        question=gettext_lazy("Mark the project as completed?"),
        consequence=gettext_lazy(
            "Its progress is set to complete and its stage cannot be changed again; payments "
            "can still be recorded."
        ),
        button=gettext_lazy("Mark as completed"),
        subject=_project_subject,
        warnings=_completion_warnings,
    ),
    Stage.CANCELLED: Confirmation(
        question=gettext_lazy("Cancel the project?"),
        consequence=gettext_lazy(
            "A cancelled project stays on the LAO's public list as cancelled; its stage cannot "
            "be changed again and no more money can be paid out."
        ),
        button=gettext_lazy("Cancel the project"),
        subject=_project_subject,
    ),
    Stage.CARRIED_OVER: Confirmation(
        question=gettext_lazy("Carry the project over?"),
        consequence=gettext_lazy(
            "The project ends in this fiscal year as carried over; its stage cannot be changed "
            "again and no more money can be paid out."
        ),
        button=gettext_lazy("Carry over"),
        subject=_project_subject,
    ),
}


def _needs_confirmation(request, project, to_stage: str) -> bool:
    """An allowed move to a final stage, not yet confirmed (a refused move is refused at once)."""
    return (
        rules.is_final(to_stage)
        and rules.transition_violation(project.stage, to_stage) is None
        and not is_confirmed(request)
    )


def _confirm_final_stage(request, project, form, version):
    """The confirmation page of a move to a final stage, posting the same move again."""
    to_stage = form.cleaned_data["to_stage"]
    return confirmation_page(
        request,
        confirmation=FINAL_STAGE_CONFIRMATIONS[to_stage],
        subject=project,
        action=request.path,
        back=reverse("projects:manage-project", args=[project.pk]),
        hidden={"version": version, "to_stage": to_stage, "note": form.cleaned_data["note"]},
    )


@require_POST
@login_required
def project_stage(request, pk):
    """Move a project to one of its allowed next stages (with the contract when contracted); a
    final stage only from its confirmation page."""
    project = _editable_project(request, pk)
    form = StageForm(request.POST)
    version = posted_version(request)
    if form.is_valid() and _needs_confirmation(request, project, form.cleaned_data["to_stage"]):
        return _confirm_final_stage(request, project, form, version)

    def change():
        data = form.cleaned_data
        return services.project_change_stage(
            project=project, user=request.user, version=version, **data
        )

    if _write(form, change):
        stage = Stage(form.cleaned_data["to_stage"]).label
        messages.success(request, _("The project is now “%(stage)s”.") % {"stage": stage})
        return redirect("projects:manage-project", pk=project.pk)
    return _manage_page(request, project, stage_form=form, status=_status(request, form))


@require_POST
@login_required
def project_disburse(request, pk):
    """Record a payment of a project (never beyond its contract)."""
    project = _editable_project(request, pk)
    form = DisbursementForm(request.POST)

    def disburse():
        return services.disbursement_add(project=project, user=request.user, **form.cleaned_data)

    if _write(form, disburse):
        messages.success(request, _("The disbursement is recorded."))
        return redirect("projects:manage-project", pk=project.pk)
    return _manage_page(request, project, disbursement_form=form, status=_status(request, form))


@require_POST
@login_required
def project_progress(request, pk):
    """Set a project's progress (%)."""
    project = _editable_project(request, pk)
    form = ProgressForm(request.POST)
    version = posted_version(request)

    def set_progress():
        data = form.cleaned_data
        return services.project_set_progress(
            project=project, user=request.user, version=version, **data
        )

    if _write(form, set_progress):
        messages.success(request, _("The progress is saved."))
        return redirect("projects:manage-project", pk=project.pk)
    return _manage_page(request, project, progress_form=form, status=_status(request, form))


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
    """A new five-year development plan of an LAO the user manages."""
    lao = _managed_lao(request)
    form = DevelopmentPlanForm(request.POST or None)

    def create():
        start_year = form.cleaned_data["start_year"]
        return services.development_plan_create(
            lao=lao, user=request.user, start_year=start_year, **form.plan_data()
        )

    if request.method == "POST" and _write(form, create):
        messages.success(request, _("The development plan is saved."))
        return redirect("projects:plans")
    context = {"form": form, "lao": lao}
    return render(request, "projects/plan_form.html", context, status=_status(request, form))


@login_required
def plan_edit(request, pk):
    """A plan's vision and strategies (its span stays)."""
    plan = selectors.plan_for_user(user=request.user, pk=pk)
    if not access.can_edit_lao(request.user, plan.lao):
        raise Http404
    strategies = list(plan.strategies.all())
    form = DevelopmentPlanForm(request.POST or None, plan=plan, strategies=strategies)

    def update():
        return services.development_plan_update(plan=plan, user=request.user, **form.plan_data())

    if request.method == "POST" and _write(form, update):
        messages.success(request, _("The development plan is saved."))
        return redirect("projects:plans")
    context = {"form": form, "lao": plan.lao, "plan": plan, "strategies": strategies}
    return render(request, "projects/plan_form.html", context, status=_status(request, form))


# --- citizens ---------------------------------------------------------------------------------


def lao_projects_stamps(request, code) -> list[str]:
    """Every write to the LAO's projects moves its stamp (`projects.services`); the programmes'
    names are the classification's."""
    return [lao_stamp("projects", code), CLASSIFICATION_STAMP]


@cached_for_visitors(
    stamps=lao_projects_stamps, params=("fiscal_year", "stage", "programme", "page")
)
def lao_projects(request, code):
    """An LAO's projects for everyone: filters, a map of their points, budget vs disbursed.
    Visitors get the whole page from the page cache; signed-in users (their follow button) get
    its cached fragments (`selectors.lao_projects_page`)."""
    lao = selectors.public_lao(code=code)
    years = selectors.lao_project_years(lao=lao)
    programmes = list(selectors.programmes())
    current = current_fiscal_year()
    filterset = PublicProjectFilter(
        request.GET,
        queryset=selectors.lao_projects(lao=lao),
        years=years,
        programmes=programmes,
        default_year=rules.shown_fiscal_year(years, current),
    )
    context = selectors.lao_projects_page(
        lao=lao,
        filterset=filterset,
        years=years,
        programmes=programmes,
        page=request.GET.get("page"),
        user=request.user,
    )
    return render(request, "projects/lao_projects.html", {**context, "current_year": current})


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
            "disbursements": selectors.public_disbursements(project=project),
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
    if request.POST.get("back") == "profile":
        return redirect(lao)
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
