"""Officer pages under /projects/manage/: scope, forms, stage actions, disbursements."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from projects.models import DevelopmentPlan, Project, Stage
from projects.tests.workflow import YEAR, make_project, move

pytestmark = pytest.mark.django_db

CONTRACT_POST = {
    "to_stage": "contracted",
    "contract_amount": "900,000.00",
    "contractor": "หจก. ก่อสร้างดี",
    "contract_date": "2026-01-15",
    "note": "ลงนามสัญญา",
}


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def project_post(world, **changes):
    data = {
        "name": "ถนนคอนกรีตเสริมเหล็ก หมู่ 3",
        "fiscal_year": YEAR,
        "strategy": world.strategy.pk,
        "programme": world.education.pk,
        "budget_amount": "1,250,000.50",
        "location": "หมู่ 3",
        "latitude": "14.97",
        "longitude": "102.1",
        "planned_start": "2026-01-01",
        "planned_end": "2026-06-30",
        "responsible_unit": "กองช่าง",
        "targets": "ถนนยาว 500 เมตร",
    }
    data.update(changes)
    return data


def test_officer_creates_moves_disburses_and_records_progress(client, world):
    client.force_login(world.officer)
    response = client.post(reverse("projects:project-new"), project_post(world))
    project = Project.objects.get(name="ถนนคอนกรีตเสริมเหล็ก หมู่ 3")
    assert response["Location"] == reverse("projects:manage-project", args=[project.pk])
    assert project.lao == world.lao and project.code == f"{YEAR}-002"
    assert project.budget_amount == Decimal("1250000.50")
    assert project.strategy == world.strategy and project.plan == world.plan

    stage_url = reverse("projects:project-stage", args=[project.pk])
    for stage in ("funded", "procurement"):
        project.refresh_from_db()
        client.post(stage_url, {"to_stage": stage, "version": project.version})
    project.refresh_from_db()
    response = client.post(stage_url, {**CONTRACT_POST, "version": project.version})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.CONTRACTED
    assert project.contract_amount == Decimal("900000")

    response = client.post(
        reverse("projects:project-disburse", args=[project.pk]),
        {"date": "2026-02-01", "amount": "300,000", "reference": "V-1"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.disbursed_total == Decimal("300000")

    response = client.post(
        reverse("projects:project-progress", args=[project.pk]),
        {"progress_percent": "40", "version": project.version},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.progress_percent == 40
    response = client.get(reverse("projects:manage-project", args=[project.pk]))
    assert [stage.value for stage in response.context["next_stages"]] == [
        "in_progress",
        "cancelled",
    ]


def test_forms_keep_input_on_errors(client, world):
    client.force_login(world.officer)
    english(client)
    response = client.post(
        reverse("projects:project-new"), project_post(world, budget_amount="many")
    )
    assert response.status_code == 400
    assert "ถนนคอนกรีตเสริมเหล็ก หมู่ 3" in response.content.decode()
    assert not Project.objects.filter(name="ถนนคอนกรีตเสริมเหล็ก หมู่ 3").exists()

    project = move(world.project, world.officer, "funded", "procurement")
    response = client.post(
        reverse("projects:project-stage", args=[project.pk]),
        {**CONTRACT_POST, "contractor": "", "version": project.version},
    )
    assert response.status_code == 400
    assert response.context["stage_form"].errors["contractor"] == ["Enter the contractor."]
    assert 'value="900,000.00"' in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.PROCUREMENT


def test_disbursement_over_the_contract_is_refused_with_its_message(client, world):
    project = move(
        world.project,
        world.officer,
        "funded",
        "procurement",
        "contracted",
        contract_amount=Decimal("1000"),
        contractor="ร้าน ก",
        contract_date="2026-01-01",
    )
    client.force_login(world.officer)
    english(client)
    response = client.post(
        reverse("projects:project-disburse", args=[project.pk]),
        {"date": "2026-02-01", "amount": "1,000.01"},
    )
    assert response.status_code == 400
    assert "at most 1,000.00 baht is left" in response.content.decode()
    project.refresh_from_db()
    assert project.disbursed_total == 0


def test_stale_version_is_refused(client, world):
    project = world.project
    client.force_login(world.officer)
    response = client.post(
        reverse("projects:project-stage", args=[project.pk]),
        {"to_stage": "funded", "version": project.version + 5},
    )
    assert response.status_code == 409
    response = client.post(
        reverse("projects:project-edit", args=[project.pk]),
        {**project_post(world), "version": project.version + 5},
    )
    assert response.status_code == 409
    project.refresh_from_db()
    assert project.stage == Stage.PLANNED and project.name == "ก่อสร้างอาคารเรียน"


MANAGE_URLS = [
    ("projects:manage", False),
    ("projects:project-new", False),
    ("projects:plans", False),
    ("projects:plan-new", False),
    ("projects:manage-project", True),
    ("projects:project-edit", True),
]


@pytest.mark.parametrize(("name", "takes_pk"), MANAGE_URLS)
def test_anonymous_is_sent_to_login(client, world, name, takes_pk):
    url = reverse(name, args=[world.project.pk] if takes_pk else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("action", ["project-stage", "project-disburse", "project-progress"])
def test_writes_refused_to_anonymous_and_out_of_scope(client, world, action):
    project = world.project
    url = reverse(f"projects:{action}", args=[project.pk])
    data = {
        "to_stage": "funded",
        "version": project.version,
        "progress_percent": 50,
        "date": "2026-01-01",
        "amount": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    for user in ("neighbour_officer", "far_staff", "executive", "citizen"):
        client.force_login(getattr(world, user))
        assert client.post(url, data).status_code == 404
    project.refresh_from_db()
    assert (project.stage, project.progress_percent, project.version) == ("planned", 0, 1)


def test_scope_of_reading(client, world):
    project = world.project
    url = reverse("projects:manage-project", args=[project.pk])
    client.force_login(world.neighbour_officer)
    assert client.get(url).status_code == 404
    assert client.get(reverse("projects:project-edit", args=[project.pk])).status_code == 404
    client.force_login(world.citizen)
    assert client.get(reverse("projects:manage")).status_code == 404
    client.force_login(world.executive)
    response = client.get(url)
    assert response.status_code == 200 and not response.context["can_edit"]
    assert client.get(reverse("projects:project-edit", args=[project.pk])).status_code == 404
    client.force_login(world.staff)
    assert client.get(url).context["can_edit"]
    # Staff choose one of their LAOs for a new project; another province's is 404.
    assert client.get(reverse("projects:project-new")).status_code == 404
    far = world.far.dla_code
    assert client.get(reverse("projects:project-new") + f"?lao={far}").status_code == 404
    lao = world.lao.dla_code
    assert client.get(reverse("projects:project-new") + f"?lao={lao}").status_code == 200


def test_manage_list_filters_and_counts_queries(client, world, django_assert_max_num_queries):
    for number in range(15):
        make_project(world, name=f"โครงการ {number}")
    make_project(world, name="ปีหน้า", fiscal_year=YEAR + 1)
    make_project(world, lao=world.neighbour, user=world.staff, name="ของเพื่อนบ้าน")
    client.force_login(world.officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("projects:manage"))
    assert response.context["page_obj"].paginator.count == 17
    response = client.get(reverse("projects:manage"), {"fiscal_year": YEAR + 1})
    assert [p.name for p in response.context["page_obj"]] == ["ปีหน้า"]
    response = client.get(reverse("projects:manage"), {"q": "ก่อสร้าง"})
    assert [p.name for p in response.context["page_obj"]] == ["ก่อสร้างอาคารเรียน"]
    response = client.get(reverse("projects:manage"), {"stage": "funded"})
    assert response.context["page_obj"].paginator.count == 0
    client.force_login(world.staff)
    assert client.get(reverse("projects:manage")).context["page_obj"].paginator.count == 18


def test_manage_project_page_counts_queries(client, world, django_assert_max_num_queries):
    project = move(
        world.project,
        world.officer,
        "funded",
        "procurement",
        "contracted",
        contract_amount=Decimal("1000"),
        contractor="ร้าน ก",
        contract_date="2026-01-01",
    )
    from projects import services

    for day in range(1, 8):
        services.disbursement_add(
            project=project, user=world.officer, date=f"2026-02-0{day}", amount=Decimal("10")
        )
    client.force_login(world.officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("projects:manage-project", args=[project.pk]))
    assert response.status_code == 200
    assert len(response.context["disbursements"]) == 7


def test_development_plan_create_and_edit(client, world, django_assert_max_num_queries):
    client.force_login(world.officer)
    response = client.post(
        reverse("projects:plan-new"),
        {"start_year": 2571, "vision": "ก้าวหน้า", "strategies": "หนึ่ง\nสอง\n\nสาม"},
    )
    assert response.status_code == 302
    plan = DevelopmentPlan.objects.get(lao=world.lao, start_year=2571)
    assert plan.end_year == 2575
    assert list(plan.strategies.values_list("name", flat=True)) == ["หนึ่ง", "สอง", "สาม"]
    response = client.post(
        reverse("projects:plan-edit", args=[plan.pk]),
        {"start_year": 2571, "vision": "ใหม่", "strategies": "สอง\nหนึ่ง"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.vision == "ใหม่" and plan.start_year == 2571
    assert list(plan.strategies.values_list("name", flat=True)) == ["สอง", "หนึ่ง"]
    response = client.post(reverse("projects:plan-new"), {"start_year": 2571, "strategies": "x"})
    assert response.status_code == 400
    with django_assert_max_num_queries(6):
        assert client.get(reverse("projects:plans")).status_code == 200
    client.force_login(world.neighbour_officer)
    response = client.post(
        reverse("projects:plan-edit", args=[plan.pk]), {"vision": "x", "strategies": "x"}
    )
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.vision == "ใหม่"


# --- the back-office list searched nationally by executives --------------------------------------


def test_executive_list_search_in_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    for number in range(5):
        make_project(world, name=f"ถนนคอนกรีต {number}")
    client.force_login(world.executive)
    # session, user, programmes, capped count, the page (LAO and programme joined)
    with django_assert_num_queries(5):
        response = client.get(reverse("projects:manage"), {"q": "ถนนคอนกรีต"})
    assert response.context["page_obj"].paginator.count == 5
    assert response.context["count_capped"] is False
    assert response.context["search_too_short"] is False
    # The search is by name fragment or code prefix.
    response = client.get(reverse("projects:manage"), {"q": world.project.code[:4]})
    assert world.project in response.context["page_obj"].object_list


@pytest.mark.parametrize("query", ["ถน", "a", " ab "])
def test_a_search_shorter_than_three_characters_is_not_run(client, world, query):
    make_project(world, name="ถนนคอนกรีต")
    client.force_login(world.executive)
    with settings_language_en(client):
        response = client.get(reverse("projects:manage"), {"q": query})
    assert response.context["search_too_short"] is True
    assert response.context["page_obj"].paginator.count == Project.objects.count()
    assert "Type at least 3 characters" in response.content.decode()


def test_the_count_stops_at_the_cap(client, world, monkeypatch, django_assert_num_queries):
    from projects import views

    monkeypatch.setattr(views, "MANAGE_COUNT_CAP", 3)
    for number in range(4):
        make_project(world, name=f"ถนนลาดยาง {number}")
    client.force_login(world.executive)
    with settings_language_en(client):
        with django_assert_num_queries(5):
            response = client.get(reverse("projects:manage"), {"q": "ถนนลาดยาง"})
    assert response.context["count_capped"] is True
    assert response.context["page_obj"].paginator.count == 3
    assert "More than 3 projects" in response.content.decode()
    response = client.get(reverse("projects:manage"), {"q": "ถนนลาดยาง 1"})
    assert response.context["count_capped"] is False
    assert response.context["page_obj"].paginator.count == 1


def test_a_capped_page_sorts_only_the_first_matches(world):
    # A common word matches hundreds of thousands of projects: the page takes the first cap + 1
    # ids in an order an index serves (LIMITed), then sorts only those.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects import selectors

    for number in range(3):
        make_project(world, name=f"ถนนลูกรัง {number}")
    queryset = Project.objects.filter(name__contains="ถนนลูกรัง").order_by("name")
    with CaptureQueriesContext(connection) as queries:
        page, capped = selectors.capped_page(
            queryset=queryset, cap=2, per_page=10, number=1, first_by=("-fiscal_year",)
        )
        names = [project.name for project in page.object_list]
    assert capped is True
    assert len(names) == 2 and names == sorted(names)
    assert "LIMIT 3" in queries[0]["sql"]
    assert "IN (" in queries[1]["sql"]


def test_a_capped_page_keeps_the_capped_selection_in_sql(world):
    # The first `cap` matches stay a LIMITed subquery of the page's query: a list of a thousand
    # ids sent back to the database cost more (binding, planning) than the search itself.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects import selectors

    for number in range(3):
        make_project(world, name=f"ถนนหินคลุก {number}")
    queryset = Project.objects.filter(name__contains="ถนนหินคลุก").order_by("name")
    with CaptureQueriesContext(connection) as queries:
        page, capped = selectors.capped_page(
            queryset=queryset, cap=2, per_page=10, number=1, first_by=("-fiscal_year",)
        )
        names = [project.name for project in page.object_list]
    assert capped is True and page.paginator.count == 2 and len(names) == 2
    assert len(queries) == 2
    assert "COUNT(*)" in queries[0]["sql"] and "LIMIT 3" in queries[0]["sql"]
    assert "LIMIT 2)" in queries[1]["sql"]
    ids = {
        str(pk)
        for pk in Project.objects.filter(name__contains="ถนนหินคลุก").values_list("pk", flat=True)
    }
    assert not any(f"IN ({pk}" in queries[1]["sql"] for pk in ids)


class settings_language_en:
    """Ask for English pages (the hint and the count are checked in their msgid)."""

    def __init__(self, client):
        self.client = client

    def __enter__(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def __exit__(self, *exc):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"


def test_a_project_without_a_programme_is_listed_with_a_dash(client, world):
    project = make_project(world, name="โครงการไม่มีแผนงาน")
    Project.objects.filter(pk=project.pk).update(programme=None)
    client.force_login(world.officer)
    for url in (
        reverse("projects:manage"),
        reverse("projects:manage-project", args=[project.pk]),
        reverse("projects:lao", args=[world.lao.url_code]),
    ):
        response = client.get(url, {"fiscal_year": "all"})
        assert response.status_code == 200, url
        assert "—" in response.content.decode()
