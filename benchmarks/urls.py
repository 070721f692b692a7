from django.urls import path

from benchmarks import views

app_name = "benchmarks"

urlpatterns = [
    path("", views.index, name="index"),
    path("methodology/", views.methodology, name="methodology"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path(
        "indicators/<slug:code>/values.<str:file_format>",
        views.indicator_download,
        name="indicator-download",
    ),
]
