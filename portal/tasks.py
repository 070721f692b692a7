"""Background tasks of the portal shell (django.tasks; `manage.py units_run_worker` runs them)."""

from django.core.mail import EmailMessage
from django.tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail; returns the number of messages sent (0 or 1).

    Runs in the worker so a slow mail server never delays a page.
    """
    return EmailMessage(subject=subject, body=body, to=to).send()
