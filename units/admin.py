from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from units.models import LAO, District, Province, Subdistrict, User


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
class LAOAdmin(admin.ModelAdmin):
    list_display = ["dla_code", "full_name_th", "kind", "province", "is_active"]
    list_filter = ["kind", "is_active", "province"]
    list_select_related = ["province"]
    search_fields = ["dla_code", "name_th", "full_name_th", "name_en"]
    raw_id_fields = ["district", "subdistrict"]
