from django import forms
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.db import transaction
from django.template import loader
from django.utils.translation import gettext_lazy as _

from portal.tasks import send_email
from units.models import User


class SignUpForm(UserCreationForm):
    """A citizen's sign-up: username, e-mail and password (twice)."""

    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("We send a link to this address to confirm it."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the e-mail sent by the task worker."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=[to_email]))
