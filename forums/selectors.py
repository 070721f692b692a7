"""Page-level reads of the webboard. Boards and threads are paged on indexes: a board's threads
by (pinned, last post) with its kept thread count (no COUNT over 100,000 rows), a thread's posts
by their number range (no OFFSET at all)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from forums import rules
from forums.models import (
    Board,
    BoardKind,
    BoardRead,
    ForumNotification,
    ModerationLog,
    Post,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from units import access
from units.models import LAO, User
from units.search import normalize_query

MIN_SEARCH_LENGTH = 3  # trigram indexes need three characters (STACK.md)
SEARCH_RESULTS = 20
PROFILE_THREADS = 5

# Only what a list of threads shows: the opening posts' text stays out of the board page.
THREAD_LIST_FIELDS = (
    "id", "board_id", "title", "created_at", "last_post_at", "reply_count", "is_pinned",
    "is_locked", "answered_at", "lao_id", "is_demo", "author__username",
)  # fmt: skip


class CountedPaginator(Paginator):
    """A paginator told its count (kept by the services) instead of counting the rows."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def boards_index(*, user: User) -> list[Board]:
    """The listed boards in order, each with `unread`: a post came after the user last opened
    the board (False for anonymous visitors). One query."""
    boards = Board.objects.listed()
    if user.is_authenticated:
        seen = BoardRead.objects.filter(user=user, board=OuterRef("pk")).values("visited_at")
        boards = boards.annotate(seen_at=Subquery(seen[:1]))
    boards = list(boards)
    for board in boards:
        seen_at = getattr(board, "seen_at", None)
        board.unread = bool(
            user.is_authenticated
            and board.last_post_at
            and (seen_at is None or board.last_post_at > seen_at)
        )
    return boards


def board_by_slug(*, slug: str) -> Board:
    """A board by its slug, with its LAO (for LAO boards); 404 if none."""
    return get_object_or_404(Board.objects.select_related("lao"), slug=slug)


def lao_by_code(*, code: str) -> LAO:
    """An active LAO of the registry by its URL code; 404 if none."""
    lao = LAO.objects.active().by_url_code(code).first()
    if lao is None:
        raise Http404("No such LAO.")
    return lao


def unsaved_lao_board(*, lao: LAO) -> Board:
    """The board of questions to `lao` as it will be made with its first question; not saved.
    No query."""
    return Board(
        lao=lao,
        slug=f"lao-{lao.url_code}",
        kind=BoardKind.LAO,
        name=_("Questions to %(lao)s") % {"lao": lao},
        position=1000,
    )


def lao_board(*, lao: LAO) -> Board:
    """The board of questions to `lao`: the saved one, or an unsaved one until its first
    question (`services.lao_board` makes it then), so that showing it writes nothing. One
    query."""
    return Board.objects.filter(lao=lao).first() or unsaved_lao_board(lao=lao)


def _read_marks(*, user: User, board_id: int | None) -> datetime | None:
    if not user.is_authenticated or board_id is None:
        return None
    return (
        BoardRead.objects.filter(user=user, board_id=board_id)
        .values_list("all_read_at", flat=True)
        .first()
    )


def _mark_unread(threads: list[Thread], *, user: User, floor: datetime | None) -> None:
    """`unread`: a post came after the user read the thread (or marked its board read)."""
    for thread in threads:
        read_at = getattr(thread, "read_at", None)
        marks = [mark for mark in (read_at, floor) if mark is not None]
        thread.unread = user.is_authenticated and (not marks or thread.last_post_at > max(marks))


def thread_list(queryset: QuerySet[Thread], *, user: User) -> QuerySet[Thread]:
    """Threads with what a list shows (author's name, LAO) and, for a signed-in user, when they
    last read each (`read_at`, a subquery on the unique read mark)."""
    queryset = queryset.select_related("author", "lao").only(
        *THREAD_LIST_FIELDS, "lao__name_th", "lao__full_name_th", "lao__dla_code", "lao__kind"
    )
    if user.is_authenticated:
        read = ThreadRead.objects.filter(user=user, thread=OuterRef("pk")).values("read_at")
        queryset = queryset.annotate(read_at=Subquery(read[:1]))
    return queryset


BOARD_ORDER = ("-is_pinned", "-last_post_at", "-id")


