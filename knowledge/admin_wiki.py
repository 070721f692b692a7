"""The wiki in the Django admin: read pages and their history, remove a page (spam).

Pages are written through the wiki's own pages (`knowledge.wiki`), which keep the history, the
links and the rendered HTML consistent; the admin changes nothing of a page but its protection.
"""

from django.contrib import admin

from knowledge.models_wiki import WikiPage, WikiRevision
from units.admin import ReadOnlyAdmin


class WikiRevisionInline(admin.TabularInline):
    model = WikiRevision
    fields = ("number", "author", "comment", "size", "created_at")
    readonly_fields = fields
    ordering = ("-number",)
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WikiPage)
class WikiPageAdmin(admin.ModelAdmin):
    list_display = ("title", "revision_number", "protected", "updated_at", "is_demo")
    list_filter = ("protected", "is_demo")
    search_fields = ("title",)
    fields = ("title", "slug", "protected", "revision_number", "updated_at", "is_demo")
    readonly_fields = ("title", "slug", "revision_number", "updated_at", "is_demo")
    inlines = [WikiRevisionInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(WikiRevision)
class WikiRevisionAdmin(ReadOnlyAdmin):
    list_display = ("page", "number", "author", "comment", "created_at")
    list_select_related = ("page", "author")
    search_fields = ("page__title", "comment")
    raw_id_fields = ("page", "parent", "reverted_to", "author")
    readonly_fields = (
        "page",
        "number",
        "parent",
        "reverted_to",
        "text",
        "size",
        "author",
        "comment",
        "created_at",
    )
    show_full_result_count = False
