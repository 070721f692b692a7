from django.contrib import admin

from forums.models import Board, Flag, ModerationLog, Post, Thread


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "position", "thread_count", "post_count", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("name", "slug")
    raw_id_fields = ("lao",)
    readonly_fields = ("thread_count", "post_count", "last_post_at")

    def get_queryset(self, request):
        # LAO boards are made by the service on demand: the admin arranges the listed boards.
        return super().get_queryset(request).listed()


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    """Read-only: moderation steps go through the webboard's pages so they are logged."""

    list_display = ("title", "board", "author", "created_at", "reply_count", "is_hidden")
    list_filter = ("is_hidden", "is_locked", "is_pinned")
    raw_id_fields = ("board", "author", "lao", "project")
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("thread", "number", "author", "created_at", "is_hidden", "flag_count")
    raw_id_fields = ("thread", "author", "author_lao", "quote_of")
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "moderator", "action", "thread", "reason")
    raw_id_fields = ("moderator", "thread", "post")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(Flag)
