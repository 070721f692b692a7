"""The webboard's pages: parse, call a selector or a service, render. Writes refused by a
service come back as form errors with the typed text kept."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import rules, selectors, services
from forums.feeds import BoardFeed
from forums.forms import (
    EditForm,
    FlagForm,
    ModerationForm,
    MoveForm,
    ReplyForm,
    SearchForm,
    ThreadForm,
)
from forums.models import ModerationAction
from forums.pagestamps import BOARDS, INDEX, SEARCH, board_stamp, project_stamp, thread_stamp
from forums.rules import quote_markdown
from units import access
from units.limits import request_keys
from units.pagecache import cached_for_visitors
from units.stamps import lao_stamp


def _attempt(form, write):
    """Run a service; a refusal becomes the form's error (the typed text stays in the form)."""
    try:
        return write()
    except ValidationError as error:
        form.add_error(None, error)
        return None


# The index shows every listed board's counts and latest post: one stamp that only writes to
# the listed boards move (a stamp per board would cost a query to list the boards on every hit).
@cached_for_visitors(stamps=lambda request: [INDEX])
def index(request):
    """The boards, with new posts marked, and the search box."""
    return render(
        request,
        "forums/index.html",
        {
            "boards": selectors.boards_index(user=request.user),
            "search_form": SearchForm(),
            "sees_unanswered": access.has_work_page(request.user),
            "moderates": access.is_forum_moderator(request.user),
        },
    )


@cached_for_visitors(stamps=lambda request, slug: [BOARDS, board_stamp(slug)], params=("page",))
def board(request, slug):
    """A board's threads, pinned first then latest post first, unread ones marked."""
    board = selectors.board_by_slug(slug=slug)
    page_obj = selectors.board_page(board=board, user=request.user, page=request.GET.get("page"))
    services.board_visit(board=board, user=request.user)
    return render(request, "forums/board.html", {"board": board, "page_obj": page_obj})


@cached_for_visitors(stamps=lambda request, slug: [BOARDS, board_stamp(slug)])
def board_feed(request, slug):
    """The board's Atom feed: its newest threads with their opening posts."""
    return BoardFeed()(request, slug=slug)


@require_POST
@login_required
def board_read(request, slug):
    board = selectors.board_by_slug(slug=slug)
    services.board_visit(board=board, user=request.user, all_read=True)
    messages.success(request, _("All threads of this board are marked read."))
    return redirect(board)


@cached_for_visitors(stamps=lambda request, code: [lao_stamp("forums", code)])
def lao_board(request, code):
    """The board of questions to an active LAO (reached from its profile). Until its first
    question the board does not exist: the empty page is shown from the LAO, writing nothing."""
    lao = selectors.lao_by_code(code=code)
    board = selectors.lao_board(lao=lao)
    if board.pk is not None:
        return redirect(board)
    page_obj = Paginator([], rules.THREADS_PER_PAGE).get_page(1)
    return render(request, "forums/board.html", {"board": board, "page_obj": page_obj})


@login_required
def thread_new(request, slug):
    """Start a thread on a board; `?project=` makes it about a project of the board's LAO."""
    return _thread_new(request, selectors.board_by_slug(slug=slug))


@login_required
def lao_thread_new(request, code):
    """Ask an active LAO a question; its board is made with the first question."""
    lao = selectors.lao_by_code(code=code)
    return _thread_new(request, selectors.lao_board(lao=lao))


def _thread_new(request, board):
    project = _project_of(request, board)
    form = ThreadForm(request.POST or None)
    if form.is_valid():
        thread = _attempt(
            form,
            lambda: services.thread_create(
                board=board,
                user=request.user,
                project=project,
                keys=request_keys(request),
                **form.cleaned_data,
            ),
        )
        if thread:
            return redirect(thread)
    context = {"board": board, "form": form, "project": project}
    return render(request, "forums/thread_new.html", context)


