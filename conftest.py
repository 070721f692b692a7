"""Fixtures for every test of the project."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users: a fast hasher keeps them quick (never used outside tests)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
