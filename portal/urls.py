from django.urls import path
from django.views.generic import TemplateView

from portal import views, views_work

app_name = "portal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "e-government/",
        TemplateView.as_view(template_name="portal/e_government.html"),
        name="e-government",
    ),
    path(
        "e-services/",
        TemplateView.as_view(template_name="portal/e_services.html"),
        name="e-services",
    ),
    path("news/", TemplateView.as_view(template_name="portal/news.html"), name="news"),
    path("contact/", TemplateView.as_view(template_name="portal/contact.html"), name="contact"),
    path("language/", views.switch_language, name="language"),
    path("start/", views_work.landing, name="landing"),
    path("work/", views_work.work, name="work"),
    path("work/badges/", views_work.header_badges, name="header-badges"),
]
