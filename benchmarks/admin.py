from django.contrib import admin

from benchmarks.models import Indicator, IndicatorValue, Source
from units.admin import ReadOnlyAdmin

# What a computed indicator's declaration (benchmarks/indicators.py) owns: changed in code and
# copied by benchmarks_sync_indicators, so read-only here.
DECLARED_FIELDS = [
    "code",
    "name_th",
    "name_en",
    "meaning_th",
    "meaning_en",
    "formula_th",
    "formula_en",
    "unit",
    "direction",
    "target",
    "tolerance",
    "area",
    "source",
    "bands",
    "norm_th",
    "norm_en",
    "weight",
    "kinds",
    "sort_order",
]


def _declared_imported(indicator: Indicator) -> bool:
    """LPA and ITA are declared in benchmarks/imported.py: the sync would undo edits made here."""
    from benchmarks.imported import imported_indicators

    return any(declaration.code == indicator.code for declaration in imported_indicators())


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Computed indicators are read-only but for whether they are shown; imported ones (made
    here) are edited freely."""

    list_display = ["code", "name_th", "area", "unit", "direction", "source", "is_active"]
    list_filter = ["source", "area", "is_active"]
    search_fields = ["code", "name_th", "name_en"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and (obj.source == Source.COMPUTED or _declared_imported(obj)):
            return DECLARED_FIELDS
        # Rows made here are imported indicators; only the declarations make computed ones.
        return ["source"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = Source.IMPORTED
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # A declared indicator would come back at the next sync; hide it instead.
        if obj is not None and (obj.source == Source.COMPUTED or _declared_imported(obj)):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    """Values are written by the recompute (and, later, by uploads): read-only here."""

    list_display = ["indicator", "lao", "fiscal_year", "value", "reason", "status", "as_of"]
    list_filter = ["indicator", "fiscal_year", "status", "reason", "source", "lao__kind"]
    list_select_related = ["indicator", "lao"]
    search_fields = ["=lao__dla_code"]
    raw_id_fields = ["lao"]
    show_full_result_count = False