def _project_of(request, board):
    raw = request.GET.get("project") or request.POST.get("project")
    if not raw or not raw.isdigit():
        return None
    project = selectors.project_by_pk(pk=int(raw))
    if board.lao_id is not None and project.lao_id != board.lao_id:
        raise Http404("The project belongs to another LAO.")
    return project


@cached_for_visitors(stamps=lambda request, pk: [project_stamp(pk)])
def project_threads(request, pk):
    """'Discuss this' of a project: its threads, and a link to ask its LAO about it."""
    project = selectors.project_by_pk(pk=pk)
    threads = selectors.project_threads(project=project, user=request.user)
    context = {"project": project, "threads": threads}
    return render(request, "forums/project_threads.html", context)


@cached_for_visitors(stamps=lambda request, pk: [BOARDS, thread_stamp(pk)], params=("page",))
def thread(request, pk):
    """A page of a thread's posts, the reply form, follow and moderation buttons."""
    thread = selectors.thread_for_reading(pk=pk, user=request.user)
    page_obj = selectors.thread_page(thread=thread, user=request.user, page=request.GET.get("page"))
    services.thread_mark_read(thread=thread, user=request.user)
    return render(request, "forums/thread.html", _thread_context(request, thread, page_obj))


def _thread_context(request, thread, page_obj, form=None):
    can_answer = bool(thread.lao and access.can_answer_for_lao(request.user, thread.lao))
    return {
        "thread": thread,
        "page_obj": page_obj,
        "form": form or ReplyForm(can_answer=can_answer),
        "can_post": access.can_post_in_forums(request.user),
        "moderates": access.is_forum_moderator(request.user),
        "following": selectors.is_following(user=request.user, thread=thread),
    }


@login_required
def reply(request, pk):
    """Post a reply (GET with `?quote=` opens the form with the quoted post)."""
    thread = selectors.thread_for_reading(pk=pk, user=request.user)
    can_answer = bool(thread.lao and access.can_answer_for_lao(request.user, thread.lao))
    form = ReplyForm(request.POST or None, can_answer=can_answer, initial=_quoted(request, thread))
    if form.is_valid():
        post = _attempt(form, lambda: services.post_reply(
            thread=thread, user=request.user, body=form.cleaned_data["body"],
            quote=_quote_post(request, thread, form.cleaned_data.get("quote")),
            official=form.cleaned_data.get("official", False), keys=request_keys(request),
        ))  # fmt: skip
        if post:
            return redirect(post)
    page_obj = selectors.thread_page(thread=thread, user=request.user, page="last")
    return render(request, "forums/thread.html", _thread_context(request, thread, page_obj, form))


def _quote_post(request, thread, pk):
    return selectors.post_for_user(pk=pk, user=request.user) if pk else None


def _quoted(request, thread) -> dict:
    raw = request.GET.get("quote")
    if not raw or not raw.isdigit():
        return {}
    post = selectors.post_for_user(pk=int(raw), user=request.user)
    if post.thread_id != thread.pk:
        raise Http404("That post is in another thread.")
    return {
        "quote": post.pk,
        "body": quote_markdown(author=post.author.get_username(), body=post.body),
    }


@login_required
def post_edit(request, pk):
    """The author edits their post within the edit window; earlier texts are kept."""
    post = selectors.post_for_user(pk=pk, user=request.user)
    if post.author_id != request.user.pk:
        raise Http404("Not your post.")
    form = EditForm(request.POST or None, initial={"body": post.body})
    if form.is_valid():
        if _attempt(
            form, lambda: services.post_edit(post=post, user=request.user, **form.cleaned_data)
        ):
            messages.success(request, _("Your post is changed; the earlier text is kept."))
            return redirect(post)
    context = {"post": post, "form": form, "revisions": selectors.post_revisions(post=post)}
    return render(request, "forums/post_edit.html", context)


