"""Telling followers: a notification on their account page, and an e-mail where configured."""

from django.db import transaction
from django.db.models import Q

from projects.models import Follow, Notification, Project
from projects.tasks import email_notifications
from units.models import LAO


@transaction.atomic
def followers_notify(
    *, message: str, url: str = "", project: Project | None = None, lao: LAO | None = None
) -> int:
    """Notify everyone who follows `project`, or its LAO (or `lao`); returns how many.

    One query for the followers, one insert; the e-mails go out from the task worker after the
    transaction commits.
    """
    lao_id = lao.pk if lao is not None else (project.lao_id if project is not None else None)
    condition = Q(lao_id=lao_id) if lao_id else Q(pk__in=[])
    if project is not None:
        condition |= Q(project=project)
    user_ids = set(Follow.objects.filter(condition).values_list("user_id", flat=True))
    notifications = Notification.objects.bulk_create(
        Notification(user_id=user_id, message=message[:500], url=url) for user_id in user_ids
    )
    ids = [notification.pk for notification in notifications]
    if ids:
        transaction.on_commit(lambda: email_notifications.enqueue(notification_ids=ids))
    return len(ids)
