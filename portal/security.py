"""Account security helpers: the sign-up confirmation token. (The client's address is
`units.limits.client_ip`.)"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class SignUpTokenGenerator(PasswordResetTokenGenerator):
    """Tokens of sign-up confirmation links.

    A salt of their own, so a password-reset token never confirms a sign-up (nor the reverse), and
    a lifetime of their own (PORTAL_SIGNUP_CONFIRM_TIMEOUT). The hash also covers `is_active` and
    the role, so a token stops working once its account has been activated or changed role, even
    if it is deactivated again later.
    """

    key_salt = "portal.security.SignUpTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}{user.role}"

    def check_token(self, user, token):
        # Django's check_token reads PASSWORD_RESET_TIMEOUT; this one reads its own lifetime.
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > settings.PORTAL_SIGNUP_CONFIRM_TIMEOUT:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


signup_token_generator = SignUpTokenGenerator()
