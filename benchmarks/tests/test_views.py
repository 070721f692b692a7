"""The public pages: the index, the methodology, an indicator's values with filters, paging
and downloads; a value that could not be computed shows its reason, never a zero."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from benchmarks.models import Indicator, Reason, ValueStatus
from benchmarks.tests.factories import IndicatorFactory, IndicatorValueFactory
from benchmarks.views import PAGE_SIZE
from units.models import LAOKind
from units.tests.factories import lao_in

pytestmark = pytest.mark.usefixtures("indicators")


@pytest.fixture
def shares(tree):
    """Personnel share (lower is better) of 2569 for the tree's three LAOs, the neighbour's
    not final; one value of 2568."""
    indicator = Indicator.objects.get(code="personnel-share")
    IndicatorValueFactory(indicator=indicator, lao=tree.lao, value=Decimal("45.5"))
    IndicatorValueFactory(indicator=indicator, lao=tree.far, value=Decimal("22.25"))
    IndicatorValueFactory(
        indicator=indicator, lao=tree.neighbour, value=None, reason=Reason.NOT_FINAL
    )
    IndicatorValueFactory(
        indicator=indicator,
        lao=tree.lao,
        fiscal_year=2568,
        value=Decimal("30"),
        status=ValueStatus.FINAL,
    )
    return indicator


def page(client, indicator, **query):
    return client.get(reverse("benchmarks:indicator", args=[indicator.code]), query)


def test_index_lists_the_indicators(client, django_assert_num_queries):
    with django_assert_num_queries(2):  # the page's stamps, the indicators
        content = client.get(reverse("benchmarks:index")).content.decode()
    assert reverse("benchmarks:indicator", args=["personnel-share"]) in content
    assert reverse("benchmarks:methodology") in content
    assert "งบประมาณรายจ่ายต่อประชากร" in content


def test_methodology_is_written_from_the_definitions(english_client, django_assert_num_queries):
    # the page's stamps, indicators, saturated indicators, the current composite version (none:
    # no versions)
    with django_assert_num_queries(4):
        content = english_client.get(reverse("benchmarks:methodology")).content.decode()
    for indicator in Indicator.objects.all():
        assert f'id="{indicator.code}"' in content
        assert escape(indicator.formula_en) in content
    assert "Local Personnel Administration Act" in content  # the norm of the personnel bands
    assert "Not rated: no norm exists for this indicator." in content
    for reason in Reason:
        assert str(reason.label) in content


def test_indicator_page_best_first_with_reasons(client, tree, shares, django_assert_num_queries):
    # The page's stamps, the indicator, its years, the provinces of the filter, the count, the
    # rows, the year's national figures.
    with django_assert_num_queries(7):
        response = page(client, shares)
    rows = list(response.context["page_obj"].object_list)
    # Lower is better: the lowest share first, the one without a value last.
    assert [row.lao for row in rows] == [tree.far, tree.lao, tree.neighbour]
    assert response.context["fiscal_year"] == 2569  # the newest year by default
    content = response.content.decode()
    assert str(Reason.NOT_FINAL.label) in content
    assert "22.3 %" in content and "45.5 %" in content
    assert "0.0 %" not in content


def test_indicator_page_filters(client, tree, shares):
    assert [r.lao for r in page(client, shares, province="31").context["page_obj"]] == [tree.far]
    assert [r.value for r in page(client, shares, fiscal_year="2568").context["page_obj"]] == [
        Decimal("30.0000")
    ]
    assert not page(client, shares, kind=LAOKind.PAO).context["page_obj"].object_list
    # An unknown year shows the newest; an unknown province is ignored.
    response = page(client, shares, fiscal_year="1999", province="xx")
    assert response.status_code == 200
    assert response.context["fiscal_year"] == 2569
    assert len(response.context["page_obj"]) == 3
    # A bad kind does not make the page name another year than the rows it shows.
    response = page(client, shares, fiscal_year="2568", kind="bogus")
    assert response.context["fiscal_year"] == 2568
    assert [row.fiscal_year for row in response.context["page_obj"]] == [2568]


def test_indicator_page_paginates_with_the_filters(client, tree, shares):
    for _ in range(PAGE_SIZE):
        IndicatorValueFactory(indicator=shares, lao=lao_in(tree.province))
    response = page(client, shares, province="30", page="2")
    assert response.context["page_obj"].number == 2
    assert len(response.context["page_obj"]) == 2  # 52 LAOs in province 30
    assert "province=30" in response.content.decode()


def test_unknown_or_hidden_indicator_is_404(client, db):
    assert client.get(reverse("benchmarks:indicator", args=["nothing"])).status_code == 404
    hidden = IndicatorFactory(is_active=False)
    assert page(client, hidden).status_code == 404


def download(client, indicator, file_format, **query):
    url = reverse("benchmarks:indicator-download", args=[indicator.code, file_format])
    return client.get(url, query)


def test_csv_download_shows_the_reason_not_a_zero(english_client, tree, shares):
    response = download(english_client, shares, "csv", province="30")
    assert response["Content-Disposition"] == 'attachment; filename="personnel-share-2569.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Fiscal year", "DLA code", "LAO", "LAO kind", "Province", "percent"]
    by_code = {row[1]: row for row in rows[1:]}
    assert set(by_code) == {"6300001", "6300002"}
    assert by_code["6300001"][5:8] == ["45.5000", "Weak", ""]
    assert by_code["6300002"][5:8] == ["", "", "Not yet final"]


def test_xlsx_download_keeps_numbers(client, tree, shares):
    response = download(client, shares, "xlsx", fiscal_year="2569")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[1]: row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values == {"6310001": 22.25, "6300001": 45.5, "6300002": None}


def test_other_download_formats_are_404(client, shares):
    assert download(client, shares, "pdf").status_code == 404
