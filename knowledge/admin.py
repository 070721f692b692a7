"""Admin of the knowledge base's documents: for looking things up and fixing metadata. Text and
files go through the portal's forms (services normalize the text and rebuild the search
chunks), so they are read-only here."""

from django.contrib import admin

from knowledge.models import Document, DocumentFile


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    extra = 0
    can_delete = False
    fields = ("original_name", "file_type", "size", "extraction", "extraction_error", "uploaded_at")
    readonly_fields = fields


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "year", "download_count", "published_at", "is_demo")
    list_filter = ("status", "kind", "is_demo")
    search_fields = ("title",)
    raw_id_fields = ("lao", "laos", "created_by", "submitted_by", "reviewed_by")
    readonly_fields = (
        "abstract", "body", "download_count", "version", "created_by", "submitted_by",
        "reviewed_by", "reviewed_at", "published_at", "created_at", "updated_at", "is_demo",
    )  # fmt: skip
    inlines = [DocumentFileInline]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("abstract", "body")


from knowledge import admin_wiki  # noqa: E402,F401  (the wiki's admin pages)