def board_page(*, board: Board, user: User, page: str | None):
    """A page of the board's visible threads, pinned first then by latest post, each with
    `unread`. One query for the threads (two with the read marks of a signed-in user).

    A deferred join: the page's ids are chosen with the OFFSET in a subquery that the partial
    index `forums_thread_board_page` answers alone (an index-only scan), and only those 25
    rows are read and joined to their authors and LAOs. With the OFFSET on the whole query,
    page 3,000 of 100,000 threads joined 75,000 rows to throw them away."""
    floor = _read_marks(user=user, board_id=board.pk)
    ids = Thread.objects.visible().filter(board=board).order_by(*BOARD_ORDER)
    page_obj = CountedPaginator(
        ids.values_list("pk", flat=True), rules.THREADS_PER_PAGE, count=board.thread_count
    ).get_page(page)
    threads = thread_list(Thread.objects.filter(pk__in=page_obj.object_list), user=user)
    rows = list(threads.order_by(*BOARD_ORDER))
    _mark_unread(rows, user=user, floor=floor)
    page_obj.object_list = rows
    return page_obj


def thread_for_reading(*, pk: int, user: User) -> Thread:
    """A thread with its board, LAO and project; a hidden thread only for moderators (404 for
    everyone else)."""
    thread = get_object_or_404(
        Thread.objects.select_related("board", "lao", "project", "author"), pk=pk
    )
    if thread.is_hidden and not access.is_forum_moderator(user):
        raise Http404("No such thread.")
    return thread


class PostPage:
    """A page of a thread: its posts by number range, with Django's page interface for the
    shared pagination include."""

    def __init__(self, thread: Thread, number: int, posts: list[Post]):
        self.number = number
        self.object_list = posts
        self.paginator = CountedPaginator([], rules.POSTS_PER_PAGE, count=thread.reply_count + 1)

    def __iter__(self):
        return iter(self.object_list)

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.paginator.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


def _page_number(raw: str | None, last: int) -> int:
    if raw == "last":
        return last
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), last)


def thread_page(*, thread: Thread, user: User, page: str | None) -> PostPage:
    """A page of posts (a range of post numbers, on the unique index), with the authors and
    their LAOs; posts written since the user last read the thread are `unread`. Two queries
    for a signed-in user (the read mark, the posts), one for others.

    The LIMIT is what makes PostgreSQL take the unique (thread, number) index: numbers 1-20
    are in nearly every thread, so without it the planner expects the whole thread (5,000
    rows), reads it through the thread index and hashes every LAO for the join (14 ms
    instead of 0.2 ms on the demo's big thread)."""
    last = (thread.reply_count) // rules.POSTS_PER_PAGE + 1
    number = _page_number(page, last)
    first, final = rules.number_range(number)
    read_at = None
    if user.is_authenticated:
        read_at = (
            ThreadRead.objects.filter(user=user, thread=thread)
            .values_list("read_at", flat=True)
            .first()
        )
    posts = list(
        Post.objects.filter(thread=thread, number__gte=first, number__lte=final)
        .select_related("author", "author_lao")
        .only(
            "id",
            "thread_id",
            "number",
            "body",
            "body_html",
            "is_official",
            "created_at",
            "edited_at",
            "is_hidden",
            "awaiting_review",
            "flag_count",
            "author_id",
            "author__username",
            "author__first_name",
            "author__last_name",
            "author__role",
            "author_lao__name_th",
            "author_lao__full_name_th",
            "author_lao__dla_code",
            "author_lao__kind",
        )  # fmt: skip
        .order_by("number")[: rules.POSTS_PER_PAGE]
    )
    for post in posts:
        post.unread = user.is_authenticated and (read_at is None or post.created_at > read_at)
    return PostPage(thread, number, posts)


def is_following(*, user: User, thread: Thread) -> bool:
    """Does the user follow the thread? One query for a signed-in user, none otherwise."""
    return user.is_authenticated and ThreadFollow.objects.filter(user=user, thread=thread).exists()


def post_for_user(*, pk: int, user: User) -> Post:
    """A post the user may act on (edit, flag, quote): in a thread they may read."""
    post = get_object_or_404(Post.objects.select_related("thread", "thread__lao", "author"), pk=pk)
    if (post.thread.is_hidden or post.is_hidden) and not access.is_forum_moderator(user):
        raise Http404("No such post.")
    return post


def post_revisions(*, post: Post) -> QuerySet:
    """Earlier texts of a post, newest first."""
    return post.revisions.select_related("edited_by").order_by("-created_at")


def lao_recent_threads(*, lao: LAO, limit: int = PROFILE_THREADS) -> list[Thread]:
    """The latest discussion about an LAO (its questions and threads about it or its projects),
    on the partial (lao, last post) index. One query."""
    return list(
        Thread.objects.visible()
        .filter(lao=lao)
        .select_related("author")
        .only(
            "id",
            "title",
            "last_post_at",
            "reply_count",
            "answered_at",
            "author__username",
            "board_id",
        )
        .order_by("-last_post_at")[:limit]
    )


def project_threads(*, project, user: User) -> list[Thread]:
    """Threads about a project, latest first."""
    return list(
        thread_list(
            Thread.objects.visible().filter(project=project).order_by("-last_post_at"), user=user
        )[:50]
    )


