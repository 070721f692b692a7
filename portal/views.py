from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.tokens import default_token_generator
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes, force_str
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from portal.forms import SignUpForm
from portal.tasks import send_email
from units.models import User
from units.selectors import lao_counts_by_kind
from units.services import user_activate, user_register_citizen


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        # Lazy: the template's cached fragment runs the query only when it renders anew.
        return super().get_context_data(lao_counts=SimpleLazyObject(lao_counts_by_kind), **kwargs)


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


class SignUpView(FormView):
    template_name = "registration/signup.html"
    form_class = SignUpForm
    success_url = reverse_lazy("signup-done")

    def form_valid(self, form):
        user = user_register_citizen(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        self.send_confirmation(user)
        return super().form_valid(form)

    def send_confirmation(self, user):
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = self.request.build_absolute_uri(
            reverse("signup-confirm", kwargs={"uidb64": uid, "token": token})
        )
        body = loader.render_to_string(
            "registration/signup_email.txt", {"user": user, "link": link}, self.request
        )
        subject = _("Confirm your LAO Portal account")
        transaction.on_commit(
            lambda: send_email.enqueue(subject=subject, body=body, to=[user.email])
        )


def signup_confirm(request, uidb64, token):
    """Activate the account of a confirmed e-mail address and sign its owner in."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=False)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "registration/signup_invalid.html", status=400)
    user_activate(user=user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your e-mail address is confirmed. Welcome to LAO Portal."))
    return redirect("portal:home")
