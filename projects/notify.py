"""Telling followers: a notification on their account page, and an e-mail where configured.

One way for one piece of news or for thousands (`followers_notify_many`): one query for the
followers, one insert, whatever the number of projects; the e-mails go out from the task worker
after the transaction commits.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from projects.models import Follow, Notification, Project
from projects.rules import stage_label
from projects.tasks import email_notifications
from units.models import LAO

MESSAGE_LENGTH = 500  # Notification.message


@dataclass(frozen=True)
class News:
    """One message for the followers of a project (and of its LAO), or of an LAO alone.

    `compose`, when given, makes the message and the URL only if someone follows: an upload
    moving thousands of projects nobody follows words none of them.
    """

    message: str = ""
    url: str = ""
    project_id: int | None = None
    lao_id: int | None = None
    compose: Callable[[], tuple[str, str]] | None = None

    def text(self) -> tuple[str, str]:
        """The message and the URL."""
        return self.compose() if self.compose is not None else (self.message, self.url)


def stage_change_news(
    *,
    project_id: int,
    lao_id: int,
    project_name: str,
    lao_name: str,
    from_stage: str,
    to_stage: str,
) -> News:
    """The news of a project's move from one stage to another, linked to its public page."""

    def compose() -> tuple[str, str]:
        message = _("%(project)s (%(lao)s): stage changed from %(from)s to %(to)s") % {
            "project": project_name,
            "lao": lao_name,
            "from": stage_label(from_stage),
            "to": stage_label(to_stage),
        }
        return message, reverse("projects:detail", args=[project_id])

    return News(project_id=project_id, lao_id=lao_id, compose=compose)


@transaction.atomic
def followers_notify_many(news: list[News]) -> int:
    """Notify the followers of each piece of news: who follows its project or its LAO, once
    each. Returns how many notifications were made. Two queries whatever the number of news."""
    project_ids = {item.project_id for item in news if item.project_id}
    lao_ids = {item.lao_id for item in news if item.lao_id}
    if not (project_ids or lao_ids):
        return 0
    followers: dict[tuple[str, int], set[int]] = defaultdict(set)
    follows = Follow.objects.filter(Q(project_id__in=project_ids) | Q(lao_id__in=lao_ids))
    for user_id, project_id, lao_id in follows.values_list("user_id", "project_id", "lao_id"):
        followers[("project", project_id) if project_id else ("lao", lao_id)].add(user_id)
    notifications = []
    for item in news:
        users = followers.get(("project", item.project_id), set()) | followers.get(
            ("lao", item.lao_id), set()
        )
        if not users:
            continue
        message, url = item.text()
        notifications.extend(
            Notification(user_id=user_id, message=message[:MESSAGE_LENGTH], url=url)
            for user_id in users
        )
    if not notifications:
        return 0
    ids = [
        notification.pk
        for notification in Notification.objects.bulk_create(notifications, batch_size=5000)
    ]
    transaction.on_commit(lambda: email_notifications.enqueue(notification_ids=ids))
    return len(ids)


def followers_notify(
    *, message: str, url: str = "", project: Project | None = None, lao: LAO | None = None
) -> int:
    """Notify everyone who follows `project`, or its LAO (or `lao`); returns how many."""
    lao_id = lao.pk if lao is not None else (project.lao_id if project is not None else None)
    return followers_notify_many(
        [
            News(
                message=message,
                url=url,
                project_id=project.pk if project is not None else None,
                lao_id=lao_id,
            )
        ]
    )
