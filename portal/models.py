"""Account bookkeeping of the portal shell: pending sign-ups and requested account e-mails."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingSignUp(models.Model):
    """A citizen sign-up waiting for its e-mail confirmation.

    Only an account with this record can be activated by a confirmation link, and only such
    accounts are removed when they expire: a deactivated officer or citizen has none, so neither
    a confirmation link nor the expiry command ever touches them. Confirming deletes the record.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="pending_signup",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("pending sign-up")
        verbose_name_plural = _("pending sign-ups")

    def __str__(self):
        return str(self.user_id)


class MailRequestKind(models.TextChoices):
    SIGNUP = "signup", _("sign-up")
    PASSWORD_RESET = "password_reset", _("password reset")


class MailRequest(models.Model):
    """One request for a sign-up or password-reset e-mail, whether or not an account uses the
    address: counted per address and per client address to limit how many are sent, across
    every worker. Rows older than the window are deleted by `portal_delete_expired_signups`."""

    kind = models.CharField(_("kind"), max_length=16, choices=MailRequestKind.choices)
    email = models.EmailField(_("e-mail"))  # lower-cased
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail request")
        verbose_name_plural = _("e-mail requests")
        indexes = [
            models.Index(fields=["kind", "email", "created_at"], name="mailrequest_kind_email"),
            models.Index(fields=["kind", "ip_address", "created_at"], name="mailrequest_kind_ip"),
            models.Index(fields=["created_at"], name="mailrequest_created_at"),
        ]

    def __str__(self):
        return f"{self.kind} {self.email}"
