"""Background tasks of projects (django.tasks; `manage.py units_run_worker` runs them)."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.tasks import task
from django.utils.translation import gettext as _


@task()
def email_notifications(*, notification_ids: list[int]) -> int:
    """E-mail notifications to their users who have an address; returns the number sent."""
    from projects.models import Notification

    notifications = Notification.objects.filter(pk__in=notification_ids).select_related("user")
    messages = [
        (
            _("LAO Portal"),
            f"{notification.message}\n\n{settings.PORTAL_BASE_URL}{notification.url}"
            if notification.url
            else notification.message,
            None,
            [notification.user.email],
        )
        for notification in notifications
        if notification.user.email
    ]
    return send_mass_mail(messages) if messages else 0
