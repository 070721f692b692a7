import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from units.demo import DEMO_PASSWORD
from units.models import Role, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_a_login_per_role_and_is_idempotent(capsys):
    call_command("seed_demo", "--scale", "small")
    call_command("seed_demo", "--scale", "small")
    assert User.objects.filter(username="admin").count() == 1
    admin = authenticate(username="admin", password=DEMO_PASSWORD)
    assert admin is not None and admin.is_superuser and admin.role == Role.ADMIN
    assert authenticate(username="executive", password=DEMO_PASSWORD).role == Role.EXECUTIVE
    assert "lao-demo-2569" in capsys.readouterr().out
