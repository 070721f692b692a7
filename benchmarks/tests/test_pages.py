"""The public ranking tables, an LAO's benchmark page, the comparison of LAOs, the distribution
on the indicator page, the methodology and the profile's ranking section: all read stored
results (rows made here directly, as the recompute would), within a pinned number of
queries."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from benchmarks.models import (
    Explanation,
    ExplanationReason,
    ExplanationStatus,
    FigureQuestion,
    Indicator,
    Neighbour,
    PeerMembership,
    PeerStatistic,
    Reason,
)
from benchmarks.profile_ranking import ranking_section_context
from benchmarks.tests.factories import (
    CompositeScoreFactory,
    CompositeVersionFactory,
    IndicatorValueFactory,
    IndicatorYearFactory,
)
from units.models import LAOKind

pytestmark = pytest.mark.usefixtures("indicators")


@pytest.fixture
def ranked(tree):
    """Personnel share (lower is better) of 2569 ranked: `far` 1st (up 2), `lao` 2nd (down 1),
    `neighbour` without a value (not final); `lao` had 30 % in 2568. All three in peer group
    sao-3 (median 30 %); `far` and `neighbour` are `lao`'s nearest neighbours; two composite
    versions."""
    share = Indicator.objects.get(code="personnel-share")
    IndicatorValueFactory(
        indicator=share, lao=tree.far, value=Decimal("22.25"), national_rank=1,
        province_rank=1, province_count=1, peer_rank=1, peer_count=2,
        peer_percentile=Decimal("100"), peer_quartile=1, previous_national_rank=3,
    )  # fmt: skip
    IndicatorValueFactory(
        indicator=share, lao=tree.lao, value=Decimal("45.5"), national_rank=2,
        province_rank=1, province_count=1, peer_rank=2, peer_count=2,
        peer_percentile=Decimal("0"), peer_quartile=4, previous_national_rank=1,
    )  # fmt: skip
    IndicatorValueFactory(indicator=share, lao=tree.neighbour, value=None, reason=Reason.NOT_FINAL)
    IndicatorValueFactory(indicator=share, lao=tree.lao, fiscal_year=2568, value=Decimal("30"))
    IndicatorYearFactory(
        indicator=share, median=Decimal("33.875"), minimum=Decimal("22.25"),
        maximum=Decimal("45.5"),
        histogram=[{"from": "20", "to": "35", "count": 1}, {"from": "35", "to": "50", "count": 1}],
    )  # fmt: skip
    for lao in (tree.lao, tree.far, tree.neighbour):
        PeerMembership.objects.create(
            lao=lao, fiscal_year=2569, peer_group="sao-3", population_band=3
        )
    PeerStatistic.objects.create(
        indicator=share, fiscal_year=2569, peer_group="sao-3", ranked_count=2, median=Decimal("30")
    )
    Neighbour.objects.create(
        lao=tree.lao, fiscal_year=2569, neighbour=tree.far, position=1, similarity=Decimal("88.5")
    )
    Neighbour.objects.create(
        lao=tree.lao, fiscal_year=2569, neighbour=tree.neighbour, position=2,
        similarity=Decimal("70.25"),
    )  # fmt: skip
    old = CompositeVersionFactory(number=1)
    current = CompositeVersionFactory(number=2, note_en="A corrected budget")
    CompositeScoreFactory(version=old, lao=tree.lao, score=Decimal("80"), national_rank=1)
    CompositeScoreFactory(version=current, lao=tree.far, score=Decimal("70"), national_rank=1)
    CompositeScoreFactory(
        version=current, lao=tree.lao, score=Decimal("61.25"), national_rank=2,
        province_rank=1, province_count=2, peer_rank=2, peer_count=3,
    )  # fmt: skip
    CompositeScoreFactory(version=current, lao=tree.neighbour, score=None, reason=Reason.TOO_FEW)
    return share


def ranking(client, **query):
    return client.get(reverse("benchmarks:ranking"), query)


def codes(response):
    return [row.lao.dla_code for row in response.context["page_obj"].object_list]


def test_indicator_ranking_in_rank_order_reason_last(
    english_client, ranked, django_assert_num_queries
):
    # the page's stamps, years, peer groups, indicators, provinces, the indicator's year, the
    # table's stamp, count, rows
    with django_assert_num_queries(9):
        response = ranking(english_client, indicator="personnel-share")
    assert codes(response) == ["6310001", "6300001", "6300002"]
    html = response.content.decode()
    assert "▲2" in html and "▼1" in html and "up 2 places" in html
    assert "Not yet final" in html and "0.0 %" not in html
    assert "1 of 2" in html  # rank in peer group
    assert reverse("benchmarks:lao", args=["6300001"]) in html
    assert "ranking.csv?indicator=personnel-share&amp;year=2569" in html


def test_ranking_links_keep_the_province_by_its_code(english_client, ranked):
    """The download links (and the cached table's key) carry the chosen province as the code
    the form accepts, so the download is of the province shown."""
    response = ranking(english_client, indicator="personnel-share", province="31")
    assert response.context["keep_query"]["province"] == "31"
    assert "ranking.csv?indicator=personnel-share&amp;province=31&amp;year=2569" in (
        response.content.decode()
    )


def test_ranking_filters_are_validated(english_client, tree, ranked):
    assert codes(ranking(english_client, indicator="personnel-share", province="31")) == ["6310001"]
    assert codes(ranking(english_client, indicator="personnel-share", peer_group="sao-3")) == [
        "6310001",
        "6300001",
        "6300002",
    ]
    assert codes(ranking(english_client, indicator="personnel-share", kind=LAOKind.PAO)) == []
    # Unknown values are errors shown in the form and ignored, never a 500.
    response = ranking(english_client, indicator="nothing", year="1999", peer_group="x-9")
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"indicator", "year", "peer_group"}
    assert response.context["fiscal_year"] == 2569
    assert response.context["indicator"] is None  # the composite


def test_composite_ranking_says_its_version_and_keeps_old_ones(
    english_client, ranked, django_assert_num_queries
):
    # the page's stamps, years, peer groups, indicators, provinces, version, ranked count, the
    # table's stamp, count, rows
    with django_assert_num_queries(10):
        response = ranking(english_client)
    assert codes(response) == ["6310001", "6300001", "6300002"]
    html = response.content.decode()
    assert "Version 2 of" in html and "A corrected budget" in html
    assert "Too few indicators with a value" in html
    old = ranking(english_client, indicator="composite", version="1")
    assert codes(old) == ["6300001"]
    assert "See the current version" in old.content.decode()
    missing = ranking(english_client, version="9")
    assert "version" in missing.context["form"].errors
    assert missing.context["version"].number == 2


def test_saturated_indicator_is_pass_or_fail(english_client, tree, ranked):
    ranked.years.update(saturated=True, share_at_best=Decimal("95"))
    ranked.values.update(national_rank=None)
    html = ranking(english_client, indicator="personnel-share").content.decode()
    assert "Shown as pass or fail" in html
    assert html.count(">Pass<") == 1 and html.count(">Fail<") == 1


def test_ranking_downloads_keep_the_filters(english_client, ranked):
    url = reverse("benchmarks:ranking-download", args=["csv"])
    response = english_client.get(url, {"indicator": "personnel-share", "province": "30"})
    assert response["Content-Disposition"] == (
        'attachment; filename="ranking-personnel-share-2569.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Fiscal year", "National rank", "DLA code"]
    assert [row[2] for row in rows[1:]] == ["6300001", "6300002"]
    assert rows[2][6] == ""  # no value, never a zero
    xlsx = english_client.get(reverse("benchmarks:ranking-download", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    scores = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert scores == [70, 61.25, None]


def lao_page(client, code="6300001", **query):
    return client.get(reverse("benchmarks:lao", args=[code]), query)


def test_lao_page_shows_every_figure_against_its_peers(
    english_client, tree, ranked, django_assert_num_queries
):
    Explanation.objects.create(
        indicator=ranked, lao=tree.lao, fiscal_year=2569, reason=ExplanationReason.FAILED_TENDER,
        text="สอบราคาไม่สำเร็จ", status=ExplanationStatus.APPROVED,
    )  # fmt: skip
    Explanation.objects.create(
        indicator=ranked, lao=tree.lao, fiscal_year=2569, reason=ExplanationReason.OTHER,
        text="ยังไม่อนุมัติ", status=ExplanationStatus.PENDING,
    )  # fmt: skip
    FigureQuestion.objects.create(
        lao=tree.lao, indicator=ranked, fiscal_year=2569, text="ตัวเลขผิด",
        contact="secret@example.com", deadline=datetime.date(2026, 12, 15),
    )  # fmt: skip
    # the page's stamps, LAO, values, neighbours, peer group, peer medians, national figures,
    # explanations, open questions, neighbours' values, composite
    with django_assert_num_queries(11):
        response = lao_page(english_client)
    html = response.content.decode()
    assert response.context["fiscal_year"] == 2569  # the newest year with values
    assert "45.5 %" in html and "33.9 %" in html and "30.0 %" in html  # value, medians
    assert "2 of 2" in html  # national rank of the two ranked
    assert "sparkline" in html and "2568: 30.0 %" in html
    assert "สอบราคาไม่สำเร็จ" in html and "ยังไม่อนุมัติ" not in html
    assert "secret@example.com" not in html and "1 open question" in html
    assert (
        reverse("benchmarks:question-create")
        + "?lao=6300001&amp;indicator=personnel-share&amp;year=2569"
    ) in html
    # Learn from better peers: the neighbour with a lower (better) share.
    better = response.context["figures"][0].better_peers
    assert [(n.neighbour_id, value) for n, value in better] == [(tree.far.pk, Decimal("22.2500"))]
    assert "88.5" in html and "Version 2 of" in html and "61.25" in html
    assert "compare/?lao=6300001&amp;lao=6310001&amp;lao=6300002&amp;year=2569" in html


def test_lao_page_lists_questions_by_indicator_never_by_the_asker_s_words(
    english_client, tree, ranked, django_assert_num_queries
):
    FigureQuestion.objects.create(
        lao=tree.lao, figure="<b>คืนเงิน โทร 0812345678</b>", text="ตัวเลขผิด",
        deadline=datetime.date(2026, 12, 15),
    )  # fmt: skip
    FigureQuestion.objects.create(
        lao=tree.lao, indicator=ranked, fiscal_year=2569, text="ตัวเลขผิด",
        deadline=datetime.date(2026, 12, 16),
    )  # fmt: skip
    # the page's stamps, LAO, values, neighbours, peer group, peer medians, national figures,
    # explanations, open questions (with their indicators), neighbours' values, composite
    with django_assert_num_queries(11):
        response = lao_page(english_client)
    html = response.content.decode()
    questions = html[html.index('id="questions-title"') :]
    assert "0812345678" not in html and "คืนเงิน" not in html
    assert "another figure of the LAO" in questions
    assert f"{ranked.name_en or ranked.name_th} · " in questions


def test_lao_page_of_another_year_and_unknown_lao(english_client, ranked):
    response = lao_page(english_client, year="2568")
    assert response.context["fiscal_year"] == 2568
    assert "30.0 %" in response.content.decode()
    assert lao_page(english_client, code="9999999").status_code == 404


def test_lao_download(english_client, ranked):
    url = reverse("benchmarks:lao-download", args=["6300001", "csv"])
    rows = list(csv.reader(io.StringIO(english_client.get(url).content.decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    figure = dict(zip(header, row, strict=True))
    assert figure["Indicator code"] == "personnel-share"
    assert figure["Value"] == "45.5000" and figure["Peer median"] == "30.0000"
    assert figure["National rank"] == "2" and figure["Ranked nationally"] == "2"


def compare(client, *codes, **query):
    return client.get(reverse("benchmarks:compare"), {"lao": list(codes), **query})


def test_compare_side_by_side(english_client, ranked, django_assert_num_queries):
    # the page's stamps, years, LAOs, values, peer groups, peer medians, national figures,
    # version, scores, indicators
    with django_assert_num_queries(10):
        response = compare(english_client, "6300001", "6310001")
    assert [lao.dla_code for lao in response.context["laos"]] == ["6300001", "6310001"]
    html = response.content.decode()
    assert "45.5 %" in html and "22.3 %" in html and "61.25" in html


def test_compare_refuses_too_few_too_many_and_unknown(english_client, tree, ranked):
    errors = compare(english_client, "6300001").context["form"].errors["lao"]
    assert errors == ["Choose at least 2 LAOs to compare."]
    errors = compare(english_client, *[f"630000{n}" for n in range(1, 7)]).context["form"]
    assert errors.errors["lao"] == ["Compare at most 5 LAOs at a time."]
    response = compare(english_client, "6300001", "6399999")
    assert response.context["form"].errors["lao"] == ["No active LAO has the DLA code 6399999."]
    assert response.context["rows"] is None
    assert compare(english_client, "abc", "6300001").context["form"].errors["lao"]


def test_compare_finds_lao_to_add(english_client, tree, ranked):
    response = compare(english_client, "6300001", q=tree.far.name_th)
    assert [lao.dla_code for lao in response.context["found"]] == ["6310001"]
    assert "lao=6300001&amp;lao=6310001" in response.content.decode()


def test_indicator_page_shows_distribution_and_saturation(
    english_client, ranked, django_assert_num_queries
):
    # the page's stamps, the indicator, its years, provinces, count, rows, the national figures
    with django_assert_num_queries(7):
        response = english_client.get(reverse("benchmarks:indicator", args=["personnel-share"]))
    html = response.content.decode()
    assert "1 of 2 LAOs (50.0 %)" in html
    assert 'class="histogram"' in html and 'aria-labelledby="histogram-caption"' in html
    assert "33.9 %" in html  # national median


def test_methodology_explains_peers_ranks_composite_and_saturation(
    english_client, ranked, django_assert_num_queries
):
    ranked.years.update(saturated=True)
    # the page's stamps, indicators, saturated, current version, versions
    with django_assert_num_queries(5):
        html = english_client.get(reverse("benchmarks:methodology")).content.decode()
    assert "5,000–9,999" in html  # a population band
    assert "100 / (1 + d)" in html
    assert "Too few indicators with a value" in html
    assert "version=1" in html and "A corrected budget" in html
    assert "1 of 2 LAOs at the best value" in html


def test_profile_ranking_section(english_client, tree, ranked, django_assert_num_queries):
    with django_assert_num_queries(2):
        context = ranking_section_context(tree.lao, None)
    assert context["score"].score == Decimal("61.25")
    assert [(v.indicator.code, v.peer_median) for v in context["values"]] == [
        ("personnel-share", Decimal("30.0000"))
    ]
    html = english_client.get(reverse("units:detail", args=["6300001"])).content.decode()
    assert reverse("benchmarks:lao", args=["6300001"]) in html
    assert "61.25" in html