@login_required
def post_flag(request, pk):
    """Flag a post for the moderators, with a reason."""
    post = selectors.post_for_user(pk=pk, user=request.user)
    form = FlagForm(request.POST or None)
    if form.is_valid():
        if _attempt(
            form,
            lambda: services.post_flag(
                post=post, user=request.user, keys=request_keys(request), **form.cleaned_data
            ),
        ):
            messages.success(request, _("Thank you: the moderators will look at this post."))
            return redirect(post)
    return render(request, "forums/post_flag.html", {"post": post, "form": form})


POST_ACTIONS = {"hide": services.post_hide, "restore": services.post_restore}


@access.forum_moderator_required
def post_moderate(request, pk, action):
    """Hide (or confirm the hiding of) or restore a post, with a reason for the log."""
    if action not in POST_ACTIONS:
        raise Http404("No such action.")
    post = selectors.post_for_user(pk=pk, user=request.user)
    form = ModerationForm(request.POST or None)
    if form.is_valid():
        POST_ACTIONS[action](post=post, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Done; the step is in the moderation log."))
        return redirect(request.POST.get("next") == "queue" and "forums:queue" or post)
    context = {"post": post, "form": form, "action": action}
    return render(request, "forums/moderate.html", context)


@access.forum_moderator_required
def thread_moderate(request, pk, action):
    """Lock, unlock, pin or unpin a thread, with a reason for the log."""
    if action not in services.THREAD_SWITCHES:
        raise Http404("No such action.")
    thread = selectors.thread_for_reading(pk=pk, user=request.user)
    form = ModerationForm(request.POST or None)
    if form.is_valid():
        services.thread_moderate(
            thread=thread, user=request.user, action=action, **form.cleaned_data
        )
        messages.success(request, _("Done; the step is in the moderation log."))
        return redirect(thread)
    label = ModerationAction(action).label
    context = {"thread": thread, "form": form, "action": action, "label": label}
    return render(request, "forums/moderate.html", context)


@access.forum_moderator_required
def thread_move(request, pk):
    """Move a thread to another board, with a reason for the log."""
    thread = selectors.thread_for_reading(pk=pk, user=request.user)
    form = MoveForm(request.POST or None, boards=selectors.boards_for_move(exclude=thread.board))
    if form.is_valid():
        if _attempt(
            form,
            lambda: services.thread_move(thread=thread, user=request.user, **form.cleaned_data),
        ):
            messages.success(request, _("The thread is moved; the step is in the moderation log."))
            return redirect(thread)
    context = {"thread": thread, "form": form, "action": "move"}
    return render(request, "forums/moderate.html", context)


@access.forum_moderator_required
def queue(request):
    """Posts hidden by flags or flagged, and the latest moderation steps."""
    context = {"posts": selectors.moderation_queue()[:100], "log": selectors.moderation_log()}
    return render(request, "forums/queue.html", context)


@access.back_office_required
def unanswered(request):
    """Questions to the user's LAOs still without an official answer after the set days."""
    page_obj = Paginator(selectors.unanswered_questions(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    context = {"page_obj": page_obj, "days": settings.FORUMS_UNANSWERED_DAYS}
    return render(request, "forums/unanswered.html", context)


@cached_for_visitors(stamps=lambda request: [SEARCH], params=("q",))
def search(request):
    """Threads whose title or posts contain the words (Thai included)."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    threads = selectors.search_threads(query=query, user=request.user) if query else None
    context = {"search_form": form, "query": query, "threads": threads}
    return render(request, "forums/search.html", context)


@login_required
def following(request):
    """Followed threads and the forum notifications, newest first."""
    page_obj = Paginator(selectors.notifications_of(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    context = {"follows": selectors.follows_of(user=request.user), "page_obj": page_obj}
    return render(request, "forums/following.html", context)


@require_POST
@login_required
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("forums:following")


@require_POST
@login_required
def thread_follow(request, pk):
    thread = selectors.thread_for_reading(pk=pk, user=request.user)
    follow = request.POST.get("action") != "unfollow"
    services.thread_follow(thread=thread, user=request.user, follow=follow)
    messages.success(
        request, _("You follow this thread.") if follow else _("You no longer follow this thread.")
    )
    return redirect(thread)
