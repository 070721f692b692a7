import pytest

from budgets.importers import classification_import
from budgets.models import ExpenseCategory, ExpenseType, Programme, RevenueSource, Sector, Work

pytestmark = pytest.mark.django_db


def test_the_real_classification_imports_with_stable_keys():
    summary = classification_import()
    assert (summary.sectors, summary.programmes, summary.works) == (4, 12, 39)
    assert (summary.categories, summary.types, summary.revenue_sources) == (6, 11, 9)
    education = Programme.objects.get(key="EDUCATION")
    assert education.name_th == "แผนงานการศึกษา"
    assert education.sector.key == "COMMUNITY_SOCIAL"
    assert Work.objects.get(key="EDUCATION.02").name_th == "งานระดับก่อนวัยเรียนและประถมศึกษา"
    assert ExpenseType.objects.get(key="MATERIALS").category.key == "OPERATIONS"
    assert ExpenseCategory.objects.get(key="PERSONNEL").account_code == "520000"
    assert RevenueSource.objects.get(key="GENERAL_GRANT").group.key == "GRANTS"


def test_reimport_updates_in_place():
    classification_import()
    Sector.objects.filter(key="ECONOMIC").update(name_en="changed")
    ids = set(Programme.objects.values_list("pk", flat=True))
    classification_import()
    assert Sector.objects.get(key="ECONOMIC").name_en == "Economic Affairs"
    assert set(Programme.objects.values_list("pk", flat=True)) == ids


def test_the_classification_page_lists_every_code_in_a_few_queries(
    client, django_assert_num_queries
):
    classification_import()
    with django_assert_num_queries(7):  # one per level of the classification
        response = client.get("/budgets/classification/")
    html = response.content.decode()
    assert "EDUCATION.02" in html and "งานระดับก่อนวัยเรียนและประถมศึกษา" in html
    assert "MATERIALS" in html and "GENERAL_GRANT" in html
