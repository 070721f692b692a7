"""The voice of the LAO and of the public: services and selectors of explanations ("the LAO
says") and of questions about figures ("question this figure").

Explanations: an LAO's officer writes one beside an indicator value (`explanation_create`); it
waits for the provincial staff of the LAO's province, who approve it (it is published) or return
it with a comment; the LAO may withdraw it while it waits. Approving a new explanation of a value
withdraws the one published before, so each value has at most one published explanation and the
national rollup of reasons counts each LAO once.

Questions: anyone asks (`question_ask`), the LAO's officers and provincial staff are told by
e-mail and answer by a deadline (`BENCHMARKS_QUESTION_ANSWER_DAYS`): an answer, a correction
(with what was corrected) or a close without change (with the reason). Every step is written to
the question's public history (`QuestionEvent`), which never names the person who asked, and
the contact they left is shown only to those who answer.

A question is published unmoderated, so: the e-mail about it carries none of the asker's words
(a neutral notice and a link), at most one such e-mail goes to an LAO per hour, and the LAO's
provincial staff and administrators may hide it (`question_hide`, with a category of reason),
after which its public page shows neither its text nor the figure named in words.

Every step takes the version the user saw and refuses a stale one (as budgets and projects do).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarks.models import (
    STAMP,
    Explanation,
    ExplanationReason,
    ExplanationStatus,
    FigureQuestion,
    HideReason,
    Indicator,
    IndicatorValue,
    QuestionEvent,
    QuestionStatus,
)
from benchmarks.ranking import BADNESS
from units import access, limits
from units import stamps as data_stamps
from units.caching import fragment_key
from units.mail import send_email_on_commit
from units.models import LAO, Role, User
from units.slices import in_language
from units.stamps import lao_stamp
from units.thai import format_date

EXPLANATION_MAX_CHARS = 2000
QUESTION_MAX_CHARS = 1000
# Questions that still wait for the LAO; answered ones may yet be corrected or closed.
QUESTION_OPEN_STEPS = {QuestionStatus.OPEN, QuestionStatus.ANSWERED}
# At most one e-mail about new questions per LAO in this window: questions asked after it wait in
# the back-office queue unannounced, so that a flood of questions is not a flood of e-mails sent
# in the portal's name to the LAO's officers and provincial staff.
QUESTION_MAIL_WINDOW = datetime.timedelta(hours=1)

# Stamps of the pages cached for visitors (units.pagecache): every write of an LAO's voice moves
# its `lao_stamp` (its benchmark page shows the published explanations and open questions), a
# question's step its own page's, and a publication the national rollup of reasons'. The
# stored results (a recompute) move STAMP, which the rollup reads as well.
REASONS_STAMP = "benchmarks:reasons"


def question_stamp(pk: int) -> str:
    """The stamp of a question's public page."""
    return f"benchmarks:question:{pk}"


def _stale(thing: str) -> ValidationError:
    return ValidationError(
        _(
            "Someone else changed this %(thing)s after you opened it. Reload the page to see it "
            "as it is now."
        )
        % {"thing": thing},
        code="stale",
    )


def _link(name: str, pk: int) -> str:
    return settings.PORTAL_BASE_URL + reverse(name, kwargs={"pk": pk})


