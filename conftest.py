"""Fixtures for every test of the project."""

import pytest
from django.conf import settings
from django.db import connections

from units.tests.factories import Tree, build_tree


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users: a fast hasher keeps them quick (never used outside tests)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached page fragments."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def thai_by_default():
    """Each test starts in the portal's default language, whatever a previous request left
    active in this thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def tree(db) -> Tree:
    """Province 30 with `lao` (6300001) and `neighbour` (6300002), province 31 with `far`
    (6310001), and a user of every role (see units.tests.factories.Tree)."""
    return build_tree()


@pytest.fixture
def english_client(client):
    """The client asks for the portal's second language: messages are checked in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(scope="module")
def close_progress_connection(django_db_setup, django_db_blocker):
    """Upload progress goes through the "progress" alias (a mirror of default in tests), whose
    connection stays open across tests: close it before the test database goes."""
    yield
    with django_db_blocker.unblock():
        connections["progress"].close()
