"""Who may change what: the one module that answers every scope question.

- officers change their own LAO;
- provincial staff change the LAOs of their province (and upload workbooks for them);
- administrators change every LAO;
- provincial staff of an LAO's province and administrators accept or return its submitted plans
  and reports (`can_review`), but not those they submitted themselves (`is_submitter`);
- executives and administrators read everything in the back office (`reads_all`); executives
  write nothing; editors publish content but do not change LAO data; citizens change nothing here.

Pages offer a link only where these rules let the user open it (e.g. `reads_report_status` for
the list of LAOs missing their report, `has_work_page` for "My work").

Views that write call `lao_for_user`, which answers 404 both for a missing LAO and for one out of
scope, so the portal never confirms that an LAO it will not let you touch exists behind a URL.
Whole views are guarded by `back_office_required`, `reviewer_required` and `uploader_required`.
"""

from collections.abc import Callable
from functools import wraps
from typing import Protocol

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from units.models import LAO, Province, Role, User

BACK_OFFICE_ROLES = {Role.OFFICER, Role.PROVINCIAL, Role.EXECUTIVE, Role.EDITOR, Role.ADMIN}


def is_admin(user: User) -> bool:
    """True for an active administrator (the admin role or a superuser)."""
    return (
        user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.ADMIN)
    )


def laos_managed_by(user: User) -> QuerySet[LAO]:
    """The LAOs whose data `user` may change (an empty queryset for read-only roles)."""
    if not (user.is_authenticated and user.is_active):
        return LAO.objects.none()
    if is_admin(user):
        return LAO.objects.all()
    if user.role == Role.OFFICER and user.lao_id:
        return LAO.objects.filter(pk=user.lao_id)
    if user.role == Role.PROVINCIAL and user.province_id:
        return LAO.objects.filter(province_id=user.province_id)
    return LAO.objects.none()


def provinces_managed_by(user: User) -> QuerySet[Province]:
    """Provinces for which `user` uploads workbooks: their own, or all for administrators."""
    if is_admin(user):
        return Province.objects.all()
    if user.is_authenticated and user.is_active and user.role == Role.PROVINCIAL:
        return Province.objects.filter(pk=user.province_id)
    return Province.objects.none()


def can_edit_lao(user: User, lao: LAO) -> bool:
    """May `user` change this LAO's data?"""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_admin(user):
        return True
    if user.role == Role.OFFICER:
        return user.lao_id == lao.pk
    if user.role == Role.PROVINCIAL:
        return user.province_id is not None and user.province_id == lao.province_id
    return False


def can_upload(user: User) -> bool:
    """May `user` upload workbooks that change many LAOs (provincial staff, administrators)?"""
    return provinces_managed_by(user).exists() if user.is_authenticated else False


def can_view_back_office(user: User) -> bool:
    """Staff pages (history, uploads, review queues) are for the back-office roles."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in BACK_OFFICE_ROLES)
    )


def reads_all(user: User) -> bool:
    """True for active executives and administrators: they read every LAO's back-office data
    (plans of any status, projects, progress reports); False for everyone else, and for a
    deactivated account whatever its role."""
    return bool(
        user.is_authenticated and user.is_active and (is_admin(user) or user.role == Role.EXECUTIVE)
    )


def can_see_unpublished_plans(user: User, lao: LAO) -> bool:
    """May `user` see this LAO's plans that are not public yet (drafts, submitted, returned)?
    True for those who prepare or review them (its officers, the staff of its province,
    administrators) and for executives (`reads_all`); other back-office users (officers of other
    LAOs, editors) see its enacted plans only, like everyone. No query."""
    return reads_all(user) or can_edit_lao(user, lao)


def can_review(user: User, lao: LAO) -> bool:
    """May `user` accept (enact) or return this LAO's submitted plans and progress reports? True
    for the provincial staff of its province and for administrators. One query (none for
    anonymous visitors). Whoever submitted the item may still not review it: see
    `is_submitter`."""
    return provinces_managed_by(user).filter(pk=lao.province_id).exists()


def can_explain(user: User, lao: LAO) -> bool:
    """May `user` write "the LAO says" beside this LAO's indicator values, and withdraw it while
    it waits? Its officers and administrators; not its provincial staff, who approve or return
    what the LAO writes (`can_review`), so that no one publishes an explanation alone. No
    query."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_admin(user):
        return True
    return user.role == Role.OFFICER and user.lao_id == lao.pk


def reviews_any_province(user: User) -> bool:
    """Does `user` review the submitted plans and reports of some province (provincial staff,
    administrators)? One query (none for anonymous visitors)."""
    return provinces_managed_by(user).exists()


def reads_report_status(user: User) -> bool:
    """May `user` read which LAOs have not sent a quarter's progress report (the missing list
    and its downloads)? Executives and administrators (every province) and provincial staff
    (theirs); not officers, who see their own LAO's quarters instead, nor editors. One query for
    provincial staff, none otherwise."""
    return reads_all(user) or reviews_any_province(user)


def provinces_read_by(user: User) -> QuerySet[Province]:
    """Provinces whose back-office status pages (data completeness and its reminder list)
    `user` may read: every province for executives and administrators, their own for
    provincial staff, none for anyone else."""
    if reads_all(user):
        return Province.objects.all()
    return provinces_managed_by(user)


