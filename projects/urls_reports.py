"""Quarterly progress reports, mounted under /projects/reports/ (namespace `projects`)."""

from django.urls import path

from projects import views_reports as views

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("prepare/", views.report_prepare, name="report-prepare"),
    path("review/", views.review, name="report-review"),
    path("missing/", views.missing, name="report-missing"),
    path("missing.<str:file_format>", views.missing_download, name="report-missing-download"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/narrative/", views.report_narrative, name="report-narrative"),
    path("<int:pk>/submit/", views.report_submit, name="report-submit"),
    path("<int:pk>/withdraw/", views.report_withdraw, name="report-withdraw"),
    path("<int:pk>/accept/", views.report_accept, name="report-accept"),
    path("<int:pk>/return/", views.report_return, name="report-return"),
]
