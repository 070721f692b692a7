from django.core import mail
from django.tasks import TaskResultStatus

from portal.tasks import send_email


def test_send_email_task_delivers_the_message():
    result = send_email.enqueue(subject="ทดสอบ", body="สวัสดี", to=["officer@example.org"])
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert mail.outbox[0].subject == "ทดสอบ"
    assert mail.outbox[0].to == ["officer@example.org"]
