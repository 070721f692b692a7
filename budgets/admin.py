from django.contrib import admin

from budgets.models import (
    BudgetLine,
    BudgetPlan,
    BudgetPlanEvent,
    ExpenseCategory,
    ExpenseType,
    Programme,
    RevenueEstimate,
    RevenueGroup,
    RevenueSource,
    Sector,
    Work,
)


class ClassificationAdmin(admin.ModelAdmin):
    list_display = ["key", "name_th", "name_en", "sort_order"]
    search_fields = ["key", "name_th", "name_en"]
    ordering = ["sort_order", "key"]


@admin.register(Sector)
class SectorAdmin(ClassificationAdmin):
    pass


@admin.register(Programme)
class ProgrammeAdmin(ClassificationAdmin):
    list_display = [*ClassificationAdmin.list_display, "sector"]
    list_filter = ["sector"]
    list_select_related = ["sector"]


@admin.register(Work)
class WorkAdmin(ClassificationAdmin):
    list_display = [*ClassificationAdmin.list_display, "programme"]
    list_filter = ["programme"]
    list_select_related = ["programme"]


@admin.register(ExpenseCategory)
class ExpenseCategoryAdmin(ClassificationAdmin):
    list_display = [*ClassificationAdmin.list_display, "account_code"]


@admin.register(ExpenseType)
class ExpenseTypeAdmin(ClassificationAdmin):
    list_display = [*ClassificationAdmin.list_display, "category", "account_code"]
    list_filter = ["category"]
    list_select_related = ["category"]


@admin.register(RevenueGroup)
class RevenueGroupAdmin(ClassificationAdmin):
    pass


@admin.register(RevenueSource)
class RevenueSourceAdmin(ClassificationAdmin):
    list_display = [*ClassificationAdmin.list_display, "group", "account_code"]
    list_filter = ["group"]
    list_select_related = ["group"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    fields = ["position", "programme", "work", "expense_type", "item", "amount"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


class BudgetPlanEventInline(admin.TabularInline):
    model = BudgetPlanEvent
    fields = ["at", "action", "user", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class RevenueEstimateInline(admin.TabularInline):
    model = RevenueEstimate
    fields = ["source", "amount"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(BudgetPlan)
class BudgetPlanAdmin(admin.ModelAdmin):
    """Plans are changed through the portal's workflow; the admin shows them read-only."""

    list_display = ["lao", "fiscal_year", "status", "total_expenditure", "total_revenue"]
    list_filter = ["fiscal_year", "status", "lao__kind"]
    list_select_related = ["lao"]
    search_fields = ["lao__dla_code", "lao__name_th"]
    raw_id_fields = ["lao"]
    readonly_fields = [
        "lao",
        "fiscal_year",
        "status",
        "version",
        "total_expenditure",
        "total_revenue",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "enacted_at",
        "return_comment",
    ]
    inlines = [BudgetPlanEventInline, BudgetLineInline, RevenueEstimateInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False
