from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.encoding import force_bytes, force_str
from django.utils.http import (
    url_has_allowed_host_and_scheme,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView

from portal.forms import QueuedPasswordResetForm, SignUpForm
from portal.models import MailRequestKind
from portal.security import signup_token_generator
from portal.selectors import pending_signup_account
from portal.services import mail_request_create, pending_signup_confirm, signup_create
from units.limits import client_ip
from units.mail import send_email
from units.pagecache import cached_for_visitors
from units.selectors import lao_counts_by_kind


@method_decorator(cached_for_visitors(), name="get")
class HomeView(TemplateView):
    """The home page: its counts are the registry's ("units", in every page key)."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(lao_counts=lao_counts_by_kind(), **kwargs)


@never_cache
@require_GET
def switch_language(request):
    """`/language/?language=en&next=/units/`: the header's language switch. A GET form, unlike
    Django's `set_language`, so that public pages carry no per-visitor CSRF token and can be
    answered from the page cache (units.pagecache); all it changes is the visitor's language
    cookie. `next` must be a path of this site (else the home page)."""
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    code = request.GET.get("language", "")
    if code in dict(settings.LANGUAGES) and check_for_language(code):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@never_cache
def healthz(request):
    """Liveness and database check for load balancers: one query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def too_many_requests(request):
    """The answer once an address or a client has asked for too many account e-mails."""
    context = {"minutes": settings.PORTAL_MAIL_WINDOW_MINUTES}
    return render(request, "registration/too_many_requests.html", context, status=429)


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): a translated page."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/lockout.html", {"minutes": minutes}, status=429)


def _queue_mail(*, subject: str, template_name: str, context: dict, request, to: str) -> None:
    body = loader.render_to_string(template_name, context, request)
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=[to]))


class SignUpView(FormView):
    """A citizen's sign-up. The page answers the same whether or not the e-mail address already
    has an account: a new or still pending account gets a confirmation link, an existing one a
    notice, so no one learns from the page which addresses are registered."""

    template_name = "registration/signup.html"
    form_class = SignUpForm
    success_url = reverse_lazy("signup-done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        ip_address = client_ip(self.request)
        if not mail_request_create(kind=MailRequestKind.SIGNUP, email=email, ip_address=ip_address):
            return too_many_requests(self.request)
        outcome = signup_create(
            username=form.cleaned_data["username"],
            email=email,
            password=form.cleaned_data["password1"],
        )
        if outcome.pending:
            self.mail_confirmation(outcome.user)
        else:
            self.mail_notice(outcome.user)
        return super().form_valid(form)

    def mail_confirmation(self, user):
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = signup_token_generator.make_token(user)
        link = self.request.build_absolute_uri(
            reverse("signup-confirm", kwargs={"uidb64": uid, "token": token})
        )
        days = max(1, settings.PORTAL_SIGNUP_CONFIRM_TIMEOUT // 86400)
        _queue_mail(
            subject=_("Confirm your LAO Portal account"),
            template_name="registration/signup_email.txt",
            context={"user": user, "link": link, "days": days},
            request=self.request,
            to=user.email,
        )

    def mail_notice(self, user):
        _queue_mail(
            subject=_("Sign-up attempt with your e-mail address on LAO Portal"),
            template_name="registration/signup_exists_email.txt",
            context={
                "user": user,
                "login_link": self.request.build_absolute_uri(reverse("login")),
                "reset_link": self.request.build_absolute_uri(reverse("password_reset")),
            },
            request=self.request,
            to=user.email,
        )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset (same answer for known and unknown addresses), limited per
    address and per client, with the e-mail sent by the task worker."""

    form_class = QueuedPasswordResetForm

    def form_valid(self, form):
        if not mail_request_create(
            kind=MailRequestKind.PASSWORD_RESET,
            email=form.cleaned_data["email"],
            ip_address=client_ip(self.request),
        ):
            return too_many_requests(self.request)
        return super().form_valid(form)


def signup_confirm(request, uidb64, token):
    """Activate the account of a confirmed sign-up and sign its owner in.

    Only a pending citizen sign-up qualifies (portal.selectors.pending_signup_account), with a
    sign-up token: a deactivated account stays inactive whatever token it shows.
    """
    try:
        user = pending_signup_account(user_id=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError):
        user = None
    if (
        user is None
        or not signup_token_generator.check_token(user, token)
        or not pending_signup_confirm(user=user)
    ):
        return render(request, "registration/signup_invalid.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your e-mail address is confirmed. Welcome to LAO Portal."))
    return redirect("portal:home")
