"""Every write of the webboard: keyword-only and atomic. Scope is checked here through
units.access, so a view, a command or a test cannot bypass it; a refused write raises
ValidationError (a rule broken, with a message for the form) or PermissionDenied (not allowed
at all). A write that changes what visitors see moves the stamps of the pages it changes
(`pagestamps.thread_stamps`) in one `bump`, its last statement, so the cached pages are renewed
on the next visit; read marks, follows and notifications are per user and move none."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from forums import rules, selectors
from forums.models import (
    Board,
    BoardRead,
    Flag,
    ForumNotification,
    ModerationAction,
    ModerationLog,
    Post,
    PostRevision,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from forums.pagestamps import service_write, thread_stamps
from units import access, limits, stamps
from units.mail import send_email_on_commit
from units.markdown import render_markdown
from units.models import LAO, User


def _refuse(violation: rules.Violation) -> None:
    raise ValidationError(violation.message, code=violation.code)


def _check_links(user: User, body: str, now: datetime) -> None:
    violation = rules.link_violation(
        body,
        joined=user.date_joined,
        now=now,
        new_days=settings.FORUMS_NEW_ACCOUNT_DAYS,
        new_links=settings.FORUMS_NEW_ACCOUNT_LINKS,
    )
    if violation:
        _refuse(violation)


def _check_can_post(user: User, body: str, keys: list[str] | None) -> None:
    if not access.can_post_in_forums(user):
        raise PermissionDenied
    now = timezone.now()
    _check_links(user, body, now)
    window = settings.FORUMS_POST_WINDOW_MINUTES
    if not limits.attempt_allowed(
        "forums.post",
        keys=keys or [f"user:{user.pk}"],
        limit=settings.FORUMS_POST_LIMIT,
        window=timedelta(minutes=window),
    ):
        raise ValidationError(
            _(
                "You have posted a lot in a short time. Please wait %(minutes)d minutes and "
                "post again; your text is kept below."
            )
            % {"minutes": window},
            code="rate_limit",
        )


def lao_board(*, lao: LAO) -> Board:
    """The board of questions to `lao`, made with the first question put to it (pages show the
    unsaved `selectors.lao_board` until then, so no visit writes). Refused for an LAO that has
    left the registry."""
    if not lao.is_active:
        raise ValidationError(
            _("This LAO is no longer in the registry; it takes no new questions."),
            code="inactive",
        )
    unsaved = selectors.unsaved_lao_board(lao=lao)
    board, _created = Board.objects.get_or_create(
        lao=lao,
        defaults={
            "slug": unsaved.slug,
            "kind": unsaved.kind,
            "name": unsaved.name,
            "position": unsaved.position,
        },
    )
    return board


def _new_post(*, thread: Thread, number: int, user: User, body: str, **fields) -> Post:
    return Post.objects.create(
        thread=thread,
        number=number,
        author=user,
        author_lao_id=user.lao_id if user.role == "officer" else None,
        body=body,
        body_html=render_markdown(body),
        **fields,
    )


@service_write
def thread_create(
    *,
    board: Board,
    user: User,
    title: str,
    body: str,
    project=None,
    keys: list[str] | None = None,
) -> Thread:
    """Start a thread (its opening post is post 1) and follow it. A thread of an LAO's board is
    a question to that LAO (an unsaved board from `selectors.lao_board` is made now, with its
    first question); a thread may also be about a project (and then its LAO). The title is kept
    on one line (`rules.one_line`)."""
    _check_can_post(user, body, keys)
    title = rules.one_line(title)
    if not title:
        raise ValidationError(_("The thread needs a title."), code="title")
    if board.pk is None:
        board = lao_board(lao=board.lao)
    lao = board.lao if board.lao_id else (project.lao if project is not None else None)
    thread = Thread.objects.create(board=board, title=title, author=user, lao=lao, project=project)
    thread.refresh_from_db(fields=["created_at", "last_post_at"])
    _new_post(thread=thread, number=1, user=user, body=body)
    Board.objects.filter(pk=board.pk).update(
        thread_count=F("thread_count") + 1,
        post_count=F("post_count") + 1,
        last_post_at=thread.last_post_at,
    )
    ThreadFollow.objects.get_or_create(user=user, thread=thread)
    stamps.bump(*thread_stamps(thread, board=board))
    return thread


@service_write
def post_reply(
    *,
    thread: Thread,
    user: User,
    body: str,
    quote: Post | None = None,
    official: bool = False,
    keys: list[str] | None = None,
) -> Post:
    """Reply to a thread: refused in a locked or hidden thread; `official` (the LAO's answer)
    only for the officers of the LAO the thread is about, and it marks the question answered.
    Followers other than the author are notified on their page and by e-mail."""
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("lao", "board")
        .get(pk=thread.pk)
    )
    if thread.is_hidden:
        raise ValidationError(_("This thread is hidden; it takes no replies."), code="hidden")
    if thread.is_locked:
        raise ValidationError(_("This thread is locked; it takes no replies."), code="locked")
    if official and not (thread.lao and access.can_answer_for_lao(user, thread.lao)):
        raise PermissionDenied(_("Only the LAO's own officers answer for it."))
    if quote is not None:
        quote = Post.objects.get(pk=quote.pk)  # as it is now, not as the form saw it
    if quote is not None and (quote.thread_id != thread.pk or quote.is_hidden):
        raise ValidationError(_("That post cannot be quoted."), code="quote")
    _check_can_post(user, body, keys)
    number = thread.reply_count + 2
    post = _new_post(
        thread=thread, number=number, user=user, body=body, quote_of=quote, is_official=official
    )
    post.refresh_from_db(fields=["created_at"])
    thread_fields = {"reply_count": F("reply_count") + 1, "last_post_at": post.created_at}
    if official and thread.answered_at is None:
        thread_fields["answered_at"] = post.created_at
    Thread.objects.filter(pk=thread.pk).update(**thread_fields)
    Board.objects.filter(pk=thread.board_id).update(
        post_count=F("post_count") + 1,
        last_post_at=Greatest(F("last_post_at"), post.created_at),
    )
    ThreadFollow.objects.get_or_create(user=user, thread=thread)
    _notify_followers(thread=thread, post=post, author=user)
    stamps.bump(*thread_stamps(thread))
    return post


def _notify_followers(*, thread: Thread, post: Post, author: User) -> int:
    followers = list(
        User.objects.filter(forum_follows__thread=thread, is_active=True)
        .exclude(pk=author.pk)
        .only("pk", "email")
    )
    if not followers:
        return 0
    if post.is_official:
        message = _("%(lao)s answered “%(title)s”") % {"lao": thread.lao, "title": thread.title}
    else:
        message = _("%(author)s replied in “%(title)s”") % {
            "author": author.get_username(),
            "title": thread.title,
        }
    message = Truncator(rules.one_line(message)).chars(500)
    ForumNotification.objects.bulk_create(
        ForumNotification(user=follower, post=post, message=message) for follower in followers
    )
    body = "\n\n".join(
        [
            message,
            Truncator(post.body).chars(1000),
            _("Read it on LAO Portal: %(url)s")
            % {"url": settings.PORTAL_BASE_URL + post.get_absolute_url()},
            _("You receive this because you follow the thread. Stop following it on its page."),
        ]
    )
    # The subject is built from one line (titles written before titles were kept on one line may
    # hold line breaks, which Django refuses in a header) and kept short.
    subject = Truncator(message).chars(150)
    send_email_on_commit(subject=subject, body=body, to=[follower.email for follower in followers])
    return len(followers)


@service_write
def post_edit(*, post: Post, user: User, body: str) -> Post:
    """The author changes their post within the edit window; the earlier text is kept as a
    revision. Hidden posts and posts of locked or hidden threads are not edited."""
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread", "thread__board", "thread__lao")
        .get(pk=post.pk)
    )
    if post.author_id != user.pk or not access.can_post_in_forums(user):
        raise PermissionDenied
    if post.is_hidden or post.thread.is_hidden:
        raise ValidationError(_("A hidden post cannot be edited."), code="hidden")
    if post.thread.is_locked:
        raise ValidationError(
            _("This thread is locked; its posts cannot be edited."), code="locked"
        )
    now = timezone.now()
    violation = rules.edit_violation(
        created_at=post.created_at, now=now, window_minutes=settings.FORUMS_EDIT_WINDOW_MINUTES
    )
    if violation:
        _refuse(violation)
    _check_links(user, body, now)
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body, edited_by=user)
    post.body, post.body_html, post.edited_at = body, render_markdown(body), now
    post.save(update_fields=["body", "body_html", "edited_at"])
    stamps.bump(*thread_stamps(post.thread))
    return post


# --- flags and moderation ---------------------------------------------------------------------


def _log(*, moderator, action, thread_id, post_id=None, reason, detail="") -> None:
    ModerationLog.objects.create(
        moderator=moderator,
        action=action,
        thread_id=thread_id,
        post_id=post_id,
        reason=Truncator(reason).chars(500),
        detail=detail,
    )


def _set_post_hidden(post: Post, hidden: bool, *, awaiting_review: bool = False) -> None:
    post.is_hidden, post.awaiting_review = hidden, awaiting_review
    post.save(update_fields=["is_hidden", "awaiting_review"])
    if post.number == 1 and post.thread.is_hidden != hidden:
        # The opening post carries its thread: hiding it takes the thread off the board.
        Thread.objects.filter(pk=post.thread_id).update(is_hidden=hidden)
        Board.objects.filter(pk=post.thread.board_id).update(
            thread_count=F("thread_count") + (-1 if hidden else 1)
        )


def _check_flag_limit(user: User, keys: list[str] | None) -> None:
    window = settings.FORUMS_FLAG_WINDOW_MINUTES
    if not limits.attempt_allowed(
        "forums.flag",
        keys=keys or [f"user:{user.pk}"],
        limit=settings.FORUMS_FLAG_LIMIT,
        window=timedelta(minutes=window),
    ):
        raise ValidationError(
            _(
                "You have flagged many posts in a short time. Please wait %(minutes)d minutes "
                "and flag again."
            )
            % {"minutes": window},
            code="rate_limit",
        )


def _is_back_office(user: User) -> bool:
    return bool(user.is_superuser or user.is_staff or user.role in access.BACK_OFFICE_ROLES)


@service_write
def post_flag(
    *, post: Post, user: User, reason: str, note: str = "", keys: list[str] | None = None
) -> Flag:
    """A signed-in user flags a post (once, within FORUMS_FLAG_LIMIT flags per
    FORUMS_FLAG_WINDOW_MINUTES per account and per address); the post joins the moderation
    queue. Flags from FORUMS_FLAGS_TO_HIDE different accounts at least
    FORUMS_FLAG_MIN_ACCOUNT_DAYS old hide it until a moderator reviews it, except where
    `rules.flags_may_hide` says only a moderator may (opening posts, official answers, posts of
    the back office)."""
    if not access.can_post_in_forums(user):
        raise PermissionDenied
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread", "thread__board", "thread__lao", "author")
        .get(pk=post.pk)
    )
    if post.author_id == user.pk:
        raise ValidationError(_("You cannot flag your own post."), code="own")
    if Flag.objects.filter(post=post, user=user).exists():
        raise ValidationError(_("You have already flagged this post."), code="twice")
    _check_flag_limit(user, keys)
    # The post's row lock serialises flags of the same post, so the check above holds.
    flag = Flag.objects.create(post=post, user=user, reason=reason, note=note)
    joined_before = timezone.now() - timedelta(days=settings.FORUMS_FLAG_MIN_ACCOUNT_DAYS)
    counts = Flag.objects.filter(post=post, resolved_at__isnull=True).aggregate(
        total=Count("pk"),
        counted=Count("pk", filter=Q(user__date_joined__lte=joined_before, user__is_active=True)),
    )
    post.flag_count = counts["total"]
    post.save(update_fields=["flag_count"])
    may_hide = rules.flags_may_hide(
        number=post.number,
        is_official=post.is_official,
        author_is_staff=_is_back_office(post.author),
    )
    if may_hide and not post.is_hidden and counts["counted"] >= settings.FORUMS_FLAGS_TO_HIDE:
        _set_post_hidden(post, True, awaiting_review=True)
        _log(
            moderator=None,
            action=ModerationAction.AUTO_HIDE,
            thread_id=post.thread_id,
            post_id=post.pk,
            reason=_("%(count)d flags from different users") % {"count": counts["counted"]},
        )
        # Only a hiding changes what visitors see: a flag alone reaches the moderators.
        stamps.bump(*thread_stamps(post.thread))
    return flag


def _check_moderator(user: User) -> None:
    if not access.is_forum_moderator(user):
        raise PermissionDenied


def _resolve_flags(post: Post) -> None:
    Flag.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=timezone.now())
    post.flag_count = 0
    post.save(update_fields=["flag_count"])


def _post_moderate(*, post: Post, user: User, hidden: bool, action: str, reason: str) -> Post:
    """Hide or show a post, resolve its open flags and log the step (inside the caller's
    transaction)."""
    _check_moderator(user)
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread", "thread__board", "thread__lao")
        .get(pk=post.pk)
    )
    _set_post_hidden(post, hidden)
    _resolve_flags(post)
    _log(
        moderator=user,
        action=action,
        thread_id=post.thread_id,
        post_id=post.pk,
        reason=reason,
    )
    stamps.bump(*thread_stamps(post.thread))
    return post


@service_write
def post_hide(*, post: Post, user: User, reason: str) -> Post:
    """A moderator hides a post (or confirms the hiding by flags); it stays in the database."""
    return _post_moderate(
        post=post, user=user, hidden=True, action=ModerationAction.HIDE, reason=reason
    )


@service_write
def post_restore(*, post: Post, user: User, reason: str) -> Post:
    """A moderator shows a hidden post again (or dismisses the flags of a flagged one)."""
    return _post_moderate(
        post=post, user=user, hidden=False, action=ModerationAction.RESTORE, reason=reason
    )


THREAD_SWITCHES = {
    ModerationAction.LOCK: ("is_locked", True),
    ModerationAction.UNLOCK: ("is_locked", False),
    ModerationAction.PIN: ("is_pinned", True),
    ModerationAction.UNPIN: ("is_pinned", False),
}


@service_write
def thread_moderate(*, thread: Thread, user: User, action: str, reason: str) -> Thread:
    """A moderator locks, unlocks, pins or unpins a thread, with a reason in the log."""
    _check_moderator(user)
    if action not in THREAD_SWITCHES:
        raise ValidationError(_("Unknown moderation action."), code="action")
    field, value = THREAD_SWITCHES[action]
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("board", "lao")
        .get(pk=thread.pk)
    )
    setattr(thread, field, value)
    thread.save(update_fields=[field])
    _log(moderator=user, action=action, thread_id=thread.pk, reason=reason)
    stamps.bump(*thread_stamps(thread))
    return thread


@service_write
def thread_move(*, thread: Thread, user: User, board: Board, reason: str) -> Thread:
    """A moderator moves a thread to another board; both boards' counts follow."""
    _check_moderator(user)
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("board", "lao")
        .get(pk=thread.pk)
    )
    old = thread.board
    if old.pk == board.pk:
        raise ValidationError(_("The thread is already on that board."), code="same")
    # Both boards' pages (and both LAOs' discussions, when it moves to an LAO's board) change.
    moved_from = thread_stamps(thread)
    posts = thread.reply_count + 1
    shown = 0 if thread.is_hidden else 1
    Board.objects.filter(pk=old.pk).update(
        thread_count=F("thread_count") - shown, post_count=F("post_count") - posts
    )
    Board.objects.filter(pk=board.pk).update(
        thread_count=F("thread_count") + shown,
        post_count=F("post_count") + posts,
        last_post_at=Greatest(F("last_post_at"), thread.last_post_at),
    )
    thread.board = board
    if board.lao_id:
        thread.lao = board.lao
    thread.save(update_fields=["board", "lao"])
    _log(
        moderator=user,
        action=ModerationAction.MOVE,
        thread_id=thread.pk,
        reason=reason,
        detail=f"{old.slug} → {board.slug}",
    )
    stamps.bump(*moved_from, *thread_stamps(thread, board=board))
    return thread


