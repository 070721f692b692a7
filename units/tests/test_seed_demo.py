import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from units.demo import DEMO_OFFICER_LAO, DEMO_PASSWORD, DEMO_PROVINCE
from units.models import LAO, LAOKind, Role, User

pytestmark = pytest.mark.django_db


def test_seed_demo_small_loads_two_provinces_and_a_login_per_role(capsys, rf):
    request = rf.post("/accounts/login/")  # django-axes checks logins against their request
    call_command("seed_demo", "--scale", "small", "--allow-demo-accounts")
    call_command("seed_demo", "--scale", "small", "--allow-demo-accounts")
    assert User.objects.filter(username="admin").count() == 1
    admin = authenticate(request, username="admin", password=DEMO_PASSWORD)
    assert admin is not None and admin.is_superuser and admin.role == Role.ADMIN
    assert (
        authenticate(request, username="executive", password=DEMO_PASSWORD).role == Role.EXECUTIVE
    )
    officer = authenticate(request, username="officer", password=DEMO_PASSWORD)
    assert officer.role == Role.OFFICER and officer.lao.dla_code == DEMO_OFFICER_LAO
    staff = authenticate(request, username="provincial", password=DEMO_PASSWORD)
    assert staff.role == Role.PROVINCIAL and staff.province.code == DEMO_PROVINCE
    assert set(LAO.objects.values_list("province__code", flat=True)) == {"10", "11"}
    assert LAO.objects.filter(kind=LAOKind.BANGKOK).count() == 1
    assert not LAO.objects.filter(demo_fields=[]).exists()
    assert "lao-demo-2569" in capsys.readouterr().out