def _recipients(*, lao: LAO, officers: bool) -> list[str]:
    """E-mail addresses of the active provincial staff of the LAO's province, and with
    `officers` of the LAO's officers too. One query."""
    scope = Q(role=Role.PROVINCIAL, province_id=lao.province_id)
    if officers:
        scope |= Q(role=Role.OFFICER, lao_id=lao.pk)
    return list(
        User.objects.filter(scope, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


# --- Explanations: services -------------------------------------------------------------------


@transaction.atomic
def explanation_create(
    *, lao: LAO, indicator: Indicator, fiscal_year: int, reason: str, text: str, user: User
) -> Explanation:
    """The LAO's explanation of its value of `indicator` in `fiscal_year`, waiting for its
    provincial staff, who are told by e-mail once it is saved. Only the LAO's officers (and
    administrators) write one (`access.can_explain`); the value must exist, and a value has at
    most one explanation waiting at a time."""
    if not access.can_explain(user, lao):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the explanation.")})
    if len(text) > EXPLANATION_MAX_CHARS:
        raise ValidationError(
            {"text": _("At most %(count)s characters.") % {"count": EXPLANATION_MAX_CHARS}}
        )
    if reason not in ExplanationReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    if not IndicatorValue.objects.filter(
        indicator=indicator, lao=lao, fiscal_year=fiscal_year
    ).exists():
        raise ValidationError(_("The LAO has no value of this indicator in this fiscal year."))
    # Locks the LAO's row so that two officers cannot both start an explanation of one value.
    LAO.objects.select_for_update().filter(pk=lao.pk).first()
    waiting = Explanation.objects.filter(
        lao=lao, indicator=indicator, fiscal_year=fiscal_year, status=ExplanationStatus.PENDING
    )
    if waiting.exists():
        raise ValidationError(
            _("An explanation of this value already waits for approval: withdraw it first.")
        )
    explanation = Explanation.objects.create(
        lao=lao,
        indicator=indicator,
        fiscal_year=fiscal_year,
        reason=reason,
        text=text,
        author=user,
    )
    send_email_on_commit(
        subject=_("An explanation awaits your approval: %(lao)s") % {"lao": lao.full_name_th},
        body=_(
            "%(lao)s has explained its value of “%(indicator)s” in fiscal year %(year)s. Approve "
            "it to publish it beside the value, or return it with a comment:\n\n%(link)s"
        )
        % {
            "lao": lao.full_name_th,
            "indicator": indicator.name_th,
            "year": fiscal_year,
            "link": _link("benchmarks:explanation", explanation.pk),
        },
        to=_recipients(lao=lao, officers=False),
    )
    data_stamps.bump(lao_stamp(STAMP, lao.url_code))
    return explanation


def _lock_explanation(explanation: Explanation, *, version: int) -> Explanation:
    current = (
        Explanation.objects.select_for_update()
        .select_related("lao", "indicator")
        .get(pk=explanation.pk)
    )
    if current.version != version:
        raise _stale(_("explanation"))
    return current


def _check_reviewable(user: User, explanation: Explanation) -> None:
    if explanation.status != ExplanationStatus.PENDING:
        raise ValidationError(_("Only an explanation that waits for approval can be reviewed."))
    if explanation.author_id == user.pk:
        raise ValidationError(
            _("You wrote this explanation: another reviewer of the province must review it.")
        )


@transaction.atomic
def explanation_withdraw(*, explanation: Explanation, user: User, version: int) -> Explanation:
    """The LAO takes back an explanation that still waits for approval."""
    if not access.can_explain(user, explanation.lao):
        raise PermissionDenied
    explanation = _lock_explanation(explanation, version=version)
    if explanation.status != ExplanationStatus.PENDING:
        raise ValidationError(_("Only an explanation that waits for approval can be withdrawn."))
    explanation.status = ExplanationStatus.WITHDRAWN
    explanation.version = F("version") + 1
    explanation.save(update_fields=["status", "version"])
    data_stamps.bump(lao_stamp(STAMP, explanation.lao.url_code))
    explanation.refresh_from_db()
    return explanation


@transaction.atomic
def explanation_approve(*, explanation: Explanation, user: User, version: int) -> Explanation:
    """The provincial staff publish the explanation beside the value; the LAO's explanation of
    the same value published before is withdrawn (replaced). Its author may not approve it."""
    if not access.can_review(user, explanation.lao):
        raise PermissionDenied
    explanation = _lock_explanation(explanation, version=version)
    _check_reviewable(user, explanation)
    Explanation.objects.filter(
        lao_id=explanation.lao_id,
        indicator_id=explanation.indicator_id,
        fiscal_year=explanation.fiscal_year,
        status=ExplanationStatus.APPROVED,
    ).update(status=ExplanationStatus.WITHDRAWN, version=F("version") + 1)
    explanation.status = ExplanationStatus.APPROVED
    explanation.reviewed_by, explanation.reviewed_at = user, timezone.now()
    explanation.review_comment = ""
    explanation.version = F("version") + 1
    explanation.save()
    data_stamps.bump(lao_stamp(STAMP, explanation.lao.url_code), REASONS_STAMP)
    explanation.refresh_from_db()
    return explanation


@transaction.atomic
def explanation_return(
    *, explanation: Explanation, user: User, version: int, comment: str
) -> Explanation:
    """The provincial staff send the explanation back to the LAO with a comment; the LAO may
    write a new one. Its author may not return it."""
    if not access.can_review(user, explanation.lao):
        raise PermissionDenied
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the LAO should change.")})
    explanation = _lock_explanation(explanation, version=version)
    _check_reviewable(user, explanation)
    explanation.status = ExplanationStatus.RETURNED
    explanation.reviewed_by, explanation.reviewed_at = user, timezone.now()
    explanation.review_comment = comment
    explanation.version = F("version") + 1
    explanation.save()
    data_stamps.bump(lao_stamp(STAMP, explanation.lao.url_code))
    explanation.refresh_from_db()
    return explanation


# --- Explanations: selectors ------------------------------------------------------------------


def explanation_for_user(*, user: User, pk: int) -> Explanation:
    """An explanation the user may open in the back office, with its LAO, province, indicator,
    author and reviewer: those of the LAOs they manage (officers, provincial staff,
    administrators) and every one for executives; 404 otherwise, whether missing or not."""
    explanations = Explanation.objects.select_related(
        "lao", "lao__province", "indicator", "author", "reviewed_by"
    )
    if not access.reads_all(user):
        explanations = explanations.filter(lao__in=access.laos_managed_by(user))
    try:
        return explanations.get(pk=pk)
    except Explanation.DoesNotExist:
        raise Http404("No explanation in your scope has this number.") from None


def value_to_explain(
    *, user: User, lao: LAO, indicator: Indicator, fiscal_year: int
) -> IndicatorValue:
    """The LAO's value of the indicator in the year, which the user may explain (one query);
    404 unless the user is one of the LAO's officers (`access.can_explain`) and the value
    exists."""
    if not access.can_explain(user, lao):
        raise Http404("Only the LAO's officers explain its values.")
    value = IndicatorValue.objects.filter(
        lao=lao, indicator=indicator, fiscal_year=fiscal_year
    ).first()
    if value is None:
        raise Http404("No such value.")
    return value


def explanation_review_queue(*, user: User) -> QuerySet[Explanation]:
    """Explanations waiting for the user's review (their province; every province for
    administrators), oldest first, with LAO, indicator and author."""
    return (
        Explanation.objects.filter(
            status=ExplanationStatus.PENDING,
            lao__province__in=access.provinces_managed_by(user),
        )
        .select_related("lao", "indicator", "author")
        .order_by("created_at", "pk")
    )


def lao_explanations(*, lao_id: int) -> QuerySet[Explanation]:
    """Every explanation of one LAO (its officers' list), newest first, with the indicator."""
    return (
        Explanation.objects.filter(lao_id=lao_id)
        .select_related("indicator")
        .order_by("-created_at", "-pk")
    )


def published_explanations(*, lao_id: int, fiscal_years) -> list[Explanation]:
    """The LAO's published explanations of the given fiscal years (at most one per indicator
    and year), in indicator order and newest year first, with the indicator. One query."""
    return list(
        Explanation.objects.filter(
            lao_id=lao_id, fiscal_year__in=list(fiscal_years), status=ExplanationStatus.APPROVED
        )
        .select_related("indicator")
        .order_by("indicator__sort_order", "indicator__code", "-fiscal_year")
    )


@dataclass(frozen=True)
class ReasonRow:
    """One reason of one indicator and year in the national rollup: `laos` LAOs explained their
    value by it, out of `explaining` LAOs with a published explanation of that value.

    Beside it, the same indicator and year seen from the LAOs that trail their peer median
    (`trailing`; `trailing_rollup`): `trailing_explaining` of them published an explanation and
    `trailing_laos` of those gave this reason. An indicator-year with LAOs below their peer
    median and no explanation at all has one row with an empty `reason`."""

    indicator_code: str
    name_th: str
    name_en: str
    fiscal_year: int
    reason: str
    laos: int
    explaining: int
    trailing_laos: int = 0
    trailing: int = 0
    trailing_explaining: int = 0

    @property
    def name(self) -> str:
        return in_language(self, "name")

    @property
    def reason_label(self) -> str:
        return str(ExplanationReason(self.reason).label) if self.reason else ""

    @property
    def share(self) -> float:
        """Share (0–100) of the LAOs explaining this value that gave this reason."""
        return 100 * self.laos / self.explaining if self.explaining else 0.0

    @property
    def trailing_share(self) -> float:
        """Share (0–100) of the LAOs below their peer median that explained this value and gave
        this reason, among those below it that explained it."""
        return (
            100 * self.trailing_laos / self.trailing_explaining if self.trailing_explaining else 0.0
        )


# Published explanations, and the LAOs whose value is worse than the median of their peer group
# (PeerMembership → PeerStatistic) in the indicator's direction, as the ranks judge it
# (ranking.BADNESS: higher, lower, or the distance beyond a target's tolerance). Each value has at
# most one published explanation, so the per-reason counts add up to the LAOs explaining. The
# FULL JOIN keeps the indicator-years where LAOs trail their peers and none explained it.
REASON_ROLLUP_SQL = """
WITH published AS (
    SELECT e.indicator_id, e.fiscal_year, e.lao_id, e.reason
    FROM benchmarks_explanation e
    WHERE e.status = %(approved)s {explanation_year}
),
below_median AS (
    SELECT v.indicator_id, v.fiscal_year, v.lao_id
    FROM benchmarks_indicatorvalue v
    JOIN benchmarks_indicator i ON i.id = v.indicator_id
    JOIN benchmarks_peermembership pm
        ON pm.lao_id = v.lao_id AND pm.fiscal_year = v.fiscal_year
    JOIN benchmarks_peerstatistic ps
        ON ps.indicator_id = v.indicator_id AND ps.fiscal_year = v.fiscal_year
       AND ps.peer_group = pm.peer_group
    WHERE i.is_active AND v.value IS NOT NULL AND ps.median IS NOT NULL {value_year}
      AND {value_badness} > {median_badness}
),
by_reason AS (
    SELECT p.indicator_id, p.fiscal_year, p.reason,
           COUNT(DISTINCT p.lao_id) AS laos,
           COUNT(DISTINCT t.lao_id) AS trailing_laos
    FROM published p
    LEFT JOIN below_median t
        ON t.indicator_id = p.indicator_id AND t.fiscal_year = p.fiscal_year
       AND t.lao_id = p.lao_id
    GROUP BY 1, 2, 3
),
below_median_totals AS (
    SELECT indicator_id, fiscal_year, COUNT(*) AS laos_below FROM below_median GROUP BY 1, 2
)
SELECT i.code, i.name_th, i.name_en,
       COALESCE(r.fiscal_year, t.fiscal_year) AS year,
       COALESCE(r.reason, '') AS reason,
       COALESCE(r.laos, 0) AS laos,
       COALESCE(SUM(r.laos) OVER per_value, 0),
       COALESCE(r.trailing_laos, 0),
       COALESCE(t.laos_below, 0),
       COALESCE(SUM(r.trailing_laos) OVER per_value, 0)
FROM by_reason r
FULL JOIN below_median_totals t
    ON t.indicator_id = r.indicator_id AND t.fiscal_year = r.fiscal_year
JOIN benchmarks_indicator i ON i.id = COALESCE(r.indicator_id, t.indicator_id)
WHERE i.is_active
WINDOW per_value AS (PARTITION BY i.id, COALESCE(r.fiscal_year, t.fiscal_year))
ORDER BY year DESC, i.sort_order, i.code, laos DESC, reason
"""


def reason_rollup(*, fiscal_year: int | None = None) -> list[ReasonRow]:
    """Published explanations added up nationally: per shown indicator, fiscal year (one year,
    or all) and reason, how many LAOs gave that reason and their share among the LAOs that
    explained the indicator that year; and the same among the LAOs below their peer median
    (see ReasonRow). One aggregate query, whatever the number of LAOs."""
    params: dict = {"approved": ExplanationStatus.APPROVED.value, "year": fiscal_year}
    year_only = fiscal_year is not None
    sql = REASON_ROLLUP_SQL.format(
        explanation_year="AND e.fiscal_year = %(year)s" if year_only else "",
        value_year="AND v.fiscal_year = %(year)s" if year_only else "",
        value_badness=BADNESS.format(value="v.value"),
        median_badness=BADNESS.format(value="ps.median"),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            ReasonRow(
                code,
                name_th,
                name_en,
                year,
                reason,
                laos,
                int(explaining),
                trailing_laos,
                trailing,
                int(trailing_explaining),
            )
            for (
                code,
                name_th,
                name_en,
                year,
                reason,
                laos,
                explaining,
                trailing_laos,
                trailing,
                trailing_explaining,
            ) in cursor.fetchall()
        ]


# The rollup reads every indicator value (about 0.7 s for 7,850 LAOs × 5 years × 7 indicators):
# a public page may not pay that on every request. One entry, of every year, under the values of
# the stamps that move it (a recompute, a publication): a year's rows are the same rows of that
# year (each is computed within its indicator and year), so every language and year of the page
# renders from one computation after a change.
REASON_ROLLUP_CACHE_SECONDS = 600
REASON_ROLLUP_CACHE_KEY = "benchmarks:reason-rollup"


def reason_rollup_cached(*, fiscal_year: int | None = None) -> list[ReasonRow]:
    """`reason_rollup` of every year, kept in the cache until a recompute or a publication
    moves its stamps, or the rows of one `fiscal_year` taken from it: one query (the stamps),
    two when it must be computed."""
    key = REASON_ROLLUP_CACHE_KEY + ":" + fragment_key(data_stamps.read([STAMP, REASONS_STAMP]))
    rows = cache.get_or_set(key, reason_rollup, REASON_ROLLUP_CACHE_SECONDS)
    return rows if fiscal_year is None else rollup_of_year(rows, fiscal_year=fiscal_year)


def rollup_of_year(rows: list[ReasonRow], *, fiscal_year: int) -> list[ReasonRow]:
    """The rows of one fiscal year of the rollup of every year. No query."""
    return [row for row in rows if row.fiscal_year == fiscal_year]


def reason_rollup_years(rows: list[ReasonRow]) -> list[int]:
    """The fiscal years the rollup of every year has rows for, newest first. No query."""
    return sorted({row.fiscal_year for row in rows}, reverse=True)


@dataclass(frozen=True)
class TrailingRollup:
    """One indicator and year seen from the LAOs below their peer median: how many, how many of
    them explained it, and the reasons they gave (ReasonRow, most given first)."""

    indicator_code: str
    name_th: str
    name_en: str
    fiscal_year: int
    trailing: int
    trailing_explaining: int
    reasons: tuple[ReasonRow, ...]

    @property
    def name(self) -> str:
        return in_language(self, "name")

    @property
    def explaining_share(self) -> float:
        """Share (0–100) of the LAOs below their peer median that explained it."""
        return 100 * self.trailing_explaining / self.trailing if self.trailing else 0.0


def trailing_rollup(rows: list[ReasonRow]) -> list[TrailingRollup]:
    """The rows of `reason_rollup` regrouped per indicator and year where some LAOs trail their
    peer median, in the rollup's order, each with the reasons those LAOs gave. No query."""
    groups: dict[tuple[str, int], list[ReasonRow]] = {}
    for row in rows:
        if row.trailing:
            groups.setdefault((row.indicator_code, row.fiscal_year), []).append(row)
    rollups = []
    for members in groups.values():
        first = members[0]
        given = sorted(
            (row for row in members if row.trailing_laos),
            key=lambda row: (-row.trailing_laos, row.reason),
        )
        rollups.append(
            TrailingRollup(
                indicator_code=first.indicator_code,
                name_th=first.name_th,
                name_en=first.name_en,
                fiscal_year=first.fiscal_year,
                trailing=first.trailing,
                trailing_explaining=first.trailing_explaining,
                reasons=tuple(given),
            )
        )
    return rollups


# --- Questions: services ----------------------------------------------------------------------


@transaction.atomic
def question_ask(
    *,
    lao: LAO,
    text: str,
    contact: str = "",
    indicator: Indicator | None = None,
    fiscal_year: int | None = None,
    figure: str = "",
    today: datetime.date | None = None,
) -> FigureQuestion:
    """Anyone's question about one of the LAO's figures (an indicator's value of a year, or a
    figure named in words), due for an answer BENCHMARKS_QUESTION_ANSWER_DAYS days from today.
    The history starts with "asked" and never records who asked; the LAO's officers and its
    provincial staff are told by e-mail once it is saved, unless the LAO was sent one within
    QUESTION_MAIL_WINDOW (the question is then in their queue without a new e-mail). The e-mail
    names neither the question nor the figure: those are the asker's words, unmoderated. Rate
    limits of the asker are the caller's (they depend on the request)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Say what looks wrong.")})
    if len(text) > QUESTION_MAX_CHARS:
        raise ValidationError(
            {"text": _("At most %(count)s characters.") % {"count": QUESTION_MAX_CHARS}}
        )
    if indicator is not None and fiscal_year is None:
        raise ValidationError(_("Say which fiscal year's value of the indicator you question."))
    if indicator is None and not figure.strip():
        raise ValidationError(_("Say which figure you question."))
    today = today or timezone.localdate()
    question = FigureQuestion.objects.create(
        lao=lao,
        indicator=indicator,
        fiscal_year=fiscal_year,
        figure=figure.strip()[:200],
        text=text,
        contact=(contact or "").strip()[:200],
        deadline=today + datetime.timedelta(days=settings.BENCHMARKS_QUESTION_ANSWER_DAYS),
    )
    QuestionEvent.objects.create(question=question, status=QuestionStatus.OPEN)
    # Counted in this transaction: if the question is not saved, neither is the e-mail's turn.
    if limits.attempt_allowed(
        "benchmarks.question.mail", keys=[f"lao:{lao.pk}"], limit=1, window=QUESTION_MAIL_WINDOW
    ):
        _notify_question(question)
    data_stamps.bump(lao_stamp(STAMP, lao.url_code), question_stamp(question.pk))
    return question


def _notify_question(question: FigureQuestion) -> None:
    lao = question.lao
    send_email_on_commit(
        subject=_("New question about a figure of %(lao)s") % {"lao": lao.full_name_th},
        body=_(
            "A member of the public has asked a question about a figure of %(lao)s on the "
            "portal. Sign in to read it, then answer by %(deadline)s, correct the figure, or "
            "close the question with the reason:\n\n%(link)s\n\nFurther questions about "
            "%(lao)s within the next hour are not e-mailed: they are in your list of questions."
            "\n\n%(queue)s"
        )
        % {
            "lao": lao.full_name_th,
            "deadline": format_date(question.deadline),
            "link": _link("benchmarks:question", question.pk),
            "queue": settings.PORTAL_BASE_URL + reverse("benchmarks:questions"),
        },
        to=_recipients(lao=lao, officers=True),
    )


def _lock_question(question: FigureQuestion, *, version: int) -> FigureQuestion:
    current = FigureQuestion.objects.select_for_update().select_related("lao").get(pk=question.pk)
    if current.version != version:
        raise _stale(_("question"))
    return current


def _question_step(
    *, question: FigureQuestion, user: User, version: int, status: str, note: str, empty: str,
    field: str, allowed_from: set[str]
) -> FigureQuestion:  # fmt: skip
    if not access.can_edit_lao(user, question.lao):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError({field: empty})
    question = _lock_question(question, version=version)
    if question.status not in allowed_from:
        raise ValidationError(_("This question is already settled."), code="settled")
    question.status = status
    question.answer = note
    question.answered_by, question.answered_at = user, timezone.now()
    question.version = F("version") + 1
    question.save()
    QuestionEvent.objects.create(question=question, status=status, note=note, by=user)
    data_stamps.bump(lao_stamp(STAMP, question.lao.url_code), question_stamp(question.pk))
    question.refresh_from_db()
    return question


@transaction.atomic
def question_answer(
    *, question: FigureQuestion, user: User, version: int, answer: str
) -> FigureQuestion:
    """The LAO's officers or its provincial staff answer an open question publicly; it may
    still be corrected or closed afterwards."""
    return _question_step(
        question=question,
        user=user,
        version=version,
        status=QuestionStatus.ANSWERED,
        note=answer,
        empty=_("Write the answer."),
        field="answer",
        allowed_from={QuestionStatus.OPEN},
    )


@transaction.atomic
def question_correct(
    *, question: FigureQuestion, user: User, version: int, note: str
) -> FigureQuestion:
    """The figure was wrong and has been corrected: the note says what was corrected. Final."""
    return _question_step(
        question=question,
        user=user,
        version=version,
        status=QuestionStatus.CORRECTED,
        note=note,
        empty=_("Say what was corrected."),
        field="note",
        allowed_from=QUESTION_OPEN_STEPS,
    )


@transaction.atomic
def question_close(
    *, question: FigureQuestion, user: User, version: int, reason: str
) -> FigureQuestion:
    """The figure stands: the question is closed without change, with the reason. Final."""
    return _question_step(
        question=question,
        user=user,
        version=version,
        status=QuestionStatus.CLOSED,
        note=reason,
        empty=_("Say why the figure stands."),
        field="reason",
        allowed_from=QUESTION_OPEN_STEPS,
    )


def can_hide_question(user: User, lao: LAO) -> bool:
    """May `user` hide a question about this LAO's figures? Its provincial staff and
    administrators; not its officers, who must not take a question about their own figures off
    the public pages. No query."""
    if access.is_admin(user):
        return True
    return user.is_authenticated and user.role == Role.PROVINCIAL and access.can_edit_lao(user, lao)


@transaction.atomic
def question_hide(
    *, question: FigureQuestion, user: User, version: int, reason: str
) -> FigureQuestion:
    """The LAO's provincial staff (or DLA) take a question off the public pages, whatever its
    status, with a category of reason (HideReason): its page then shows that it was hidden and
    why, but neither its text nor the figure named in words; those who answer for the LAO still
    read them. Recorded in the history; final."""
    if not can_hide_question(user, question.lao):
        raise PermissionDenied
    if reason not in HideReason.values:
        raise ValidationError({"reason": _("Choose why the question is hidden.")})
    question = _lock_question(question, version=version)
    if question.status == QuestionStatus.HIDDEN:
        raise ValidationError(_("This question is already hidden."), code="hidden")
    question.status = QuestionStatus.HIDDEN
    question.hidden_reason = reason
    question.version = F("version") + 1
    question.save(update_fields=["status", "hidden_reason", "version"])
    QuestionEvent.objects.create(question=question, status=QuestionStatus.HIDDEN, by=user)
    data_stamps.bump(lao_stamp(STAMP, question.lao.url_code), question_stamp(question.pk))
    question.refresh_from_db()
    return question


# --- Questions: selectors ---------------------------------------------------------------------


def question_figure_label(question: FigureQuestion, *, asker_words: bool = True) -> str:
    """What the question is about, in words: "<indicator> · fiscal year <year>" or the figure
    named by the asker; without `asker_words` (a hidden question seen by the public) a
    placeholder instead of the latter. Uses the question's indicator (select it with the
    question)."""
    if question.indicator_id:
        return _("%(indicator)s · fiscal year %(year)s") % {
            "indicator": question.indicator.name,
            "year": question.fiscal_year,
        }
    return question.figure if asker_words else _("A figure named by the asker (hidden)")


def question_public(*, pk: int) -> FigureQuestion:
    """A question with its LAO, province and indicator (its public page and its steps); 404
    when missing. The contact is loaded too: the page shows it only to those who answer."""
    try:
        return FigureQuestion.objects.select_related("lao", "lao__province", "indicator").get(pk=pk)
    except FigureQuestion.DoesNotExist:
        raise Http404("No question has this number.") from None


def question_for_step(*, user: User, pk: int) -> FigureQuestion:
    """The question a step is taken on (`units.views.workflow`): any question; the step itself
    checks who may take it."""
    return question_public(pk=pk)


@dataclass(frozen=True)
class PublicEvent:
    """One entry of a question's public history: what happened, when, the note, and who in
    words that name no person (the LAO, its provincial office, DLA)."""

    at: datetime.datetime
    status: str
    note: str
    speaker: str

    @property
    def status_label(self) -> str:
        return str(QuestionStatus(self.status).label)


def question_history(*, question: FigureQuestion) -> list[PublicEvent]:
    """The question's public history, oldest first: each step with the LAO's name for its
    officers, "provincial office" for provincial staff, "DLA" for administrators, and nothing
    for the asker; the hiding step with its category of reason as its note. One query (only the
    role of whoever took the step is read)."""
    events = question.events.order_by("at", "pk").values_list("at", "status", "note", "by__role")
    speakers = {
        Role.OFFICER: question.lao.full_name_th,
        Role.PROVINCIAL: _("Provincial office of %(province)s")
        % {"province": question.lao.province.name_th},
        Role.ADMIN: _("Department of Local Administration"),
    }
    hidden_because = str(HideReason(question.hidden_reason).label) if question.hidden_reason else ""
    return [
        PublicEvent(
            at=at,
            status=status,
            note=hidden_because if status == QuestionStatus.HIDDEN else note,
            speaker=speakers.get(role, "") if role else "",
        )
        for at, status, note, role in events
    ]


def questions_queue(*, user: User) -> QuerySet[FigureQuestion]:
    """Questions about the LAOs the user manages (an officer's LAO, a provincial office's
    province, every LAO for administrators): open ones first by deadline, then the settled ones
    newest first; with LAO and indicator."""
    open_first = Case(
        When(status=QuestionStatus.OPEN, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        FigureQuestion.objects.filter(lao__in=access.laos_managed_by(user))
        .select_related("lao", "indicator")
        .annotate(open_first=open_first)
        .order_by("open_first", "deadline", "-created_at", "-pk")
    )


def mark_overdue(questions, *, today: datetime.date) -> None:
    """Set `overdue` on each question: still open after its deadline."""
    for question in questions:
        question.overdue = question.status == QuestionStatus.OPEN and question.deadline < today


def open_questions(*, lao_id: int) -> list[FigureQuestion]:
    """The LAO's open questions for its public pages, earliest deadline first, with the
    indicator; the contact is not loaded. One query."""
    return list(
        FigureQuestion.objects.filter(lao_id=lao_id, status=QuestionStatus.OPEN)
        .select_related("indicator")
        .defer("contact")
        .order_by("deadline", "pk")
    )
