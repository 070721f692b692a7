"""The public list of an LAO's projects caches its table and filter form: every write path of
projects/services.py shows at once, and a cached page asks the database for less."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import Programme
from projects import services
from projects.services import ProjectData
from projects.tests.workflow import YEAR, make_project, move

pytestmark = pytest.mark.django_db


def rows(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def table(content: str) -> str:
    return content[content.index('<table class="data-table">') : content.index("</table>")]


def test_every_write_shows_at_once_in_the_cached_table(client, world):
    url = reverse("projects:lao", args=[world.lao.url_code])
    officer = world.officer
    project = world.project
    first, cold = rows(client, url)
    again, warm = rows(client, url)
    assert table(again) == table(first) and "ก่อสร้างอาคารเรียน" in table(first)
    assert warm < cold  # the page's rows are not read again

    # Stage changes (with the contract).
    project = move(
        project,
        officer,
        "funded",
        "procurement",
        "contracted",
        contract_amount=Decimal("900000"),
        contractor="หจก. ทดสอบ",
        contract_date=datetime.date(2026, 1, 10),
    )
    content, _ = rows(client, url)
    assert 'data-stage="contracted"' in content

    # A disbursement (saves only disbursed_total and updated_at).
    services.disbursement_add(
        project=project, user=officer, date=datetime.date(2026, 2, 1), amount=Decimal("12345")
    )
    content, _ = rows(client, url)
    assert "12,345.00" in content

    # An edit of the project (name) and of its progress.
    project.refresh_from_db()
    project = services.project_update(
        project=project,
        user=officer,
        version=project.version,
        data=ProjectData(
            name="อาคารเรียนหลังใหม่",
            fiscal_year=YEAR,
            budget_amount=Decimal("1000000"),
            strategy=world.strategy,
            programme=world.education,
        ),
    )
    content, _ = rows(client, url)
    assert "อาคารเรียนหลังใหม่" in content
    services.project_set_progress(
        project=project, user=officer, version=project.version, progress_percent=40
    )

    # A new project.
    make_project(world, name="ขุดลอกคลอง")
    content, _ = rows(client, url)
    assert "ขุดลอกคลอง" in content

    # A programme renamed in the admin (a save: its stamp moves).
    programme = Programme.objects.get(pk=world.education.pk)
    programme.name_th = "การศึกษาใหม่"
    programme.save()
    content, _ = rows(client, url)
    assert "การศึกษาใหม่" in content


def test_filters_and_pages_are_cached_apart(client, world):
    url = reverse("projects:lao", args=[world.lao.url_code])
    for number in range(30):
        make_project(world, name=f"โครงการที่ {number:02d}")
    make_project(world, name="ปีหน้า", fiscal_year=YEAR + 1)
    first, _ = rows(client, url, fiscal_year="all")
    second, _ = rows(client, url, fiscal_year="all", page=2)
    assert table(first) != table(second)
    assert "ปีหน้า" in first and "ปีหน้า" not in second
    next_year, _ = rows(client, url, fiscal_year=YEAR + 1)
    assert "ปีหน้า" in next_year and "โครงการที่ 00" not in next_year
    assert f'<option value="{YEAR + 1}" selected>' in next_year
    assert f'<option value="{YEAR + 1}" selected>' not in rows(client, url, fiscal_year="all")[0]


def cache_entries() -> int:
    from django.core.cache import cache

    return len(cache._cache)  # LocMemCache, the cache of the tests


def test_junk_parameters_and_their_order_share_the_cached_entries(client, world):
    client.force_login(world.citizen)  # visitors get whole pages (units.pagecache)
    url = reverse("projects:lao", args=[world.lao.url_code])
    first, _ = rows(client, url, fiscal_year=YEAR, stage="planned")
    entries = cache_entries()
    second, _ = rows(client, f"{url}?stage=planned&junk=1&fiscal_year={YEAR}&x=<b>&page=1")
    assert cache_entries() == entries  # filter form, rows and map points all reused
    assert table(second) == table(first)
    rows(client, url, fiscal_year=YEAR, stage="planned", other="2")
    assert cache_entries() == entries


def test_invalid_values_make_no_cache_entry(client, world):
    client.force_login(world.citizen)  # visitors get whole pages (units.pagecache)
    url = reverse("projects:lao", args=[world.lao.url_code])
    rows(client, url)
    entries = cache_entries()
    for value in ("x1", "x2", "1999"):
        content, _ = rows(client, url, fiscal_year=value)
        assert "ก่อสร้างอาคารเรียน" in table(content)  # the invalid value is ignored
    assert cache_entries() == entries
    # The error of an invalid value never reaches the valid page.
    assert "errorlist" not in rows(client, url)[0]


def test_visitors_get_the_page_after_one_query_and_follow_a_link(
    client, world, django_assert_num_queries
):
    url = reverse("projects:lao", args=[world.lao.url_code])
    first = client.get(url, {"fiscal_year": "all"}).content
    with django_assert_num_queries(1):
        assert client.get(url, {"fiscal_year": "all"}).content == first
    assert b"follow-login" in first and b"csrfmiddlewaretoken" not in first
    # A signed-in citizen gets the page itself, with the follow form.
    client.force_login(world.citizen)
    assert b"csrfmiddlewaretoken" in client.get(url, {"fiscal_year": "all"}).content


def test_another_lao_s_writes_leave_the_page_stored(client, world, django_assert_num_queries):
    url = reverse("projects:lao", args=[world.lao.url_code])
    client.get(url)
    make_project(world, name="ของเพื่อนบ้าน", lao=world.neighbour, user=world.neighbour_officer)
    with django_assert_num_queries(1):
        client.get(url)
