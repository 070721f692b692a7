"""Every `<time datetime>` the pages render is a valid HTML date/time: whole seconds with the
offset (HTML allows at most three fractional digits; Python's and Django's ISO formats keep the
six digits of microseconds, which the Nu HTML checker rejects)."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from units.models import LAO, ChangeSource, LAOChange, Role
from units.services import lao_update
from units.tests.factories import LAOFactory, UserFactory
from units.tests.markup import EXPECTED, WITH_MICROSECONDS, time_values

pytestmark = pytest.mark.django_db


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
