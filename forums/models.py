"""The webboard: boards, threads (optionally about an LAO or a project), posts with their kept
revisions, flags, the moderation log, follows, notifications and read marks.

Counters (`thread_count`, `reply_count`, `last_post_at`) are kept by forums.services in the same
transaction as the write, so a board of 100,000 threads is paged without counting it, and a
thread's posts are paged by their `number` (1 = the opening post), a range on an index.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from units.models import LAO


class BoardKind(models.TextChoices):
    QUESTIONS = "questions", _("Questions and answers")
    LESSONS = "lessons", _("Lesson exchange")
    PARTNERS = "partners", _("Partner LAOs")
    SUGGESTIONS = "suggestions", _("Suggestions")
    LAO = "lao", _("Questions to an LAO")


class BoardQuerySet(models.QuerySet):
    def listed(self):
        """The boards of the forum index: every board but the per-LAO question boards."""
        return self.exclude(kind=BoardKind.LAO)


class Board(models.Model):
    """A board of threads. One board of kind `lao` per LAO holds the questions put to it."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=BoardKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    lao = models.OneToOneField(
        LAO,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forum_board",
        verbose_name=_("LAO"),
    )
    thread_count = models.PositiveIntegerField(_("threads"), default=0)
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    last_post_at = models.DateTimeField(_("last post"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = BoardQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        permissions = [("moderate_board", _("Can moderate the webboard"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="lao", lao__isnull=False) | (~Q(kind="lao") & Q(lao__isnull=True)),
                name="forums_board_lao_iff_lao_kind",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:board", args=[self.slug])


class ThreadQuerySet(models.QuerySet):
    def visible(self):
        """Threads whose opening post is not hidden."""
        return self.filter(is_hidden=False)

    def unanswered(self):
        """Questions to an LAO that none of its officers has answered yet."""
        return self.filter(lao__isnull=False, answered_at__isnull=True, board__kind=BoardKind.LAO)


class Thread(models.Model):
    """A discussion: its opening post is its Post number 1."""

    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="threads", verbose_name=_("board")
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="forum_threads",
        verbose_name=_("author"),
    )
    lao = models.ForeignKey(
        LAO,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forum_threads",
        verbose_name=_("about the LAO"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_threads",
        verbose_name=_("about the project"),
    )
    created_at = models.DateTimeField(_("created"), db_default=models.functions.Now())
    last_post_at = models.DateTimeField(_("last post"), db_default=models.functions.Now())
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    answered_at = models.DateTimeField(_("answered officially"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            # The board page: pinned first, then the latest activity; a range of this index.
            models.Index(
                "board",
                models.F("is_pinned").desc(),
                models.F("last_post_at").desc(),
                models.F("id").desc(),
                condition=Q(is_hidden=False),
                name="forums_thread_board_page",
            ),
            # The board's feed: its newest threads.
            models.Index(
                "board",
                models.F("created_at").desc(),
                condition=Q(is_hidden=False),
                name="forums_thread_board_new",
            ),
            models.Index(
                "lao",
                models.F("last_post_at").desc(),
                condition=Q(lao__isnull=False),
                name="forums_thread_lao_recent",
            ),
            models.Index(
                "project",
                models.F("last_post_at").desc(),
                condition=Q(project__isnull=False),
                name="forums_thread_project_recent",
            ),
            models.Index(
                fields=["lao", "created_at"],
                condition=Q(answered_at__isnull=True, lao__isnull=False),
                name="forums_thread_unanswered",
            ),
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="forums_thread_title_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_post_at__gte=models.F("created_at")),
                name="forums_thread_last_post_not_before_creation",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:thread", args=[self.pk])


class Post(models.Model):
    """A post of a thread; a hidden post stays here, shown to moderators only."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread")
    )
    number = models.PositiveIntegerField(_("number"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="forum_posts",
        verbose_name=_("author"),
    )
    # The officer's LAO when they wrote it: shown beside their name, kept if they move on.
    author_lao = models.ForeignKey(
        LAO,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author's LAO"),
    )
    quote_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quotes"),
    )
    body = models.TextField(_("text"))
    body_html = models.TextField(_("rendered text"))
    is_official = models.BooleanField(_("the LAO's answer"), default=False)
    created_at = models.DateTimeField(_("created"), db_default=models.functions.Now())
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    # Hidden by flags from enough users, until a moderator confirms or restores it.
    awaiting_review = models.BooleanField(_("awaiting review"), default=False)
    flag_count = models.PositiveIntegerField(_("flags"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["thread", "number"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            GinIndex(fields=["body"], opclasses=["gin_trgm_ops"], name="forums_post_body_trgm"),
            models.Index(fields=["author", "created_at"], name="forums_post_author_time"),
            models.Index(
                fields=["created_at"],
                condition=Q(awaiting_review=True) | Q(flag_count__gt=0, is_hidden=False),
                name="forums_post_queue",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["thread", "number"], name="forums_post_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="forums_post_number_positive"),
            models.CheckConstraint(
                condition=Q(is_official=False) | Q(author_lao__isnull=False),
                name="forums_post_official_has_lao",
            ),
            models.CheckConstraint(
                condition=Q(awaiting_review=False) | Q(is_hidden=True),
                name="forums_post_review_only_hidden",
            ),
        ]

    def __str__(self):
        return f"{self.thread_id}#{self.number}"

    def get_absolute_url(self):
        from forums.rules import page_of_post

        url = reverse("forums:thread", args=[self.thread_id])
        page = page_of_post(self.number)
        return f"{url}?page={page}#post-{self.number}" if page > 1 else f"{url}#post-{self.number}"


class PostRevision(models.Model):
    """The text of a post before an edit: every edit is kept."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("post")
    )
    body = models.TextField(_("text"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("replaced"), db_default=models.functions.Now())

    class Meta:
        ordering = ["post", "-created_at"]
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")

    def __str__(self):
        return f"{self.post_id} @ {self.created_at}"


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive or offensive")
    PRIVACY = "privacy", _("Personal data of others")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Other")


class Flag(models.Model):
    """A signed-in user's report of a post; one per user and post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_flags"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("flagged"), db_default=models.functions.Now())
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="forums_flag_once_per_user"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.post_id}: {self.reason}"


class ModerationAction(models.TextChoices):
    AUTO_HIDE = "auto_hide", _("Hidden by flags")
    HIDE = "hide", _("Hidden")
    RESTORE = "restore", _("Restored")
    LOCK = "lock", _("Locked")
    UNLOCK = "unlock", _("Unlocked")
    PIN = "pin", _("Pinned")
    UNPIN = "unpin", _("Unpinned")
    MOVE = "move", _("Moved")


class ModerationLog(models.Model):
    """Who did what to which thread or post, and why. `moderator` is empty for automatic
    hiding by flags."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    action = models.CharField(_("action"), max_length=16, choices=ModerationAction.choices)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="moderation_log")
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), db_default=models.functions.Now())

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.action} {self.thread_id}"


class ThreadFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_follows"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(db_default=models.functions.Now())

    class Meta:
        verbose_name = _("followed thread")
        verbose_name_plural = _("followed threads")
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="forums_follow_once"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.thread_id}"


class ForumNotification(models.Model):
    """A reply in a followed thread: listed on the user's forum page, e-mailed as well."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_notifications"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(_("message"), max_length=500)
    created_at = models.DateTimeField(_("created"), db_default=models.functions.Now())
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("forum notification")
        verbose_name_plural = _("forum notifications")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="forums_notification_user"),
            models.Index(
                fields=["user"],
                condition=Q(read_at__isnull=True),
                name="forums_notification_unread",
            ),
        ]

    def __str__(self):
        return self.message


class ThreadRead(models.Model):
    """When a user last read a thread: posts after it are unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="forums_thread_read_once"),
        ]

    def __str__(self):
        return f"{self.user_id} read {self.thread_id}"


class BoardRead(models.Model):
    """When a user last opened a board's list (`visited_at`: the board's own marker) and last
    marked all of its threads read (`all_read_at`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    visited_at = models.DateTimeField(null=True, blank=True)
    all_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "board"], name="forums_board_read_once"),
        ]

    def __str__(self):
        return f"{self.user_id} visited {self.board_id}"
