"""The LAO profile from the page cache (units.pagecache): a visitor's second request is one
query, and every kind of write shows on the next one; signed-in users get their own page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets import services as budget_services
from budgets.services import LineData
from budgets.tests.factories import imported_classification
from units import profile as profile_registry
from units import stamps
from units.models import ChangeSource
from units.services import lao_update
from units.stamps import lao_stamp

pytestmark = pytest.mark.django_db

CODE = "6300001"  # the tree's `lao`


def get(client, url):
    """The page and how many queries answered it."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.fixture
def url(tree):
    return reverse("units:detail", args=[tree.lao.url_code])


def test_every_registered_section_names_its_stamps():
    """Otherwise the profile would not be cached at all."""
    assert profile_registry.profile_stamps(CODE) is not None
    assert set(profile_registry.profile_stamps(CODE)) >= {
        lao_stamp("budgets", CODE),
        lao_stamp("projects", CODE),
        "benchmarks",
        lao_stamp("benchmarks", CODE),
        lao_stamp("forums", CODE),
        "knowledge",
    }


def test_a_visitor_gets_the_stored_profile_after_one_query(client, url, django_assert_num_queries):
    first, misses = get(client, url)
    assert misses == 11  # the stamps, the LAO, the sections: budget 1, projects 2, ranking 2,
    # completeness 1, discussion 1, documents 2
    with django_assert_num_queries(1):
        second = client.get(url)
    assert second.content.decode() == first


def test_an_enacted_plan_shows_at_once(client, url, tree):
    classification = imported_classification()
    before, _ = get(client, url)
    plan = budget_services.budget_plan_create(lao=tree.lao, fiscal_year=2569, user=tree.officer)
    line = LineData(
        programme_id=classification.education.pk,
        expense_type_id=classification.materials.pk,
        item="วัสดุการศึกษา",
        amount=Decimal("1234567.00"),
    )
    plan = budget_services.budget_plan_save(
        plan=plan, user=tree.officer, version=plan.version, lines=[line], revenues={}
    )
    plan = budget_services.budget_plan_submit(
        plan=plan, user=tree.officer, version=plan.version, imbalance_reason="เงินสะสม"
    )
    # Drafts and submitted plans are not public: the stored profile still holds.
    assert get(client, url) == (before, 1)
    budget_services.budget_plan_enact(plan=plan, user=tree.staff, version=plan.version)
    after, misses = get(client, url)
    assert "1,234,567.00" in after and misses > 1


def test_an_edit_of_the_lao_shows_at_once(client, url, tree):
    get(client, url)
    lao_update(
        lao=tree.lao,
        user=tree.officer,
        data={"chief_executive": "นายใหม่ ใจดี"},
        source=ChangeSource.FORM,
    )
    assert "นายใหม่ ใจดี" in get(client, url)[0]


@pytest.mark.parametrize(
    "name",
    ["benchmarks", lao_stamp("benchmarks", CODE), lao_stamp("forums", CODE), "knowledge"],
)
def test_the_other_areas_stamps_renew_the_profile(client, url, name):
    get(client, url)
    stamps.bump(name)
    assert get(client, url)[1] > 1


def test_another_lao_s_stamps_leave_the_profile_stored(client, url):
    get(client, url)
    stamps.bump(lao_stamp("budgets", "6300002"), lao_stamp("projects", "6300002"))
    assert get(client, url)[1] == 1


def test_the_officer_of_the_lao_still_sees_the_edit_link(client, url, tree):
    edit = reverse("units:edit", args=[tree.lao.url_code])
    assert edit not in get(client, url)[0]
    client.force_login(tree.officer)
    assert edit in get(client, url)[0]
    client.logout()
    client.cookies.clear()
    assert edit not in get(client, url)[0]


@pytest.fixture
def section_without_stamps():
    profile_registry.register_profile_section(
        "unstamped",
        title="Unstamped",
        template="units/profile/_placeholder.html",
        context=lambda lao, request: {"title": "Unstamped", "text": "Unstamped"},
        order=99,
    )
    yield
    profile_registry.unregister_profile_section("unstamped")


def test_a_section_without_stamps_keeps_the_profile_uncached(client, url, section_without_stamps):
    assert profile_registry.profile_stamps(CODE) is None
    get(client, url)
    assert get(client, url)[1] > 1