# --- follows, notifications, read marks -------------------------------------------------------


def thread_follow(*, thread: Thread, user: User, follow: bool = True) -> None:
    """Follow (or stop following) a thread."""
    if not access.can_post_in_forums(user):
        raise PermissionDenied
    if follow:
        ThreadFollow.objects.get_or_create(user=user, thread=thread)
    else:
        ThreadFollow.objects.filter(user=user, thread=thread).delete()


def notifications_mark_read(*, user: User) -> int:
    """Mark all of the user's forum notifications read; returns how many."""
    return ForumNotification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def thread_mark_read(*, thread: Thread, user: User) -> None:
    """Record that the user has read the thread up to now (one upsert)."""
    if user.is_authenticated:
        ThreadRead.objects.bulk_create(
            [ThreadRead(user=user, thread=thread, read_at=timezone.now())],
            update_conflicts=True,
            unique_fields=["user", "thread"],
            update_fields=["read_at"],
        )


def board_visit(*, board: Board, user: User, all_read: bool = False) -> None:
    """Record that the user has seen the board's list (and, with `all_read`, read every thread
    of it up to now). One upsert."""
    if not user.is_authenticated:
        return
    now = timezone.now()
    fields = ["visited_at", "all_read_at"] if all_read else ["visited_at"]
    BoardRead.objects.bulk_create(
        [BoardRead(user=user, board=board, visited_at=now, all_read_at=now if all_read else None)],
        update_conflicts=True,
        unique_fields=["user", "board"],
        update_fields=fields,
    )
