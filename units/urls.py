from django.urls import path
from django.views.generic import TemplateView

app_name = "units"

urlpatterns = [
    path("", TemplateView.as_view(template_name="units/index.html"), name="index"),
]
