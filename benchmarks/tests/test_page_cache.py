"""The public benchmarks pages cached for visitors (units.pagecache): a repeated anonymous GET is
one query and the same page; every kind of write (a published explanation, a question asked,
answered or hidden, an indicator edited, a recompute) shows on the next anonymous GET; logged-in
users still get their own parts; only the declared query parameters make another entry."""

# ruff: noqa: F811 (the imported fixture is taken as an argument)
import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from benchmarks import selectors, voice
from benchmarks.completeness import completeness_recompute
from benchmarks.models import ExplanationReason, HideReason, Indicator, IndicatorValue
from benchmarks.profile_ranking import ranking_section_context

# The ranked scene of the page tests, a fixture the tests here take as an argument.
from benchmarks.tests.factories import IndicatorValueFactory
from benchmarks.tests.test_pages import ranked  # noqa: F401
from units import stamps
from units.stamps import lao_stamp

pytestmark = pytest.mark.usefixtures("indicators")

LAO_URL = reverse("benchmarks:lao", args=["6300001"])
TODAY = datetime.date(2026, 12, 1)


def ask(tree, indicator, text="ตัวเลขนี้ดูผิด"):
    return voice.question_ask(
        lao=tree.lao, indicator=indicator, fiscal_year=2569, text=text, today=TODAY
    )


@pytest.fixture
def question(tree, ranked):
    return ask(tree, ranked, text="ค่าบุคลากรไม่ตรงกับงบประมาณ")


def page_urls(question):
    """Each cached page, with a query it reads, and the queries of its miss (the stamps first)."""
    return [
        (reverse("benchmarks:index"), {}, 2),  # stamps, indicators
        # stamps, indicators, saturated, current version, versions
        (reverse("benchmarks:methodology"), {}, 5),
        # stamps, the indicator, its years, provinces, count, rows, national figures
        (reverse("benchmarks:indicator", args=["personnel-share"]), {"kind": "sao"}, 7),
        # stamps, years, peer groups, indicators, provinces, the indicator's year, the table's
        # stamp, count, rows
        (reverse("benchmarks:ranking"), {"indicator": "personnel-share"}, 9),
        # stamps, LAO, values, neighbours, peer group, peer medians, national figures,
        # explanations, open questions, neighbours' values, composite
        (LAO_URL, {"year": "2569"}, 11),
        # stamps, years, LAOs, values, peer groups, peer medians, national figures, version,
        # scores, indicators
        (reverse("benchmarks:compare"), {"lao": ["6300001", "6310001"]}, 10),
        # stamps, the rollup's stamps, the rollup
        (reverse("benchmarks:reasons"), {"year": "2569"}, 3),
        # stamps, the question, its history
        (reverse("benchmarks:question", args=[question.pk]), {}, 3),
    ]


def test_each_page_is_one_query_the_second_time(client, question, django_assert_num_queries):
    for url, query, misses in page_urls(question):
        with django_assert_num_queries(misses):
            first = client.get(url, query)
        assert first.status_code == 200, url
        with django_assert_num_queries(1):
            second = client.get(url, query)
        assert second.content == first.content, url
        assert second["Content-Type"] == first["Content-Type"]


def test_an_unknown_parameter_makes_no_entry_a_declared_one_its_own(
    client,
    ranked,
    django_assert_num_queries,
):
    newest = client.get(LAO_URL).content

    def main(content):  # the page without its header (whose language switch keeps the address)
        return content.split(b"<main", 1)[1]

    # The page reads no `utm_source`: it is rendered (the same page) and never stored, so junk
    # in the address cannot fill the cache.
    for _ in range(2):
        with django_assert_num_queries(10):  # the view alone: no stamps read
            assert main(client.get(LAO_URL, {"utm_source": "line"}).content) == main(newest)
    with django_assert_num_queries(9):  # 2568 has no neighbours: none of their values to read
        older = client.get(LAO_URL, {"year": "2568"}).content
    assert older != newest
    with django_assert_num_queries(1):
        assert client.get(LAO_URL, {"year": "2568"}).content == older

    ranking = reverse("benchmarks:ranking")
    composite = client.get(ranking).content
    share = client.get(ranking, {"indicator": "personnel-share"}).content
    assert share != composite
    with django_assert_num_queries(1):
        assert client.get(ranking, {"indicator": "personnel-share"}).content == share