def has_work_page(user: User) -> bool:
    """Does `user` have a work page ("My work")? Officers of an LAO (their plans, reports and
    projects), provincial staff and administrators (what waits for their review). No query:
    the header asks it on every page."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_admin(user):
        return True
    if user.role == Role.OFFICER:
        return user.lao_id is not None
    if user.role == Role.PROVINCIAL:
        return user.province_id is not None
    return False


def can_edit_protected_wiki(user: User) -> bool:
    """May `user` change protected wiki pages, and protect or unprotect pages? Active editors
    and administrators. No query."""
    return bool(
        user.is_authenticated and user.is_active and (is_admin(user) or user.role == Role.EDITOR)
    )


def can_edit_wiki(user: User, page=None) -> bool:
    """May `user` write this wiki page (or, without a page, create pages)? Any registered user
    whose account is active; a protected page only editors (`can_edit_protected_wiki`). No
    query."""
    if not (user.is_authenticated and user.is_active):
        return False
    return not getattr(page, "protected", False) or can_edit_protected_wiki(user)


def is_knowledge_editor(user: User) -> bool:
    """May `user` publish documents of the knowledge base, and publish or return the good
    practices LAOs propose? Active editors and administrators. No query."""
    return bool(
        user.is_authenticated and user.is_active and (is_admin(user) or user.role == Role.EDITOR)
    )


def can_propose_good_practice(user: User, lao: LAO) -> bool:
    """May `user` propose (and revise) a good practice of this LAO? Its own active officers and
    administrators. No query."""
    if not (user.is_authenticated and user.is_active):
        return False
    return is_admin(user) or (user.role == Role.OFFICER and user.lao_id == lao.pk)


def can_post_in_forums(user: User) -> bool:
    """May `user` start threads, reply, flag and follow on the webboard? Any active account
    (citizens sign up with a confirmed e-mail address). No query."""
    return bool(user.is_authenticated and user.is_active)


def is_forum_moderator(user: User) -> bool:
    """May `user` hide, restore, lock, pin and move on the webboard? Active administrators and
    editors (the DLA's content staff), and staff accounts given the `forums.moderate_board`
    permission in the admin. No query for anyone else."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_admin(user) or user.role == Role.EDITOR:
        return True
    return user.is_staff and user.has_perm("forums.moderate_board")


def can_answer_for_lao(user: User, lao: LAO) -> bool:
    """May `user` answer a question to this LAO officially, as the LAO's answer? Only its own
    active officers: not provincial staff, nor administrators, nor another LAO's officers. No
    query."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.OFFICER
        and user.lao_id is not None
        and user.lao_id == lao.pk
    )


class Submission(Protocol):
    """A plan or report that went through the submit step."""

    submitted_by_id: int | None


def is_submitter(user: User, submission: Submission) -> bool:
    """True when `user` submitted this plan or report. Its submitter may not accept or return it
    even where `can_review` allows: no one carries an item from submission to acceptance alone
    (four eyes)."""
    return submission.submitted_by_id is not None and submission.submitted_by_id == user.pk


def lao_for_user(user: User, url_code: str, *, queryset: QuerySet[LAO] | None = None) -> LAO:
    """The LAO with this URL code (its DLA code, or `bangkok`) if `user` may change it; 404 when
    missing *or* out of scope. `queryset` may add select_related/only for the caller's page."""
    managed = laos_managed_by(user)
    if queryset is not None:
        managed = queryset & managed
    try:
        return managed.by_url_code(url_code).get()
    except LAO.DoesNotExist:
        raise Http404("No LAO in your scope has this code.") from None


def lao_for_writer(user: User, url_code: str | None) -> LAO:
    """The LAO a new plan, project or report is for: an officer's own LAO (whatever `url_code`
    says), for provincial staff and administrators the LAO `url_code` names if they may change it
    (`lao_for_user`); 404 otherwise. One query."""
    if getattr(user, "lao_id", None):
        lao = laos_managed_by(user).filter(pk=user.lao_id).first()
        if lao is None:
            raise Http404("Choose an LAO you manage.")
        return lao
    return lao_for_user(user, url_code or "")


def lao_codes_in_scope(user: User) -> dict[str, int]:
    """DLA code → LAO id of every LAO `user` may change: one query, for per-row upload checks."""
    return dict(laos_managed_by(user).exclude(dla_code=None).values_list("dla_code", "pk"))


def _guarded(view: Callable, allowed: Callable[[User], bool], refusal: type[Exception]) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not allowed(request.user):
            raise refusal
        return view(request, *args, **kwargs)

    return wrapper


def back_office_required(view: Callable) -> Callable:
    """The view for back-office users (`can_view_back_office`): anonymous visitors are sent to
    the login page, other signed-in users (citizens) get a 404, so a staff page is not confirmed
    to exist."""
    return _guarded(view, can_view_back_office, Http404)


def reviewer_required(view: Callable) -> Callable:
    """The view for those who review submitted plans and reports (`reviews_any_province`):
    anonymous visitors are sent to the login page, other signed-in users get a 404."""
    return _guarded(view, reviews_any_province, Http404)


def uploader_required(view: Callable) -> Callable:
    """The view for those who upload workbooks (`can_upload`): anonymous visitors are sent to the
    login page, other signed-in users get a 403."""
    return _guarded(view, can_upload, PermissionDenied)


def forum_moderator_required(view: Callable) -> Callable:
    """The view for webboard moderators (`is_forum_moderator`): anonymous visitors are sent to
    the login page, other signed-in users get a 404."""
    return _guarded(view, is_forum_moderator, Http404)
