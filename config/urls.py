"""Root URLs: each app under its own prefix (DESIGN.md §2)."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from portal import health as portal_health
from portal import views as portal_views

# The administration is part of the portal, in the portal's languages (not "Django admin").
admin.site.site_header = _("LAO Portal administration")
admin.site.site_title = _("LAO Portal administration")
admin.site.index_title = _("Data and accounts")

urlpatterns = [
    path("healthz", portal_views.healthz, name="healthz"),
    path("healthz/worker", portal_health.healthz_worker, name="healthz-worker"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("portal.account_urls")),
    path("admin/", admin.site.urls),
    path("units/", include("units.urls")),
    path("budgets/", include("budgets.urls")),
    path("projects/", include("projects.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("forums/", include("forums.urls")),
    path("benchmarks/", include("benchmarks.urls")),
    path("", include("portal.urls")),
]
