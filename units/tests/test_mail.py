from django.core import mail
from django.tasks import TaskResultStatus

from units.mail import send_email


def test_send_email_task_delivers_the_message():
    result = send_email.enqueue(subject="ทดสอบ", body="สวัสดี", to=["officer@example.org"])
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert mail.outbox[0].subject == "ทดสอบ"
    assert mail.outbox[0].to == ["officer@example.org"]


def test_mail_queued_on_commit_goes_one_message_per_address_and_not_after_a_rollback(
    django_capture_on_commit_callbacks, db
):
    from django.db import transaction

    from units.mail import send_email_on_commit

    with django_capture_on_commit_callbacks(execute=True):
        send_email_on_commit(
            subject="เตือน", body="ข้อมูลยังไม่ครบ", to=["a@x.org", "b@x.org", "a@x.org", ""]
        )
    assert sorted(message.to[0] for message in mail.outbox) == ["a@x.org", "b@x.org"]
    assert all(len(message.to) == 1 for message in mail.outbox)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                send_email_on_commit(subject="x", body="y", to=["c@x.org"])
                raise RuntimeError
        except RuntimeError:
            pass
    assert mail.outbox == []
