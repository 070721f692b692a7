"""Root URLs: each app under its own prefix (DESIGN.md §2)."""

from django.contrib import admin
from django.urls import include, path

from portal import health as portal_health
from portal import views as portal_views

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
