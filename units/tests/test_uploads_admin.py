"""The registry Resource in the Django admin (django-import-export on Django 6.1), admins only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from units.models import LAO, ChangeSource, LAOChange, Role
from units.tests.factories import LAOFactory, UserFactory
from units.tests.uploads import REGISTRY_HEADERS, workbook

pytestmark = pytest.mark.django_db


def test_admin_import_page_renders_and_dry_runs(client):
    lao = LAOFactory(dla_code="6400100", population=5000, households=1000)
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))
    url = reverse("admin:units_lao_import")
    assert client.get(url).status_code == 200
    content = workbook(REGISTRY_HEADERS, [["6400100", "", "12,345", "", "", "", "", ""]])
    response = client.post(
        url,
        {
            "resource": "0",
            "format": "1",  # xlsx in import-export's default format list
            "import_file": SimpleUploadedFile("r.xlsx", content),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "12345" in html, html[:3000]
    lao.refresh_from_db()
    assert lao.population == 5000  # a dry run
    assert LAOChange.objects.count() == 0


def test_admin_import_confirms_through_the_history(client):
    lao = LAOFactory(dla_code="6400100", population=5000, households=1000)
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True))
    url = reverse("admin:units_lao_import")
    content = workbook(REGISTRY_HEADERS, [["6400100", "", "12,345", "", "", "", "", ""]])
    response = client.post(
        url,
        {"resource": "0", "format": "1", "import_file": SimpleUploadedFile("r.xlsx", content)},
    )
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update({k: v for k, v in form.initial.items() if v is not None})
    response = client.post(reverse("admin:units_lao_process_import"), data)
    assert response.status_code == 302
    lao.refresh_from_db()
    assert lao.population == 12345
    change = LAOChange.objects.get()
    assert change.source == ChangeSource.ADMIN
    assert change.changes == {"population": ["5000", "12345"]}


def test_executives_cannot_import(client):
    client.force_login(UserFactory(role=Role.EXECUTIVE, is_staff=True, is_superuser=False))
    assert client.get(reverse("admin:units_lao_import")).status_code == 403
    assert LAO.objects.count() == 0
