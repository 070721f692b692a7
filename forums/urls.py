from django.urls import path
from django.views.generic import TemplateView

app_name = "forums"

urlpatterns = [
    path("", TemplateView.as_view(template_name="forums/index.html"), name="index"),
]
