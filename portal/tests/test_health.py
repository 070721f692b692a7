"""`/healthz/worker`: ok while a task worker beats, 503 when it is stale or never ran."""

import datetime

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from units.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def beat(seconds_ago: int, worker_id="w1"):
    at = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(worker_id=worker_id, started_at=at, beat_at=at)


def test_no_worker_ever_seen_is_503_never(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz-worker"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "worker": "never",
        "last_seen": None,
        "age_seconds": None,
        "stale_after_seconds": 60,
    }
    assert "no-cache" in response["Cache-Control"]


def test_a_recent_beat_is_ok_with_its_age(client, django_assert_num_queries):
    beat(300, worker_id="gone")
    beat(4)
    with django_assert_num_queries(1):
        response = client.get(reverse("healthz-worker"))
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["worker"]) == ("ok", "ok")
    assert 4 <= body["age_seconds"] <= 6


def test_an_old_beat_is_503_stale(client):
    beat(61)
    response = client.get(reverse("healthz-worker"))
    assert response.status_code == 503
    body = response.json()
    assert body["worker"] == "stale" and body["age_seconds"] >= 61
    assert body["last_seen"].startswith(str(timezone.now().year))


def test_a_database_failure_is_503(client, monkeypatch):
    def broken(**kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("portal.health.worker_health", broken)
    response = client.get(reverse("healthz-worker"))
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_healthz_itself_stays_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(reverse("healthz")).status_code == 200
