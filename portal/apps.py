from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal.middleware import record_back_office_login

        # Session bookkeeping at login, like Django's own last_login receiver; no business step.
        user_logged_in.connect(record_back_office_login, dispatch_uid="portal_back_office_login")
