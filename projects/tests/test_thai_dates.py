"""Dates in the officer's project forms are typed and shown the Thai way (day/month/BE year),
not in the browser's format: planned dates, the contract date, a disbursement's date."""

import datetime
import re

import pytest
from django.urls import reverse

from projects.models import Project, Stage
from projects.tests.test_views import project_post
from projects.tests.workflow import move

pytestmark = pytest.mark.django_db


def test_a_project_round_trips_its_planned_dates_in_buddhist_era(client, world):
    client.force_login(world.officer)
    response = client.post(
        reverse("projects:project-new"),
        project_post(world, planned_start="1/1/2569", planned_end="30 มิ.ย. 2569"),
    )
    assert response.status_code == 302
    project = Project.objects.get(name="ถนนคอนกรีตเสริมเหล็ก หมู่ 3")
    assert project.planned_start == datetime.date(2026, 1, 1)
    assert project.planned_end == datetime.date(2026, 6, 30)

    html = client.get(reverse("projects:project-edit", args=[project.pk])).content.decode()
    assert re.search(r'<input type="text" name="planned_start" value="01/01/2569"', html)
    assert 'value="30/06/2569"' in html
    assert 'type="date"' not in html

    # Saved back as shown: nothing moves.
    data = project_post(world, planned_start="01/01/2569", planned_end="30/06/2569")
    response = client.post(
        reverse("projects:project-edit", args=[project.pk]), {**data, "version": project.version}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.planned_start, project.planned_end) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 6, 30),
    )


def test_english_shows_the_gregorian_year(english_client, world):
    english_client.force_login(world.officer)
    project = world.project
    Project.objects.filter(pk=project.pk).update(planned_start=datetime.date(2026, 1, 31))
    html = english_client.get(reverse("projects:project-edit", args=[project.pk])).content.decode()
    assert 'value="31/01/2026"' in html


def test_a_wrong_date_is_an_error_beside_the_field_and_in_the_summary(client, world):
    client.force_login(world.officer)
    response = client.post(
        reverse("projects:project-new"), project_post(world, planned_start="31/02/2569")
    )
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert '<a href="#id_planned_start">' in html
    assert 'id="id_planned_start_error"' in html
    assert 'value="31/02/2569"' in html  # kept as typed


def test_contract_and_disbursement_dates_the_thai_way(client, world):
    project = world.project
    move(project, world.officer, Stage.FUNDED, Stage.PROCUREMENT)
    project.refresh_from_db()
    client.force_login(world.officer)
    response = client.post(
        reverse("projects:project-stage", args=[project.pk]),
        {
            "to_stage": "contracted",
            "contract_amount": "900,000",
            "contractor": "หจก. ก่อสร้างดี",
            "contract_date": "15 ม.ค. 2569",
            "version": project.version,
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("projects:project-disburse", args=[project.pk]),
        {"date": "1/2/2569", "amount": "300,000", "reference": "V-1"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.contract_date == datetime.date(2026, 1, 15)
    assert project.disbursements.get().date == datetime.date(2026, 2, 1)


def test_a_wrong_contract_date_is_summarised_in_the_stage_section(client, world):
    project = move(world.project, world.officer, Stage.FUNDED, Stage.PROCUREMENT)
    client.force_login(world.officer)
    response = client.post(
        reverse("projects:project-stage", args=[project.pk]),
        {
            "to_stage": "contracted",
            "contract_amount": "900,000",
            "contractor": "หจก. ก่อสร้างดี",
            "contract_date": "32/1/2569",
            "version": project.version,
        },
    )
    html = response.content.decode()
    assert '<a href="#id_contract_date">' in html
    assert html.index('class="error-summary"') < html.index('id="id_contract_date"')
