"""Fixtures for every test of the project."""

import pytest


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
