"""`/healthz/worker`: whether a background task worker is alive, for monitors.

A sibling of `/healthz` (portal/views.py) rather than part of it: `/healthz` stays one query, the
benchmark's baseline.
"""

from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from units.worker import STALE_AFTER, worker_health


@never_cache
def healthz_worker(request):
    """ok (200) when a worker beat within STALE_AFTER seconds; stale or never (503) otherwise.
    One query."""
    try:
        health = worker_health()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    body = {
        "status": "ok" if health.alive else "error",
        "worker": str(health.state),
        "last_seen": health.last_seen.isoformat() if health.last_seen else None,
        "age_seconds": health.age_seconds,
        "stale_after_seconds": STALE_AFTER,
    }
    return JsonResponse(body, status=200 if health.alive else 503)