def test_the_lao_page_has_no_form_to_post_and_its_officer_still_explains(client, tree, ranked):
    html = client.get(LAO_URL).content.decode()
    assert 'method="post"' not in html.split("<main", 1)[-1]
    assert "explain-link" not in html
    assert reverse("benchmarks:question-create") + "?lao=6300001" in html

    officer = Client()
    officer.force_login(tree.officer)
    assert "explain-link" in officer.get(LAO_URL).content.decode()
    # Other LAOs' officers do not (and the visitors' entry is not theirs either).
    other = Client()
    other.force_login(tree.neighbour_officer)
    assert "explain-link" not in other.get(LAO_URL).content.decode()
    assert "explain-link" not in client.get(LAO_URL).content.decode()


def test_an_approved_explanation_shows_on_the_lao_page_and_in_the_reasons(
    client,
    tree,
    ranked,
    django_assert_num_queries,
):
    reasons = reverse("benchmarks:reasons")
    client.get(LAO_URL)
    client.get(reasons)
    explanation = voice.explanation_create(
        lao=tree.lao, indicator=ranked, fiscal_year=2569, reason=ExplanationReason.FAILED_TENDER,
        text="ประกวดราคาไม่สำเร็จสองครั้ง", user=tree.officer,
    )  # fmt: skip
    # Waiting for approval: not public.
    assert "ประกวดราคาไม่สำเร็จสองครั้ง" not in client.get(LAO_URL).content.decode()
    voice.explanation_approve(explanation=explanation, user=tree.staff, version=1)
    assert "ประกวดราคาไม่สำเร็จสองครั้ง" in client.get(LAO_URL).content.decode()
    label = str(ExplanationReason.FAILED_TENDER.label)
    assert label in client.get(reasons).content.decode()
    with django_assert_num_queries(1):
        client.get(reasons)


def test_a_question_asked_answered_and_hidden_shows_at_once(client, tree, ranked):
    assert 'href="#questions-title"' not in client.get(LAO_URL).content.decode()
    question = ask(tree, ranked, text="ค่าบุคลากรไม่ตรงกับงบประมาณ")
    url = reverse("benchmarks:question", args=[question.pk])
    html = client.get(LAO_URL).content.decode()
    assert 'href="#questions-title"' in html and url in html
    assert "ค่าบุคลากรไม่ตรงกับงบประมาณ" in client.get(url).content.decode()

    voice.question_answer(
        question=question, user=tree.officer, version=question.version,
        answer="ตัวเลขมาจากข้อบัญญัติงบประมาณที่ประกาศแล้ว",
    )  # fmt: skip
    assert "ตัวเลขมาจากข้อบัญญัติงบประมาณที่ประกาศแล้ว" in client.get(url).content.decode()
    # Answered: no longer among the LAO page's open questions.
    assert url not in client.get(LAO_URL).content.decode()

    question.refresh_from_db()
    voice.question_hide(
        question=question, user=tree.staff, version=question.version, reason=HideReason.ABUSIVE
    )
    html = client.get(url).content.decode()
    assert "ค่าบุคลากรไม่ตรงกับงบประมาณ" not in html
    assert str(HideReason.ABUSIVE.label) in html


def test_every_step_of_the_lao_s_voice_moves_its_stamp(tree, ranked):
    name = lao_stamp("benchmarks", tree.lao.url_code)

    def moved(step):
        (before,) = stamps.read([name])
        result = step()
        (after,) = stamps.read([name])
        assert after == before + 1, step
        return result

    def write():
        return voice.explanation_create(
            lao=tree.lao, indicator=ranked, fiscal_year=2569, reason="other", text="เหตุผล",
            user=tree.officer,
        )  # fmt: skip

    first = moved(write)
    moved(lambda: voice.explanation_withdraw(explanation=first, user=tree.officer, version=1))
    second = moved(write)
    moved(
        lambda: voice.explanation_return(
            explanation=second, user=tree.staff, version=1, comment="ขอรายละเอียด"
        )
    )
    third = moved(write)
    moved(lambda: voice.explanation_approve(explanation=third, user=tree.staff, version=1))

    asked = moved(lambda: ask(tree, ranked))
    moved(lambda: voice.question_correct(question=asked, user=tree.officer, version=1, note="แก้"))
    closed = moved(lambda: ask(tree, ranked))
    moved(lambda: voice.question_close(question=closed, user=tree.staff, version=1, reason="ถูก"))
    # The other LAO's page is not touched.
    assert stamps.read([lao_stamp("benchmarks", tree.far.url_code)]) == (0,)


