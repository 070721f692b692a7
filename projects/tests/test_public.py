"""Citizen pages: an LAO's projects, a project, the profile section, follows."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Follow, Notification, Project, StageChange
from projects.tests.workflow import YEAR, make_project, move
from units.tests.markup import EXPECTED, WITH_MICROSECONDS, time_values

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response


def test_lao_projects_list_filters_and_query_count_independent_of_rows(client, world):
    url = reverse("projects:lao", args=[world.lao.url_code])
    few, response = count_queries(client, url, fiscal_year="all")
    assert few <= 8
    for number in range(30):
        make_project(
            world, name=f"โครงการ {number}", latitude=Decimal("14.9"), longitude=Decimal("102.1")
        )
    make_project(world, name="ปีหน้า", fiscal_year=YEAR + 1)
    many, response = count_queries(client, url, fiscal_year="all")
    assert many == few
    assert response.context["page_obj"].paginator.count == 32
    assert len(response.context["points"]) == 30
    assert response.context["totals"]["budget"] == Decimal("1000000") + 31 * Decimal("500000")
    content = response.content.decode()
    assert 'id="project-points"' in content and "js/projects-map.js" in content

    _, response = count_queries(client, url, fiscal_year=YEAR + 1)
    assert [p.name for p in response.context["page_obj"]] == ["ปีหน้า"]
    _, response = count_queries(
        client, url, fiscal_year="all", stage="planned", programme=world.education.pk
    )
    assert response.context["page_obj"].paginator.count == 32
    _, response = count_queries(client, url, stage="completed")
    assert response.context["page_obj"].paginator.count == 0
    # Another LAO's projects are not listed; an unknown LAO is 404.
    make_project(world, lao=world.far, user=world.far_staff, name="ไกล")
    _, response = count_queries(client, url, fiscal_year=YEAR)
    assert "ไกล" not in response.content.decode()
    assert client.get(reverse("projects:lao", args=["9999999"])).status_code == 404


def test_project_page_shows_the_chain_timeline_and_money(client, world):
    project = move(
        world.project,
        world.officer,
        "funded",
        "procurement",
        "contracted",
        contract_amount=Decimal("800000"),
        contractor="หจก. ก่อสร้างดี",
        contract_date="2026-01-15",
    )
    from projects import services

    services.disbursement_add(
        project=project, user=world.officer, date="2026-02-01", amount=Decimal("200000")
    )
    english(client)
    queries, response = count_queries(client, reverse("projects:detail", args=[project.pk]))
    assert queries <= 6
    content = response.content.decode()
    assert world.strategy.name in content
    assert world.education.name_th in content
    assert "200,000.00" in content and "800,000.00" in content
    assert "25% disbursed" in content
    assert [c.to_stage for c in response.context["history"]] == [
        "planned",
        "funded",
        "procurement",
        "contracted",
    ]
    assert "Demo data" not in content
    Project.objects.filter(pk=project.pk).update(is_demo=True)
    assert "Demo data" in client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert client.get(reverse("projects:detail", args=[999999])).status_code == 404


def test_profile_section_counts_stages_of_the_latest_year(client, world):
    move(world.project, world.officer, "funded")
    make_project(world, name="สอง")
    make_project(world, name="เก่า", fiscal_year=YEAR - 1)
    english(client)
    response = client.get(reverse("units:detail", args=[world.lao.url_code]))
    assert response.status_code == 200
    content = response.content.decode()
    assert f"2 projects in fiscal year {YEAR}" in content
    assert reverse("projects:lao", args=[world.lao.url_code]) in content
    card = next(c for c in response.context["sections"] if c["key"] == "projects")
    assert not card["placeholder"]
    empty = client.get(reverse("units:detail", args=[world.far.url_code])).content.decode()
    assert "No projects have been published for this LAO yet." in empty


def test_follow_requires_login_and_toggles(client, world):
    project = world.project
    url = reverse("projects:follow", args=[project.pk])
    response = client.post(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not Follow.objects.exists()
    client.force_login(world.citizen)
    assert client.post(url, {"action": "follow"}).status_code == 302
    assert Follow.objects.filter(user=world.citizen, project=project).exists()
    assert client.get(reverse("projects:detail", args=[project.pk])).context["following"]
    lao_url = reverse("projects:lao-follow", args=[world.lao.url_code])
    client.post(lao_url, {"action": "follow"})
    assert Follow.objects.filter(user=world.citizen, lao=world.lao).exists()
    client.post(lao_url, {"action": "unfollow"})
    assert not Follow.objects.filter(user=world.citizen, lao=world.lao).exists()
    assert client.get(url).status_code == 405


def test_following_page_lists_notifications_and_marks_them_read(
    client, world, django_assert_max_num_queries
):
    project = world.project
    client.force_login(world.citizen)
    client.post(reverse("projects:follow", args=[project.pk]), {"action": "follow"})
    project = move(project, world.officer, "funded", "procurement")
    for number in range(5):
        make_project(world, name=f"อื่น {number}")
    with django_assert_max_num_queries(7):
        response = client.get(reverse("projects:following"))
    assert len(response.context["page_obj"]) == 2
    assert "notification-unread" in response.content.decode()
    client.post(reverse("projects:notifications-read"))
    assert not Notification.objects.filter(user=world.citizen, read_at=None).exists()
    client.logout()
    response = client.get(reverse("projects:following"))
    assert response.status_code == 302


def test_landing_page_guides_each_visitor(client, world, django_assert_num_queries):
    english(client)
    with django_assert_num_queries(0):
        content = client.get(reverse("projects:index")).content.decode()
    assert reverse("units:index") in content
    assert reverse("projects:manage") not in content
    client.force_login(world.officer)
    content = client.get(reverse("projects:index")).content.decode()
    assert reverse("projects:manage") in content and reverse("projects:project-new") in content


def test_project_timeline_and_notifications_are_valid_html_times(client, world):
    """Whole seconds with the offset: see units/tests/test_time_markup.py."""
    client.force_login(world.citizen)
    project = world.project
    client.post(reverse("projects:follow", args=[project.pk]), {"action": "follow"})
    project = move(project, world.officer, "funded")
    StageChange.objects.filter(project=project).update(at=WITH_MICROSECONDS)
    Notification.objects.update(created_at=WITH_MICROSECONDS)

    timeline = time_values(client.get(reverse("projects:detail", args=[project.pk])))
    assert timeline == [EXPECTED] * StageChange.objects.filter(project=project).count()
    assert set(time_values(client.get(reverse("projects:following")))) == {EXPECTED}
