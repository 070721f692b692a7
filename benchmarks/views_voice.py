"""Pages of the voice of the LAO and of the public: explanations with their review steps and
queue, the national rollup of reasons, questions about figures with their public status page,
steps and queue. Writes go through benchmarks.voice; scope through units.access (404 out of
scope)."""

from datetime import timedelta
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from benchmarks import voice
from benchmarks.forms import (
    ExplanationForm,
    ExplanationReturnForm,
    ExplanationTargetForm,
    FigureForm,
    QuestionAnswerForm,
    QuestionCloseForm,
    QuestionCorrectForm,
    QuestionForm,
    QuestionHideForm,
    ReasonsForm,
)
from benchmarks.models import STAMP, ExplanationStatus, QuestionStatus
from units import access, limits
from units.models import Role
from units.pagecache import cached_for_visitors
from units.tables import Column, table_response
from units.views.workflow import Confirmation, workflow_step

PAGE_SIZE = 50
# Questions one client (its account and its address, each counted) may send: enough for a
# citizen going through an LAO's figures, too few to flood the LAO's officers.
QUESTION_LIMITS = (
    ("benchmarks.question.hour", 5, timedelta(hours=1)),
    ("benchmarks.question.day", 20, timedelta(days=1)),
)
# Questions about one LAO from everyone together in a day: what its officers can answer, and a
# cap on what a sender with many addresses can publish about one LAO before anyone moderates.
# Counted only once the sender's own limits let the question through.
QUESTION_LAO_LIMIT = ("benchmarks.question.lao", 10, timedelta(days=1))


def _form_error(form, error: ValidationError) -> None:
    """A service's refusal on the form: on its fields where it names them, else on the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Explanations -----------------------------------------------------------------------------


def _saved(form, service, **arguments):
    """What the service returns, or None with its refusal on the form; its PermissionDenied
    is a 404."""
    try:
        return service(**arguments)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        _form_error(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def explanation_create(request):
    """`?lao=&indicator=&year=`: the LAO's officer explains one of its values."""
    target = ExplanationTargetForm(request.GET)
    if not target.is_valid():
        raise Http404("No such value.")
    key = target.value_key()
    value = voice.value_to_explain(user=request.user, **key)
    form = ExplanationForm(request.POST or None)
    if form.is_valid():
        explanation = _saved(
            form, voice.explanation_create, user=request.user, **key, **form.cleaned_data
        )
        if explanation:
            messages.success(request, _("The explanation is sent to the provincial office."))
            return redirect("benchmarks:explanation", pk=explanation.pk)
    context = {**key, "form": form, "value": value}
    return render(
        request, "benchmarks/explanation_form.html", context, status=400 if form.errors else 200
    )


@login_required
def explanation_detail(request, pk):
    """An explanation with its status and the steps the user may take."""
    explanation = voice.explanation_for_user(user=request.user, pk=pk)
    pending = explanation.status == ExplanationStatus.PENDING
    reviewer = pending and access.can_review(request.user, explanation.lao)
    author = explanation.author_id == request.user.pk
    context = {
        "explanation": explanation,
        "can_withdraw": pending and access.can_explain(request.user, explanation.lao),
        "can_review": reviewer and not author,
        "reviewer_wrote_it": reviewer and author,
        "return_form": ExplanationReturnForm(),
    }
    return render(request, "benchmarks/explanation_detail.html", context)


def _explanation_subject(explanation) -> str:
    return _("%(lao)s · %(indicator)s · fiscal year %(year)s") % {
        "lao": explanation.lao.full_name_th,
        "indicator": explanation.indicator.name,
        "year": explanation.fiscal_year,
    }


_explanation_step = partial(
    workflow_step,
    load=voice.explanation_for_user,
    argument="explanation",
    page="benchmarks:explanation",
)
explanation_withdraw = _explanation_step(
    service=voice.explanation_withdraw,
    done=gettext_lazy("The explanation is withdrawn."),
    allowed=access.can_explain,
)
explanation_approve = _explanation_step(
    service=voice.explanation_approve,
    done=gettext_lazy("The explanation is published beside the value."),
    allowed=access.can_review,
    confirm=Confirmation(
        question=gettext_lazy("Publish the LAO's explanation?"),
        consequence=gettext_lazy(
            "The explanation is shown publicly beside the value and counted in the national "
            "rollup of reasons; it replaces the LAO's earlier explanation of the same value. It "
            "cannot be undone."
        ),
        button=gettext_lazy("Approve and publish"),
        subject=_explanation_subject,
    ),
)
explanation_return = _explanation_step(
    service=voice.explanation_return,
    done=gettext_lazy("The explanation is returned to the LAO with your comment."),
    allowed=access.can_review,
    form=ExplanationReturnForm,
    confirm=Confirmation(
        question=gettext_lazy("Return the explanation to the LAO?"),
        consequence=gettext_lazy(
            "It is not published; the LAO reads your comment and may write a new one."
        ),
        button=gettext_lazy("Return to the LAO"),
        subject=_explanation_subject,
    ),
)


