from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin

from units import access
from units.models import LAO, ChangeSource, District, LAOChange, Province, Subdistrict, User
from units.resources import LAORegistryResource
from units.services import LAO_UNRECORDED_FIELDS, lao_update


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the admin shows but never adds, changes or deletes (history, computed values):
    those are written by services only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "email", "role", "lao", "province", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "province"]
    list_select_related = ["lao", "province"]
    autocomplete_fields = ["lao", "province"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ("role", "lao", "province")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ("email", "role", "lao", "province")}),
    )


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "province"]
    list_filter = ["province"]
    list_select_related = ["province"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "postcode", "district"]
    list_select_related = ["district"]
    search_fields = ["code", "name_th", "name_en", "postcode"]
    raw_id_fields = ["district"]


@admin.register(LAO)
class LAOAdmin(ImportMixin, admin.ModelAdmin):
    # Registry updates from a workbook, the same columns and checks as the provincial upload.
    resource_classes = [LAORegistryResource]
    list_display = ["dla_code", "full_name_th", "kind", "province", "is_active"]
    list_filter = ["kind", "is_active", "province"]
    list_select_related = ["province"]
    search_fields = ["dla_code", "name_th", "full_name_th", "name_en"]
    raw_id_fields = ["district", "subdistrict"]
    # Demo flags clear themselves when a real value is saved; the history records every change.
    readonly_fields = ["demo_fields", "updated_at"]

    def save_model(self, request, obj, form, change):
        """New LAOs are saved as usual; changes go through lao_update, which records them."""
        if not change:
            return super().save_model(request, obj, form, change)
        data = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in form.cleaned_data and name not in LAO_UNRECORDED_FIELDS
        }
        lao_update(lao=obj, user=request.user, data=data, source=ChangeSource.ADMIN)

    def has_import_permission(self, request):
        return access.is_admin(request.user)


@admin.register(LAOChange)
class LAOChangeAdmin(ReadOnlyAdmin):
    """The change history, read-only: it is written by lao_update and the importers."""

    list_display = ["changed_at", "lao", "source", "user", "note"]
    list_filter = ["source"]
    list_select_related = ["lao", "user"]
    search_fields = ["lao__dla_code", "lao__name_th", "lao__full_name_th", "lao__name_en"]
    fields = ["lao", "changed_at", "user", "source", "changes", "note"]
    readonly_fields = fields
