"""The dashboard's rendered tables at national scale: a province's LAO table and a page of
lagging projects are rendered once per change of what they show, and every kind of write
renews them (a project write through the services, an LAO renamed in the registry)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects import dashboard, services
from projects.models import Project, Stage
from projects.tests.test_dashboard import seeded  # noqa: F401 (the fixture)
from units.models import LAO
from units.thai import current_fiscal_year

pytestmark = pytest.mark.django_db
URL = reverse("projects:dashboard")
LAGGING_URL = reverse("projects:dashboard-lagging")
LAO_TABLE = "projects/_dashboard_laos.html"
LAGGING_TABLE = "projects/_dashboard_lagging.html"


def rendered(response) -> set[str]:
    return {template.name for template in response.templates}


def lao_row(response, lao) -> dict:
    return next(row for row in response.context["lao_rows"] if row["lao"].pk == lao.pk)


def lao_table(response) -> str:
    html = response.content.decode()
    return html[html.index('id="lao-table"') :].split("</table>", 1)[0]


def lagging_table(response) -> str:
    html = response.content.decode()
    return html[html.index('id="lagging-title"') :].split("</section>", 1)[0]


def payable_project(lao) -> Project:
    """A project of the LAO's current year that may still be paid 1 baht."""
    for project in Project.objects.filter(
        lao=lao,
        fiscal_year=current_fiscal_year(),
        stage__in=[Stage.CONTRACTED, Stage.IN_PROGRESS],
    ).order_by("code"):
        if project.disbursed_total + 1 <= project.disbursement_limit:
            return project
    raise AssertionError("the seed has no payable project")


def test_a_province_lao_table_is_rendered_once_per_change(
    client,
    seeded,  # noqa: F811
    django_assert_num_queries,
):
    client.force_login(seeded.executive)
    north = seeded.north
    lao = next(lao for lao in seeded.laos if lao.province_id == north.pk)
    query = {"province": north.code}
    # session, user, provinces, programmes, years, rollup cells, lagging page, reports, stamps;
    # the first time also the province's LAOs.
    with django_assert_num_queries(10):
        first = client.get(URL, query)
    assert LAO_TABLE in rendered(first)
    with django_assert_num_queries(9):
        again = client.get(URL, query)
    assert LAO_TABLE not in rendered(again)
    assert lao_table(again) == lao_table(first)

    # A disbursement through the service: the next page shows the LAO's new total.
    project = payable_project(lao)
    before = lao_row(first, lao)["figures"].disbursed
    services.disbursement_add(
        project=project, user=None, date=project.contract_date, amount=Decimal("1"), reference="T"
    )
    after = client.get(URL, query)
    assert LAO_TABLE in rendered(after)
    assert lao_row(after, lao)["figures"].disbursed == before + 1
    assert lao_table(after) != lao_table(first)


def test_a_write_the_totals_do_not_show_still_renews_the_lao_table(client, seeded):  # noqa: F811
    """The LAO table is kept under the province's projects stamp as well as its totals, so a
    change the totals cannot see (a budget moved between two LAOs' projects) renews it too."""
    client.force_login(seeded.executive)
    north = seeded.north
    lao = next(lao for lao in seeded.laos if lao.province_id == north.pk)
    first = client.get(URL, {"province": north.code})
    project = Project.objects.filter(lao=lao, stage=Stage.IN_PROGRESS).first()
    services.project_set_progress(
        project=project,
        user=_admin(),
        version=project.version,
        progress_percent=min(project.progress_percent + 1, 99),
    )
    after = client.get(URL, {"province": north.code})
    assert after.context["tables_key"] != first.context["tables_key"]
    assert after.context["laos_key"] != first.context["laos_key"]
    assert LAO_TABLE in rendered(after)
    # The other province's tables are not renewed by it.
    south = client.get(URL, {"province": seeded.south.code})
    assert (
        client.get(URL, {"province": seeded.south.code}).context["laos_key"]
        == (south.context["laos_key"])
    )


def _admin():
    from units.models import Role
    from units.tests.factories import UserFactory

    return UserFactory(role=Role.ADMIN, username="admin", is_superuser=True, is_staff=True)


def test_the_lao_table_keeps_only_the_valid_filters_in_its_links(client, seeded):  # noqa: F811
    client.force_login(seeded.executive)
    code = seeded.north.code
    keys, tables = set(), []
    for query in (f"?province={code}&utm_source=junk", f"?utm_source=other&province={code}"):
        response = client.get(URL + query)
        keys.add(response.context["laos_key"])
        tables.append(lao_table(response))
    assert len(keys) == 1 and tables[0] == tables[1]
    assert "utm_source" not in tables[0]
    assert f"?province={code}&amp;lao=" in tables[0]


def test_a_lagging_page_is_rendered_once_per_change(
    client,
    seeded,  # noqa: F811
    django_assert_num_queries,
):
    client.force_login(seeded.executive)
    query = {"province": seeded.north.code}
    first = client.get(LAGGING_URL, query)
    rows = first.context["lagging"].rows
    assert rows and LAGGING_TABLE in rendered(first)
    # session, user, provinces, programmes, years, the page of projects, stamps
    with django_assert_num_queries(7):
        again = client.get(LAGGING_URL, query)
    assert LAGGING_TABLE not in rendered(again)
    assert lagging_table(again) == lagging_table(first)

    # An LAO renamed in the registry (the admin's save): the next page shows the new name.
    lao = LAO.objects.get(pk=rows[0].lao_id)
    lao.name_th = lao.full_name_th = "องค์การบริหารส่วนตำบลชื่อใหม่"
    lao.save()
    renamed = client.get(LAGGING_URL, query)
    assert LAGGING_TABLE in rendered(renamed)
    assert "ชื่อใหม่" in lagging_table(renamed)

    # A stage change through the service: the project leaves the list.
    project = Project.objects.select_related("lao").get(pk=rows[0].pk)
    services.project_change_stage(
        project=project, user=_admin(), to_stage=Stage.CANCELLED, version=project.version
    )
    after = client.get(LAGGING_URL, query)
    assert LAGGING_TABLE in rendered(after)
    assert project.pk not in [row.pk for row in after.context["lagging"].rows]
    assert f">{project.name}<" not in lagging_table(after)


def test_the_dashboard_lagging_preview_shows_a_rename(client, seeded):  # noqa: F811
    client.force_login(seeded.executive)
    first = client.get(URL)
    lao = LAO.objects.get(pk=first.context["lagging"].rows[0].lao_id)
    lao.name_th = lao.full_name_th = "เทศบาลตำบลชื่อใหม่"
    lao.save()
    after = client.get(URL)
    assert after.context["lagging_key"] != first.context["lagging_key"]
    assert "ชื่อใหม่" in lagging_table(after)


def test_province_stamp_moves_with_every_project_write_of_its_laos(seeded):  # noqa: F811
    from units import stamps

    north = seeded.north
    name = dashboard.province_stamp(north.pk)
    lao = next(lao for lao in seeded.laos if lao.province_id == north.pk)
    (before,) = stamps.read([name])
    project = payable_project(lao)
    services.disbursement_add(
        project=project, user=None, date=project.contract_date, amount=Decimal("1"), reference="S"
    )
    assert stamps.read([name]) == (before + 1,)
    assert stamps.read([dashboard.province_stamp(seeded.south.pk)]) == (0,)
