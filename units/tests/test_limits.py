from datetime import timedelta

import pytest
from django.test import RequestFactory, override_settings
from django.utils import timezone

from units.limits import attempt_allowed, attempts_delete_old, client_ip, request_keys
from units.models import Attempt

pytestmark = pytest.mark.django_db
WINDOW = timedelta(minutes=10)


def test_limit_holds_per_key_and_refusals_are_not_counted():
    for _ in range(3):
        assert attempt_allowed("post", keys=["user:1", "ip:10.0.0.1"], limit=3, window=WINDOW)
    assert not attempt_allowed("post", keys=["user:1", "ip:10.0.0.9"], limit=3, window=WINDOW)
    # Another account from the same address is refused too: the address is spent.
    assert not attempt_allowed("post", keys=["user:2", "ip:10.0.0.1"], limit=3, window=WINDOW)
    assert attempt_allowed("post", keys=["user:2", "ip:10.0.0.2"], limit=3, window=WINDOW)
    # Other actions count apart.
    assert attempt_allowed("question", keys=["user:1"], limit=3, window=WINDOW)
    assert Attempt.objects.filter(key="ip:10.0.0.9").count() == 0


def test_old_attempts_fall_out_of_the_window_and_are_deleted():
    for _ in range(2):
        attempt_allowed("post", keys=["ip:10.0.0.1"], limit=2, window=WINDOW)
    Attempt.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert attempt_allowed("post", keys=["ip:10.0.0.1"], limit=2, window=WINDOW)
    assert attempts_delete_old() == 2
    assert Attempt.objects.count() == 1


def test_a_request_without_any_key_is_refused():
    assert not attempt_allowed("post", keys=[], limit=5, window=WINDOW)


@override_settings(BEHIND_PROXY=False)
def test_request_keys_of_anonymous_and_signed_in_requests(django_user_model):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert client_ip(request) == "10.0.0.5"
    assert request_keys(request) == ["ip:10.0.0.5"]
    request.user = django_user_model.objects.create_user(username="u1", password="x")
    assert request_keys(request) == [f"user:{request.user.pk}", "ip:10.0.0.5"]


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_parallel_attempts_cannot_all_pass():
    import threading

    from django.db import connection

    results, start = [], threading.Barrier(8)

    def attempt():
        try:
            start.wait()
            results.append(attempt_allowed("burst", keys=["ip:10.9.9.9"], limit=3, window=WINDOW))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True] * 3
    assert Attempt.objects.filter(action="burst").count() == 3


def test_ipv6_clients_are_counted_by_their_64_network():
    from units.limits import address_key

    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:ffff::9")
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("10.0.0.1") == "ip:10.0.0.1"
    assert address_key("::ffff:10.0.0.1") == "ip:10.0.0.1"
    assert address_key(None) is None
