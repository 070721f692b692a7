"""Rate limits counted in the database, so that they hold across every worker and process, and
the client's address they are usually keyed by.

    if not limits.attempt_allowed("forums.post", keys=[f"user:{user.pk}", f"ip:{ip}"],
                                  limit=5, window=timedelta(minutes=10)):
        ...  # refuse, with a translated message

An attempt counts whether or not the action then succeeds. Attempts under the same key wait for
each other (a transaction-level advisory lock per action and key), so a burst of parallel requests
cannot all read "under the limit" and all pass. Rows older than a day are deleted by
`portal_delete_expired_signups` (run daily).
"""

import ipaddress
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from units.models import Attempt


def client_ip(request) -> str | None:
    """The address of the client, for login lockouts and rate limits.

    Behind a proxy (DJANGO_BEHIND_PROXY) the right-most X-Forwarded-For entry is the one our proxy
    appended; entries to its left are whatever the client sent. Without a proxy the header is
    ignored, or anyone could pose as any address and dodge every limit.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or None


def address_key(ip: str | None) -> str | None:
    """The key a client address is counted by: the address itself for IPv4, its /64 network
    for IPv6 (one subscriber usually holds a whole /64, and would otherwise have 2^64 keys)."""
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return f"ip:{ip}"
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return f"ip:{address.ipv4_mapped}"
        return f"ip:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"ip:{address}"


def request_keys(request) -> list[str]:
    """The keys an anonymous or signed-in request is counted by: its account (if any) and its
    address (if known; an IPv6 address by its /64)."""
    keys = []
    if request.user.is_authenticated:
        keys.append(f"user:{request.user.pk}")
    key = address_key(client_ip(request))
    if key:
        keys.append(key)
    return keys


@transaction.atomic
def attempt_allowed(action: str, *, keys: Iterable[str], limit: int, window: timedelta) -> bool:
    """Record an attempt of `action` under each key unless one of the keys has had `limit`
    attempts within `window`; returns False (nothing recorded) then. No key: always refused,
    since such a request cannot be counted."""
    keys = [key[:128] for key in keys if key]
    if not keys:
        return False
    with connection.cursor() as cursor:
        for key in sorted(keys):  # one order everywhere: two requests never wait on each other
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{action}|{key}"])
    since = timezone.now() - window
    recent = Attempt.objects.filter(action=action, created_at__gte=since)
    for key in keys:
        if recent.filter(key=key).count() >= limit:
            return False
    Attempt.objects.bulk_create([Attempt(action=action, key=key) for key in keys])
    return True


def attempts_delete_old(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete attempts older than any window in use; returns how many."""
    deleted, _ = Attempt.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
