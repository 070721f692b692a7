from django.urls import path
from django.views.generic import TemplateView

app_name = "benchmarks"

urlpatterns = [
    path("", TemplateView.as_view(template_name="benchmarks/index.html"), name="index"),
]
