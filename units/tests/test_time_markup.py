"""Every `<time datetime>` the pages render is a valid HTML date/time: whole seconds with the
offset (HTML allows at most three fractional digits; Python's and Django's ISO formats keep the
six digits of microseconds, which the Nu HTML checker rejects)."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from projects.models import Notification, StageChange
from projects.tests.pages_world import build_world, move
from units.models import LAO, ChangeSource, LAOChange, Role
from units.services import lao_update
from units.tests.factories import LAOFactory, UserFactory

pytestmark = pytest.mark.django_db

TIME_ATTRIBUTE = re.compile(r'<time datetime="([^"]*)"')
# 14:30:15.123456 UTC: 21:30:15 in Bangkok, the portal's time zone.
WITH_MICROSECONDS = datetime.datetime(2026, 1, 5, 14, 30, 15, 123456, tzinfo=datetime.UTC)
EXPECTED = "2026-01-05T21:30:15+07:00"
VALID = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")


def time_values(response) -> list[str]:
    assert response.status_code == 200
    values = TIME_ATTRIBUTE.findall(response.content.decode())
    assert values, "the page shows no <time> element"
    assert all(VALID.match(value) for value in values), values
    return values


def test_profile_updated_at(client):
    lao = LAOFactory()
    LAO.objects.filter(pk=lao.pk).update(updated_at=WITH_MICROSECONDS)
    response = client.get(reverse("units:detail", args=[lao.url_code]))
    assert time_values(response) == [EXPECTED]


def test_history_changed_at(client):
    lao = LAOFactory(population=1000)
    lao_update(lao=lao, user=None, data={"population": 1200}, source=ChangeSource.UPLOAD)
    LAOChange.objects.update(changed_at=WITH_MICROSECONDS)
    client.force_login(UserFactory(role=Role.EXECUTIVE))
    assert time_values(client.get(reverse("units:history", args=[lao.url_code]))) == [EXPECTED]


def test_project_timeline_and_notifications(client):
    world = build_world()
    client.force_login(world["citizen"])
    project = world["project"]
    client.post(reverse("projects:follow", args=[project.pk]), {"action": "follow"})
    project = move(project, world["officer"], "funded")
    StageChange.objects.filter(project=project).update(at=WITH_MICROSECONDS)
    Notification.objects.update(created_at=WITH_MICROSECONDS)

    timeline = time_values(client.get(reverse("projects:detail", args=[project.pk])))
    assert timeline == [EXPECTED] * StageChange.objects.filter(project=project).count()
    assert set(time_values(client.get(reverse("projects:following")))) == {EXPECTED}


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        (WITH_MICROSECONDS, EXPECTED),
        # a naive value has no zone to state: a valid local date and time
        (datetime.datetime(2026, 1, 5, 9, 0, 0, 500), "2026-01-05T09:00:00"),  # noqa: DTZ001
        (datetime.date(2026, 1, 5), "2026-01-05"),
        (None, ""),
        ("", ""),
    ],
)
def test_time_datetime_filter(value, rendered):
    template = Template("{% load thai %}{{ value|time_datetime }}")
    assert template.render(Context({"value": value})) == rendered
