from django import forms
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import loader
from django.utils.translation import gettext_lazy as _

from units.mail import send_email
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
        # No check for an account already using the address: saying so here would tell anyone
        # which addresses are registered. SignUpView mails that account's owner instead. A taken
        # username is still reported by UserCreationForm: usernames are public (posts carry
        # them) and a sign-up cannot proceed without a free one.
        return self.cleaned_data["email"].strip()

    def validate_constraints(self):
        # The model's case-insensitive unique e-mail would name a taken address on the page, for
        # the reason above; the constraint itself still guards the database.
        exclude = self._get_validation_exclusions() | {"email"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)


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
