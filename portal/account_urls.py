"""Accounts: Django's auth views in the portal's look, a citizen sign-up, and the account's
notifications of every app."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

from portal import views, views_work

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path(
        "signup/sent/",
        TemplateView.as_view(template_name="registration/signup_done.html"),
        name="signup-done",
    ),
    path("signup/confirm/<uidb64>/<token>/", views.signup_confirm, name="signup-confirm"),
    path("notifications/", views_work.notifications, name="notifications"),
    path("notifications/read/", views_work.notifications_read, name="notifications-read"),
]
