"""E-mail from every app, sent by the task worker (`manage.py units_run_worker`) so that a slow
mail server never delays a page."""

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail; returns the number of messages sent (0 or 1)."""
    return EmailMessage(subject=subject, body=body, to=to).send()


def send_email_on_commit(*, subject: str, body: str, to: list[str]) -> None:
    """Queue an e-mail once the current transaction commits (at once outside one): a rolled-back
    write sends nothing. Each address gets its own message, so recipients never see each other."""
    for address in dict.fromkeys(address for address in to if address):
        transaction.on_commit(
            lambda address=address: send_email.enqueue(
                subject=str(subject), body=str(body), to=[address]
            )
        )
