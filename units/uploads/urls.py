"""Pages of the upload machinery (mounted under /units/uploads/ in the `units` namespace)."""

from django.urls import path

from units.uploads import views

urlpatterns = [
    path("", views.upload_list, name="upload-list"),
    path("template/<str:kind>/", views.upload_template, name="upload-template"),
    path("<int:pk>/", views.upload_detail, name="upload-detail"),
    path("<int:pk>/progress/", views.upload_progress, name="upload-progress"),
    path("<int:pk>/commit/", views.upload_commit, name="upload-commit"),
    path("<int:pk>/retry/", views.upload_retry, name="upload-retry"),
    path("<int:pk>/cancel/", views.upload_cancel, name="upload-cancel"),
    path("<int:pk>/errors.xlsx", views.upload_error_report, name="upload-error-report"),
]
