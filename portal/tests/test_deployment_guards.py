"""Settings and commands that must not trust or publish anything by default."""

import pytest
from django.core.management import CommandError, call_command

from tests.test_settings import run_django
from units.models import LAO, User


def test_x_forwarded_proto_is_not_believed_without_a_proxy(rf):
    request = rf.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert not request.is_secure()


def test_x_forwarded_proto_is_believed_behind_a_proxy():
    probe = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    common = {
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    }
    behind = run_django(
        ["shell", "--no-imports", "-c", probe], DJANGO_BEHIND_PROXY="true", **common
    )
    assert behind.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", behind.stderr
    alone = run_django(["shell", "--no-imports", "-c", probe], **common)
    assert alone.stdout.strip() == "None", alone.stderr


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off_unless_told(settings):
    settings.DEBUG = False
    settings.PORTAL_DEMO_ACCOUNTS = False
    with pytest.raises(CommandError, match="--allow-demo-accounts"):
        call_command("seed_demo", "--scale", "small")
    assert not User.objects.exists()
    assert not LAO.objects.exists()
