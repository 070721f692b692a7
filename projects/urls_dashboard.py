"""URLs of the executive project dashboard, included by projects/urls.py under "dashboard/"."""

from django.urls import path

from projects import views_dashboard

urlpatterns = [
    path("", views_dashboard.dashboard_page, name="dashboard"),
    path("lagging/", views_dashboard.lagging_page, name="dashboard-lagging"),
    path(
        "<slug:table>.<str:file_format>",
        views_dashboard.dashboard_download,
        name="dashboard-download",
    ),
]