@access.back_office_required
def explanations(request):
    """Provincial staff (administrators: every province): explanations waiting for review.
    Officers: their LAO's explanations and what became of them."""
    reviewing = access.reviews_any_province(request.user)
    own = request.user.role == Role.OFFICER and request.user.lao_id
    if not (reviewing or own):
        raise Http404("No explanations for this role.")
    context = {
        "page_obj": Paginator(
            voice.explanation_review_queue(user=request.user), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        if reviewing
        else None,
        "own": list(voice.lao_explanations(lao_id=request.user.lao_id)[:PAGE_SIZE])
        if own
        else None,
    }
    return render(request, "benchmarks/explanation_list.html", context)


# --- The national rollup of reasons -----------------------------------------------------------


def _reasons(request):
    rows = voice.reason_rollup_cached()
    form = ReasonsForm(request.GET or None, years=voice.reason_rollup_years(rows))
    year = form.cleaned_data["year"] if form.is_valid() else None
    if year is not None:
        rows = voice.rollup_of_year(rows, fiscal_year=year)
    return form, year, rows


@cached_for_visitors(
    stamps=lambda request, **kwargs: [STAMP, voice.REASONS_STAMP], params=("year",)
)
def reasons(request):
    """`/benchmarks/reasons/`: why LAOs say their values are what they are, added up nationally
    per indicator and year (published explanations only), and the same among the LAOs below
    their peer median. One query (none while the rollup is cached)."""
    form, year, rows = _reasons(request)
    context = {
        "form": form,
        "fiscal_year": year,
        "has_rows": bool(rows),
        "rows": [row for row in rows if row.reason],
        "trailing": voice.trailing_rollup(rows),
    }
    return render(request, "benchmarks/reasons.html", context)


REASON_COLUMNS = (
    Column(gettext_lazy("Fiscal year"), "fiscal_year"),
    Column(gettext_lazy("Indicator code"), "indicator_code"),
    Column(gettext_lazy("Indicator"), "name"),
    Column(gettext_lazy("Reason"), "reason_label"),
    Column(gettext_lazy("LAOs giving the reason"), "laos"),
    Column(gettext_lazy("LAOs explaining"), "explaining"),
    Column(gettext_lazy("Share (%)"), lambda row: round(row.share, 1)),
    Column(gettext_lazy("LAOs below their peer median"), "trailing"),
    Column(gettext_lazy("Of them explaining"), "trailing_explaining"),
    Column(gettext_lazy("Of them giving the reason"), "trailing_laos"),
    Column(
        gettext_lazy("Share among them explaining (%)"), lambda row: round(row.trailing_share, 1)
    ),
)


def reasons_download(request, file_format):
    """The rollup of reasons as CSV or XLSX, with the page's year: one row per indicator, year
    and reason with the page's columns, and a row without a reason where LAOs below their peer
    median gave none."""
    _form, year, rows = _reasons(request)
    return table_response(
        REASON_COLUMNS,
        rows,
        filename=f"reasons-{year or 'all'}.{file_format}",
        format=file_format,
        sheet_title=_("Reasons"),
    )


# --- Questions --------------------------------------------------------------------------------


def _question_refusal(request, lao) -> str | None:
    """Why the sender may not send this question now (the sender's limits, then the LAO's), or
    None, the attempt then counted."""
    keys = limits.request_keys(request)
    if not all(
        limits.attempt_allowed(action, keys=keys, limit=limit, window=window)
        for action, limit, window in QUESTION_LIMITS
    ):
        return _("You have sent too many questions. Please try again in an hour or so.")
    action, limit, window = QUESTION_LAO_LIMIT
    if not limits.attempt_allowed(action, keys=[f"lao:{lao.pk}"], limit=limit, window=window):
        return _(
            "This LAO has received as many questions today as it can answer. Please try again "
            "tomorrow."
        )
    return None


@require_http_methods(["GET", "POST"])
def question_create(request):
    """`?lao=<dla_code>&indicator=<code>&year=<BE>` or `&figure=<text>`: anyone questions a
    figure of an LAO; rate-limited per account and per address, and per LAO (429 beyond, the
    text kept).

    A filled honeypot (a robot) gets the thank-you message and a redirect, as a question sent
    does, whatever else it posted, but nothing is stored or e-mailed; it goes to the LAO's
    benchmark page since there is no question page to show. It is not counted against the
    limits: it costs nothing to refuse, and counting it would write a row per robot post and
    lock out the people who share the robot's address (a school, an office behind one NAT)."""
    if request.method == "GET":
        if (figure := FigureForm.named_by(request.GET)) is None:
            raise Http404("No such figure.")
        return _question_form(request, QuestionForm.from_link(request.GET), figure, status=200)
    form = QuestionForm(request.POST)
    valid = form.is_valid()
    if form.names_no_figure:
        raise Http404("No such figure.")
    data = form.cleaned_data
    if form.caught:
        return _question_sent(request, redirect("benchmarks:lao", code=data["lao"].url_code))
    if valid and (refusal := _question_refusal(request, data["lao"])):
        form.add_error(None, refusal)
        return _question_form(request, form, data, status=429)
    if valid and (question := _saved(form, voice.question_ask, **form.question())):
        return _question_sent(request, redirect("benchmarks:question", pk=question.pk))
    return _question_form(request, form, data, status=400 if form.errors else 200)


def _question_sent(request, response):
    messages.success(
        request,
        _(
            "Thank you: the question is sent to the LAO and its provincial office. "
            "Keep this page's address to follow it."
        ),
    )
    return response


def _question_form(request, form, data, *, status):
    context = {
        "form": form,
        "lao": data["lao"],
        "indicator": data.get("indicator"),
        "fiscal_year": data.get("year"),
        "figure": data.get("figure"),
    }
    return render(request, "benchmarks/question_form.html", context, status=status)


# The overdue mark moves with the date alone: the page's entry expires within PAGE_SECONDS.
@cached_for_visitors(stamps=lambda request, pk: [STAMP, voice.question_stamp(pk)])
def question_detail(request, pk):
    """A question's public status and history (no personal data); those who answer for the
    LAO also see the contact and the steps, and the provincial staff the hiding step. Once
    hidden, only those who answer for the LAO see its text and the figure named in words."""
    question = voice.question_public(pk=pk)
    can_answer = access.can_edit_lao(request.user, question.lao)
    can_hide = voice.can_hide_question(request.user, question.lao) and not question.is_hidden
    voice.mark_overdue([question], today=timezone.localdate())
    steps_open = can_answer and question.status in voice.QUESTION_OPEN_STEPS
    shows_text = can_answer or not question.is_hidden
    context = {
        "question": question,
        "figure_label": voice.question_figure_label(question, asker_words=shows_text),
        "shows_text": shows_text,
        "history": voice.question_history(question=question),
        "can_answer": can_answer,
        "can_hide": can_hide,
        "hide_form": QuestionHideForm() if can_hide else None,
        "can_reply": can_answer and question.status == QuestionStatus.OPEN,
        "can_settle": steps_open,
        "answer_form": QuestionAnswerForm() if steps_open else None,
        "correct_form": QuestionCorrectForm() if steps_open else None,
        "close_form": QuestionCloseForm() if steps_open else None,
    }
    return render(request, "benchmarks/question_detail.html", context)


def _question_subject(question) -> str:
    return _("%(lao)s · %(figure)s") % {
        "lao": question.lao.full_name_th,
        "figure": voice.question_figure_label(question),
    }


_question_step = partial(
    workflow_step,
    load=voice.question_for_step,
    argument="question",
    page="benchmarks:question",
    allowed=access.can_edit_lao,
)
question_answer = _question_step(
    service=voice.question_answer,
    done=gettext_lazy("The answer is published on the question's page."),
    form=QuestionAnswerForm,
)
question_correct = _question_step(
    service=voice.question_correct,
    done=gettext_lazy("The question is marked corrected."),
    form=QuestionCorrectForm,
    confirm=Confirmation(
        question=gettext_lazy("Mark the figure corrected?"),
        consequence=gettext_lazy(
            "The question is settled as corrected and your note is published in its history; "
            "it cannot be undone."
        ),
        button=gettext_lazy("Mark corrected"),
        subject=_question_subject,
    ),
)
question_close = _question_step(
    service=voice.question_close,
    done=gettext_lazy("The question is closed without change."),
    form=QuestionCloseForm,
    confirm=Confirmation(
        question=gettext_lazy("Close the question without change?"),
        consequence=gettext_lazy(
            "The figure stands: the question is settled and your reason is published in its "
            "history; it cannot be undone."
        ),
        button=gettext_lazy("Close without change"),
        subject=_question_subject,
    ),
)


question_hide = _question_step(
    service=voice.question_hide,
    done=gettext_lazy("The question is hidden from the public."),
    form=QuestionHideForm,
    allowed=voice.can_hide_question,
    confirm=Confirmation(
        question=gettext_lazy("Hide the question from the public?"),
        consequence=gettext_lazy(
            "Its text and the figure named by the asker are no longer shown publicly; its page "
            "says it was hidden by the provincial office, with the category you choose. The "
            "hiding is recorded in its history and cannot be undone."
        ),
        button=gettext_lazy("Hide the question"),
        subject=_question_subject,
    ),
)


@access.back_office_required
def questions(request):
    """The questions about the LAOs the user answers for: open ones first by deadline, overdue
    ones marked."""
    if not access.has_work_page(request.user):
        raise Http404("No questions for this role.")
    page = Paginator(voice.questions_queue(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    voice.mark_overdue(page, today=timezone.localdate())
    return render(request, "benchmarks/question_list.html", {"page_obj": page})