def test_an_indicator_renamed_or_hidden_shows_everywhere(client, tree, ranked):
    pages = [
        reverse("benchmarks:index"),
        reverse("benchmarks:methodology"),
        reverse("benchmarks:indicator", args=["personnel-share"]),
        reverse("benchmarks:ranking") + "?indicator=personnel-share",
        LAO_URL,
    ]
    for url in pages:
        assert ranked.name_th in client.get(url).content.decode(), url
    ranked.name_th = "สัดส่วนค่าใช้จ่ายบุคลากร (ชื่อใหม่)"
    ranked.save()
    for url in pages:
        assert "สัดส่วนค่าใช้จ่ายบุคลากร (ชื่อใหม่)" in client.get(url).content.decode(), url

    # Hidden in the admin: gone from the index.
    capital = Indicator.objects.get(code="capital-share")
    index = reverse("benchmarks:index")
    assert (
        reverse("benchmarks:indicator", args=["capital-share"])
        in client.get(index).content.decode()
    )
    admin = Client()
    admin.force_login(tree.admin)
    response = admin.post(
        reverse("admin:benchmarks_indicator_change", args=[capital.pk]), {"is_active": ""}
    )
    assert response.status_code == 302
    assert reverse("benchmarks:indicator", args=["capital-share"]) not in (
        client.get(index).content.decode()
    )


def test_a_recompute_shows_once_it_moves_the_stamp(client, tree, ranked, django_assert_num_queries):
    ranking = reverse("benchmarks:ranking")
    query = {"indicator": "personnel-share"}
    urls = [
        (ranking, query),
        (LAO_URL, {}),
        (reverse("benchmarks:compare"), {"lao": ["6300001", "6310001"]}),
    ]
    for url, params in urls:
        assert "45.5 %" in client.get(url, params).content.decode()
    # The recompute writes in bulk (no signal): until it moves the stamp the pages stay as they
    # were, and from then on they show its values.
    IndicatorValue.objects.filter(lao=tree.lao, fiscal_year=2569).update(value=Decimal("41.75"))
    for url, params in urls:
        with django_assert_num_queries(1):
            assert "45.5 %" in client.get(url, params).content.decode()
    stamps.bump("benchmarks")
    for url, params in urls:
        html = client.get(url, params).content.decode()
        assert "41.8 %" in html and "45.5 %" not in html, url


def test_a_logged_in_user_reads_the_ranking_table_fresh_after_a_recompute(client, tree, ranked):
    client.force_login(tree.citizen)
    url = reverse("benchmarks:ranking")
    assert "45.5 %" in client.get(url, {"indicator": "personnel-share"}).content.decode()
    IndicatorValue.objects.filter(lao=tree.lao, fiscal_year=2569).update(value=Decimal("41.75"))
    stamps.bump("benchmarks")
    html = client.get(url, {"indicator": "personnel-share"}).content.decode()
    assert "41.8 %" in html and "45.5 %" not in html


def test_the_completeness_run_moves_the_stamp_only_when_it_writes(tree):
    (before,) = stamps.read(["benchmarks"])
    result = completeness_recompute(fiscal_years=[2569], today=TODAY)
    assert result["written"] > 0
    (after,) = stamps.read(["benchmarks"])
    assert after == before + 1
    assert completeness_recompute(fiscal_years=[2569], today=TODAY)["written"] == 0
    assert stamps.read(["benchmarks"]) == (after,)


def test_the_ranking_s_choices_are_kept_until_the_registry_or_a_recompute_moves(
    client, tree, ranked, django_assert_num_queries
):
    client.force_login(tree.citizen)
    url = reverse("benchmarks:ranking")
    client.get(url)
    # session, user, the stamps (the lists kept), version, ranked count, the page count (the
    # table's rows are kept in their fragment)
    with django_assert_num_queries(6):
        client.get(url)
    tree.province.name_th = "จังหวัดเปลี่ยนชื่อ"
    tree.province.save()
    assert "จังหวัดเปลี่ยนชื่อ" in client.get(url).content.decode()


def test_indicator_years_hop_over_gaps_newest_first(tree, ranked):
    other = Indicator.objects.get(code="capital-share")
    IndicatorValueFactory(indicator=ranked, lao=tree.far, fiscal_year=2565)
    IndicatorValueFactory(indicator=other, lao=tree.far, fiscal_year=2571)
    assert selectors.indicator_years(indicator=ranked) == [2569, 2568, 2565]
    assert (
        selectors.indicator_years(indicator=Indicator.objects.get(code="own-source-revenue-share"))
        == []
    )


def test_the_profile_s_ranking_section_is_rendered_anew_when_an_indicator_is_renamed(tree, ranked):
    before = ranking_section_context(tree.lao, None)["digest"]
    ranked.name_en = "Personnel expenditure share (renamed)"
    ranked.save()
    assert ranking_section_context(tree.lao, None)["digest"] != before
