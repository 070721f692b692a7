"""The admin lists indicators (computed ones read-only but for being shown) and their values
(filters, search by DLA code, no writes)."""

import pytest
from django.urls import reverse

from benchmarks.models import Indicator, Source
from benchmarks.tests.factories import IndicatorValueFactory

pytestmark = pytest.mark.usefixtures("indicators")


def test_computed_indicator_is_read_only_but_may_be_hidden(client, tree):
    client.force_login(tree.admin)
    indicator = Indicator.objects.get(code="capital-share")
    url = reverse("admin:benchmarks_indicator_change", args=[indicator.pk])
    form = client.get(url).context["adminform"].form
    assert set(form.fields) == {"is_active"}
    client.post(url, {"is_active": ""})
    indicator.refresh_from_db()
    assert not indicator.is_active and indicator.name_en == "Capital (investment) share"
    delete = reverse("admin:benchmarks_indicator_delete", args=[indicator.pk])
    assert client.get(delete).status_code == 403


def test_an_indicator_made_in_the_admin_is_imported(client, tree):
    client.force_login(tree.admin)
    response = client.post(
        reverse("admin:benchmarks_indicator_add"),
        {
            "code": "ita-score",
            "name_th": "คะแนน ITA",
            "name_en": "ITA score",
            "unit": "score",
            "direction": "higher",
            "area": "governance",
            "bands": "[]",
            "weight": "1",
            "sort_order": "20",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Indicator.objects.get(code="ita-score").source == Source.IMPORTED


def test_values_are_searched_by_dla_code_and_never_changed(client, tree):
    IndicatorValueFactory(lao=tree.lao)
    IndicatorValueFactory(lao=tree.far)
    client.force_login(tree.admin)
    url = reverse("admin:benchmarks_indicatorvalue_changelist")
    response = client.get(url, {"q": tree.far.dla_code})
    assert [value.lao for value in response.context["cl"].result_list] == [tree.far]
    assert client.get(url, {"fiscal_year": "2569", "status": "provisional"}).status_code == 200
    assert client.get(reverse("admin:benchmarks_indicatorvalue_add")).status_code == 403