def search_threads(*, query: str, user: User) -> list[Thread] | None:
    """Visible threads whose title or a visible post contains the query (trigram indexes,
    `__contains`: Thai has no spaces), latest first; None when the query is too short."""
    text = normalize_query(query)
    if len(text) < MIN_SEARCH_LENGTH:
        return None
    in_posts = Post.objects.filter(body__contains=text, is_hidden=False).values("thread_id")
    matches = Thread.objects.visible().filter(Q(title__contains=text) | Q(pk__in=in_posts))
    rows = list(thread_list(matches.order_by("-last_post_at", "-id"), user=user)[:SEARCH_RESULTS])
    _mark_unread(rows, user=user, floor=None)
    return rows


def unanswered_questions(*, user: User, now: datetime | None = None) -> QuerySet[Thread]:
    """Questions to the LAOs the user manages (an officer's own, a province's for its staff,
    every LAO for administrators) that no officer of the LAO has answered for
    FORUMS_UNANSWERED_DAYS days, oldest first."""
    since = (now or timezone.now()) - timedelta(days=settings.FORUMS_UNANSWERED_DAYS)
    return (
        Thread.objects.unanswered()
        .visible()
        .filter(lao__in=access.laos_managed_by(user), created_at__lt=since)
        .select_related("lao", "author")
        .order_by("created_at", "id")
    )


def unanswered_counts(*, lao_ids=None, now: datetime | None = None) -> dict[int, int]:
    """LAO id → number of its questions unanswered for FORUMS_UNANSWERED_DAYS days (for
    indicators counting an LAO's answers). One query."""
    from django.db.models import Count

    since = (now or timezone.now()) - timedelta(days=settings.FORUMS_UNANSWERED_DAYS)
    rows = Thread.objects.unanswered().visible().filter(created_at__lt=since)
    if lao_ids is not None:
        rows = rows.filter(lao_id__in=lao_ids)
    return dict(rows.values("lao_id").annotate(n=Count("id")).values_list("lao_id", "n"))


def moderation_queue() -> QuerySet[Post]:
    """Posts waiting for a moderator: hidden by flags, or flagged and still shown; oldest first,
    with their thread, author and open flags."""
    from forums.models import Flag

    return (
        Post.objects.filter(Q(awaiting_review=True) | Q(flag_count__gt=0, is_hidden=False))
        .select_related("thread", "author")
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(resolved_at__isnull=True).select_related("user"),
                to_attr="open_flags",
            )
        )
        .order_by("created_at", "id")
    )


def moderation_log(*, limit: int = 50) -> list[ModerationLog]:
    """The latest moderation steps with who took them."""
    return list(ModerationLog.objects.select_related("moderator", "thread", "post")[:limit])


def notifications_of(*, user: User) -> QuerySet[ForumNotification]:
    """The user's forum notifications, newest first, with the post they point at."""
    return (
        ForumNotification.objects.filter(user=user)
        .select_related("post")
        .only(
            "id", "message", "created_at", "read_at", "post__id", "post__thread_id", "post__number"
        )
    )


def unread_notifications(*, user: User) -> QuerySet[ForumNotification]:
    """The user's unread forum notifications (the header counts them)."""
    return ForumNotification.objects.filter(user=user, read_at__isnull=True)


def follows_of(*, user: User) -> QuerySet[Thread]:
    """Threads the user follows, latest activity first."""
    followed = ThreadFollow.objects.filter(user=user, thread=OuterRef("pk"))
    return (
        Thread.objects.visible()
        .filter(Exists(followed))
        .only("id", "title", "last_post_at", "reply_count")
        .order_by("-last_post_at")[:100]
    )


def feed_threads(*, board: Board) -> list[Thread]:
    """The board's 30 newest visible threads with their opening posts (the feed's text)."""
    return list(
        Thread.objects.visible()
        .filter(board=board)
        .select_related("author")
        .prefetch_related(
            Prefetch("posts", queryset=Post.objects.filter(number=1), to_attr="opening")
        )
        .order_by("-created_at", "-id")[:30]
    )


def boards_for_move(*, exclude: Board) -> QuerySet[Board]:
    """Boards a thread may be moved to: the listed boards other than its own."""
    return Board.objects.listed().exclude(pk=exclude.pk)


def project_by_pk(*, pk: int):
    """The project a thread may be about, with its LAO (404 if none). Read through the thread's
    foreign key: the forum points at projects but uses nothing else of that app."""
    project_model = Thread._meta.get_field("project").related_model
    return get_object_or_404(
        project_model.objects.select_related("lao").only("id", "name", "lao"), pk=pk
    )
