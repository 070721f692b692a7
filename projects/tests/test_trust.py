"""What citizens read and trust: the profile card and the project list show the same fiscal
year, a project lists its payments, an LAO is followed from its profile, and the dashboards, the
budget explorer and the profile lead to each other."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from projects import rules, services
from projects.models import Follow
from projects.tests.workflow import make_project, move
from units.thai import current_fiscal_year

pytestmark = pytest.mark.django_db


def card(response) -> dict:
    return next(c for c in response.context["sections"] if c["key"] == "projects")


# --- One fiscal year on the profile and the list -------------------------------------------------


def test_shown_fiscal_year_rule():
    assert rules.shown_fiscal_year([2568, 2570, 2571], 2570) == 2570  # the current year
    assert rules.shown_fiscal_year([2566, 2568, 2571], 2570) == 2568  # else the latest before
    assert rules.shown_fiscal_year([2573, 2572], 2570) == 2572  # only years ahead: the nearest
    assert rules.shown_fiscal_year([], 2570) is None


def test_profile_card_and_project_list_show_the_same_year_by_default(
    english_client, world, django_assert_num_queries
):
    current = current_fiscal_year()
    for number in range(3):
        make_project(world, name=f"ปีนี้ {number}", fiscal_year=current, budget="100000")
    make_project(world, name="ปีก่อน", fiscal_year=current - 1, budget="900000")
    make_project(world, name="ปีหน้า", fiscal_year=current + 1, budget="700000")
    expected = world.lao.projects.filter(fiscal_year=current)

    # anonymous: the page cache's stamps, the LAO (with geography), the budget section (1), the
    # projects section (2), ranking (2), completeness (1), discussion (1), documents and good
    # practices (3, one to find the LAO's nearest neighbours)
    with django_assert_num_queries(12):
        profile = english_client.get(reverse("units:detail", args=[world.lao.url_code]))
    summary = card(profile)
    html = profile.content.decode()
    assert f"{expected.count()} projects in fiscal year {current}" in html
    assert f"Fiscal year {current} is the current fiscal year." in html
    list_url = reverse("projects:lao", args=[world.lao.url_code])
    assert f'href="{list_url}?fiscal_year={current}"' in html
    assert f'href="{list_url}?fiscal_year=all"' in html
    assert not summary["placeholder"]

    # the page cache's stamps, LAO, years, programmes, totals, page, map points
    with django_assert_num_queries(7):
        listed = english_client.get(list_url)
    totals = listed.context["totals"]
    assert totals["count"] == expected.count()
    assert totals["budget"] == sum(p.budget_amount for p in expected)
    content = listed.content.decode()
    assert f'<option value="{current}" selected>' in content
    assert f"Fiscal year {current} is the current fiscal year." in content
    assert "ปีก่อน" not in content and "ปีหน้า" not in content
    # The same link the profile gives: the same projects, no note about a default.
    chosen = english_client.get(list_url, {"fiscal_year": current})
    assert chosen.context["totals"]["count"] == expected.count()
    assert "is the current fiscal year" not in chosen.content.decode()


def test_every_year_stays_chosen_across_pages(client, world):
    current = current_fiscal_year()
    for number in range(30):
        make_project(world, name=f"เก่า {number:02d}", fiscal_year=current - 1)
    make_project(world, name="ปีนี้", fiscal_year=current)
    url = reverse("projects:lao", args=[world.lao.url_code])
    assert client.get(url).context["totals"]["count"] == 1
    everything = client.get(url, {"fiscal_year": "all"})
    assert everything.context["totals"]["count"] == world.lao.projects.count()
    assert "fiscal_year=all&amp;page=2" in everything.content.decode()
    second = client.get(url, {"fiscal_year": "all", "page": 2})
    assert second.context["totals"]["count"] == world.lao.projects.count()


def test_without_projects_this_year_both_pages_show_the_latest_year_and_say_why(
    english_client, world
):
    current = current_fiscal_year()
    world.lao.projects.all().delete()
    make_project(world, name="สองปีก่อน", fiscal_year=current - 2)
    make_project(world, name="ปีหน้า", fiscal_year=current + 1)
    profile = english_client.get(reverse("units:detail", args=[world.lao.url_code]))
    assert card(profile)["key"] == "projects"
    html = profile.content.decode()
    assert f"1 project in fiscal year {current - 2}" in html
    assert "the LAO has no project in the current fiscal year" in html
    listed = english_client.get(reverse("projects:lao", args=[world.lao.url_code]))
    assert [p.name for p in listed.context["page_obj"]] == ["สองปีก่อน"]
    assert "the LAO has no project in the current fiscal year" in listed.content.decode()
    # A link to a year without projects falls back to the same year.
    stale = english_client.get(
        reverse("projects:lao", args=[world.lao.url_code]), {"fiscal_year": "2500"}
    )
    assert [p.name for p in stale.context["page_obj"]] == ["สองปีก่อน"]


# --- The project page: each payment, and planned dates that are not a stage ---------------------


def test_project_page_lists_each_disbursement_with_its_thai_date(
    client, world, django_assert_num_queries
):
    project = move(
        world.project,
        world.officer,
        "funded",
        "procurement",
        "contracted",
        contract_amount=Decimal("800000"),
        contractor="หจก. ก่อสร้างดี",
        contract_date=datetime.date(2026, 1, 15),
    )
    services.disbursement_add(
        project=project,
        user=world.officer,
        date=datetime.date(2026, 2, 1),
        amount=Decimal("200000"),
    )
    services.disbursement_add(
        project=project,
        user=world.officer,
        date=datetime.date(2026, 3, 5),
        amount=Decimal("50000.50"),
        reference="ฎีกา 12/2569",
    )
    url = reverse("projects:detail", args=[project.pk])
    # project with its chain, stage history, disbursements (anonymous: no follow query)
    with django_assert_num_queries(3):
        response = client.get(url)
    html = response.content.decode()
    table = html[html.index('class="data-table disbursement-table"') :]
    table = table[: table.index("</table>")]
    assert table.index("1 ก.พ. 2569") < table.index("5 มี.ค. 2569")
    assert "200,000.00" in table and "50,000.50" in table and "250,000.50" in table
    assert 'datetime="2026-02-01"' in table
    assert "ฎีกา" not in html  # the voucher reference stays in the back office
    assert "วางแผน</dt>" not in html  # planned dates are not labelled like the stage


def test_project_page_without_disbursements_says_so(english_client, world):
    html = english_client.get(reverse("projects:detail", args=[world.project.pk])).content.decode()
    assert "No money has been disbursed for this project yet." in html
    assert "<dt>Planned start and end</dt>" in html
    assert "<dt>Planned</dt>" not in html
    assert "Entered as" in html  # the first timeline entry is not read as a stage move


# --- Follow an LAO from its profile ------------------------------------------------------------


def test_follow_an_lao_from_its_profile(client, world, django_assert_num_queries):
    profile_url = reverse("units:detail", args=[world.lao.url_code])
    follow_url = reverse("projects:lao-follow", args=[world.lao.url_code])
    html = client.get(profile_url).content.decode()
    assert f'href="{reverse("login")}?next={profile_url}"' in html  # log in to follow

    # Anonymous posts are sent to log in; a GET is refused; nothing is followed.
    response = client.post(follow_url, {"action": "follow", "back": "profile"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(follow_url).status_code == 405
    assert not Follow.objects.exists()

    client.force_login(world.citizen)
    # session, user, the LAO, the sections (as above: 10), is the LAO followed (1)
    with django_assert_num_queries(14):
        html = client.get(profile_url).content.decode()
    assert f'action="{follow_url}"' in html and 'name="back" value="profile"' in html
    response = client.post(follow_url, {"action": "follow", "back": "profile"})
    assert response.status_code == 302 and response["Location"] == profile_url
    assert Follow.objects.filter(user=world.citizen, lao=world.lao).exists()
    html = client.get(profile_url).content.decode()
    assert 'name="action" value="unfollow"' in html
    client.post(follow_url, {"action": "unfollow", "back": "profile"})
    assert not Follow.objects.filter(user=world.citizen, lao=world.lao).exists()
    # From the project list it still comes back to the list; an unknown LAO is 404.
    response = client.post(follow_url, {"action": "follow"})
    assert response["Location"] == reverse("projects:lao", args=[world.lao.url_code])
    missing = reverse("projects:lao-follow", args=["9999999"])
    assert client.post(missing, {"action": "follow"}).status_code == 404


# --- The profile, the explorer and the dashboard lead to each other ------------------------------


@pytest.mark.parametrize(
    ("who", "sees"), [(None, False), ("citizen", False), ("executive", True), ("officer", True)]
)
def test_profile_links_staff_to_the_explorer_and_the_dashboard(client, world, who, sees):
    if who:
        client.force_login(getattr(world, who))
    html = client.get(reverse("units:detail", args=[world.lao.url_code])).content.decode()
    explorer = reverse("budgets:explorer-lao", args=[world.lao.url_code])
    lagging = reverse("projects:dashboard-lagging") + f"?lao={world.lao.dla_code}"
    assert (f'href="{explorer}"' in html) is sees
    assert (f'href="{lagging}"' in html) is sees


def test_explorer_lao_page_and_lagging_page_link_to_each_other(client, world):
    client.force_login(world.executive)
    explorer = reverse("budgets:explorer-lao", args=[world.lao.url_code])
    lagging = reverse("projects:dashboard-lagging")
    html = client.get(explorer).content.decode()
    assert f'href="{lagging}?lao={world.lao.dla_code}"' in html
    html = client.get(lagging, {"lao": world.lao.dla_code}).content.decode()
    assert f'href="{explorer}"' in html
    assert f'href="{world.lao.get_absolute_url()}"' in html
