"""The voice of the LAO and of the public: explanations with their review, the national rollup
of reasons, questions about figures with their steps, limits, privacy and e-mails."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from benchmarks import voice
from benchmarks.models import (
    Direction,
    Explanation,
    ExplanationReason,
    ExplanationStatus,
    FigureQuestion,
    HideReason,
    IndicatorValue,
    PeerMembership,
    PeerStatistic,
    QuestionEvent,
    QuestionStatus,
)
from benchmarks.tests.factories import IndicatorFactory, IndicatorValueFactory
from units.models import Attempt, Role
from units.tests.factories import UserFactory, lao_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(db):
    return IndicatorFactory(code="disbursement-test", name_th="อัตราเบิกจ่ายทดสอบ")


@pytest.fixture
def value(tree, indicator):
    return IndicatorValueFactory(indicator=indicator, lao=tree.lao, fiscal_year=2569)


def explain(tree, indicator, *, lao=None, reason=ExplanationReason.FAILED_TENDER, user=None):
    lao = lao or tree.lao
    return voice.explanation_create(
        lao=lao,
        indicator=indicator,
        fiscal_year=2569,
        reason=reason,
        text="ประกวดราคาไม่สำเร็จสองครั้ง",
        user=user or tree.officer,
    )


def ask(tree, *, lao=None, indicator=None, **fields):
    return voice.question_ask(
        lao=lao or tree.lao,
        indicator=indicator,
        fiscal_year=2569 if indicator else None,
        figure="" if indicator else "งบประมาณ 2569",
        text=fields.pop("text", "ตัวเลขนี้ดูผิด"),
        **fields,
    )


def create_url(lao, indicator, year=2569):
    return reverse("benchmarks:explanation-create") + (
        f"?lao={lao.dla_code}&indicator={indicator.code}&year={year}"
    )


# --- Explanations ------------------------------------------------------------------------------


def test_officer_writes_an_explanation_and_the_provincial_staff_are_told_after_commit(
    client, tree, value, indicator, django_capture_on_commit_callbacks
):
    client.force_login(tree.officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            create_url(tree.lao, indicator),
            {"reason": "failed_tender", "text": "<script>alert(1)</script> ประกวดราคาไม่สำเร็จ"},
        )
    explanation = Explanation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("benchmarks:explanation", args=[explanation.pk])
    assert explanation.status == ExplanationStatus.PENDING
    assert explanation.author == tree.officer
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    # The province's staff only: not the officers, not the other province.
    assert [message.to for message in mail.outbox] == [[tree.staff.email]]
    assert reverse("benchmarks:explanation", args=[explanation.pk]) in mail.outbox[0].body

    page = client.get(reverse("benchmarks:explanation", args=[explanation.pk]))
    assert b"<script>alert(1)" not in page.content
    assert b"&lt;script&gt;alert(1)" in page.content


@pytest.mark.parametrize(
    "who", ["neighbour_officer", "far_officer", "staff", "far_staff", "citizen", "executive"]
)
def test_only_the_lao_s_officers_write_explanations(client, tree, value, indicator, who):
    client.force_login(getattr(tree, who))
    url = create_url(tree.lao, indicator)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "other", "text": "x"}).status_code == 404
    assert not Explanation.objects.exists()


def test_anonymous_post_of_an_explanation_goes_to_login(client, tree, value, indicator):
    response = client.post(create_url(tree.lao, indicator), {"reason": "other", "text": "x"})
    assert response.status_code == 302
    assert "login" in response.url
    assert not Explanation.objects.exists()


def test_an_explanation_needs_the_value_and_one_waiting_at_a_time(client, tree, value, indicator):
    client.force_login(tree.officer)
    assert client.get(create_url(tree.lao, indicator, year=2568)).status_code == 404
    explain(tree, indicator)
    response = client.post(create_url(tree.lao, indicator), {"reason": "other", "text": "again"})
    assert response.status_code == 400
    assert Explanation.objects.count() == 1


def test_text_over_2000_characters_is_refused(client, tree, value, indicator):
    client.force_login(tree.officer)
    response = client.post(create_url(tree.lao, indicator), {"reason": "other", "text": "ก" * 2001})
    assert response.status_code == 400
    assert not Explanation.objects.exists()


def _step(client, name, explanation, **data):
    return client.post(
        reverse(f"benchmarks:explanation-{name}", args=[explanation.pk]),
        {"version": explanation.version, **data},
    )


def test_provincial_staff_approve_after_confirming_and_it_is_published(
    client, tree, value, indicator
):
    explanation = explain(tree, indicator)
    client.force_login(tree.staff)
    asked = _step(client, "approve", explanation)
    assert asked.status_code == 200  # the confirmation page
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.PENDING
    _step(client, "approve", explanation, confirm="yes")
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.APPROVED
    assert explanation.reviewed_by == tree.staff
    assert voice.published_explanations(lao_id=tree.lao.pk, fiscal_years=[2569]) == [explanation]
    assert voice.published_explanations(lao_id=tree.lao.pk, fiscal_years=[2568]) == []


def test_a_new_approved_explanation_replaces_the_published_one(client, tree, value, indicator):
    first = explain(tree, indicator)
    voice.explanation_approve(explanation=first, user=tree.staff, version=first.version)
    second = explain(tree, indicator, reason=ExplanationReason.DISASTER)
    voice.explanation_approve(explanation=second, user=tree.staff, version=second.version)
    first.refresh_from_db()
    assert first.status == ExplanationStatus.WITHDRAWN
    assert voice.published_explanations(lao_id=tree.lao.pk, fiscal_years=[2569]) == [second]


@pytest.mark.parametrize("who", ["far_staff", "officer", "neighbour_officer", "citizen"])
def test_approve_and_return_are_not_for_others(client, tree, value, indicator, who):
    explanation = explain(tree, indicator)
    client.force_login(getattr(tree, who))
    for name, data in (("approve", {}), ("return", {"comment": "แก้"})):
        assert _step(client, name, explanation, confirm="yes", **data).status_code == 404
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.PENDING


def test_anonymous_step_posts_go_to_login(client, tree, value, indicator):
    explanation = explain(tree, indicator)
    response = _step(client, "approve", explanation, confirm="yes")
    assert response.status_code == 302 and "login" in response.url
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.PENDING


def test_return_needs_a_comment_and_the_author_may_not_review(client, tree, value, indicator):
    explanation = explain(tree, indicator)
    client.force_login(tree.staff)
    response = _step(client, "return", explanation, confirm="yes", comment="")
    assert response.status_code == 400
    _step(client, "return", explanation, confirm="yes", comment="ขอรายละเอียดเพิ่ม")
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.RETURNED
    assert explanation.review_comment == "ขอรายละเอียดเพิ่ม"

    # An administrator who wrote an explanation may not approve it alone.
    own = explain(tree, indicator, user=tree.admin)
    client.force_login(tree.admin)
    _step(client, "approve", own, confirm="yes")
    own.refresh_from_db()
    assert own.status == ExplanationStatus.PENDING


def test_the_officer_withdraws_while_pending_only_and_stale_versions_are_refused(
    client, tree, value, indicator
):
    explanation = explain(tree, indicator)
    client.force_login(tree.neighbour_officer)
    assert _step(client, "withdraw", explanation).status_code == 404
    client.force_login(tree.officer)
    stale = client.post(
        reverse("benchmarks:explanation-withdraw", args=[explanation.pk]),
        {"version": explanation.version + 1},
    )
    assert stale.status_code == 302
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.PENDING
    _step(client, "withdraw", explanation)
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.WITHDRAWN
    # Once withdrawn, neither withdrawn again nor approved.
    client.force_login(tree.staff)
    _step(client, "approve", explanation, confirm="yes")
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.WITHDRAWN


def test_stale_approval_is_refused(client, tree, value, indicator):
    explanation = explain(tree, indicator)
    client.force_login(tree.staff)
    response = client.post(
        reverse("benchmarks:explanation-approve", args=[explanation.pk]),
        {"version": explanation.version - 1, "confirm": "yes"},
        follow=True,
    )
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.PENDING
    assert response.status_code == 200


def test_explanation_page_is_out_of_scope_for_others(client, tree, value, indicator):
    explanation = explain(tree, indicator)
    url = reverse("benchmarks:explanation", args=[explanation.pk])
    for who in ("far_staff", "neighbour_officer", "citizen"):
        client.force_login(getattr(tree, who))
        assert client.get(url).status_code == 404


def test_review_queue_of_the_province_and_the_officer_s_list(
    client, tree, indicator, django_assert_num_queries
):
    for lao, officer in ((tree.lao, tree.officer), (tree.neighbour, tree.neighbour_officer)):
        IndicatorValueFactory(indicator=indicator, lao=lao)
        explain(tree, indicator, lao=lao, user=officer)
    IndicatorValueFactory(indicator=indicator, lao=tree.far)
    explain(tree, indicator, lao=tree.far, user=tree.far_officer)
    client.force_login(tree.staff)
    # session, user, province check, count, page of the queue with LAO, indicator, author
    with django_assert_num_queries(5):
        response = client.get(reverse("benchmarks:explanations"))
    assert len(response.context["page_obj"].object_list) == 2
    client.force_login(tree.far_officer)
    response = client.get(reverse("benchmarks:explanations"))
    assert response.context["page_obj"] is None
    assert len(response.context["own"]) == 1
    client.force_login(tree.citizen)
    assert client.get(reverse("benchmarks:explanations")).status_code == 404


# --- The national rollup of reasons -------------------------------------------------------------


def test_reasons_add_up_per_indicator_and_year(client, tree, indicator, django_assert_num_queries):
    laos = [lao_in(tree.province) for _ in range(4)]
    reasons = ["failed_tender", "failed_tender", "failed_tender", "disaster"]
    for lao, reason in zip(laos, reasons, strict=True):
        IndicatorValueFactory(indicator=indicator, lao=lao)
        officer = UserFactory(role=Role.OFFICER, lao=lao)
        explanation = explain(tree, indicator, lao=lao, user=officer, reason=reason)
        voice.explanation_approve(explanation=explanation, user=tree.staff, version=1)
    # A pending explanation is not counted.
    IndicatorValueFactory(indicator=indicator, lao=tree.lao)
    explain(tree, indicator, reason="other")

    rows = voice.reason_rollup()
    assert [(row.reason, row.laos, row.explaining, row.share) for row in rows] == [
        ("failed_tender", 3, 4, 75.0),
        ("disaster", 1, 4, 25.0),
    ]
    assert voice.reason_rollup(fiscal_year=2568) == []

    with django_assert_num_queries(3):  # the page's stamps, the rollup's stamps, the rollup
        response = client.get(reverse("benchmarks:reasons"), {"year": 2569})
    assert "75.0" in response.content.decode()
    download = client.get(reverse("benchmarks:reasons-download", args=["csv"]))
    assert download.status_code == 200
    assert "75.0" in download.content.decode("utf-8-sig")


# --- LAOs below their peer median ----------------------------------------------------------------


def peers_of(tree, indicator, *, median, values, group="sao-3", year=2569, published=()):
    """LAOs of one peer group with the given values (None: a value with a reason) and the
    group's median; `published` maps a value's position to the reason of its published
    explanation. Returns the LAOs."""
    PeerStatistic.objects.update_or_create(
        indicator=indicator,
        fiscal_year=year,
        peer_group=group,
        defaults={"median": Decimal(median), "ranked_count": len(values)},
    )
    laos = []
    for position, value in enumerate(values):
        lao = lao_in(tree.province)
        PeerMembership.objects.create(
            lao=lao, fiscal_year=year, peer_group=group, population_band=int(group[-1])
        )
        IndicatorValueFactory(
            indicator=indicator,
            lao=lao,
            fiscal_year=year,
            value=None if value is None else Decimal(value),
            reason="not_submitted" if value is None else "",
        )
        if position in published:
            officer = UserFactory(role=Role.OFFICER, lao=lao)
            explanation = voice.explanation_create(
                lao=lao,
                indicator=indicator,
                fiscal_year=year,
                reason=published[position],
                text="เหตุผล",
                user=officer,
            )
            voice.explanation_approve(explanation=explanation, user=tree.staff, version=1)
        laos.append(lao)
    return laos


@pytest.fixture
def below_median(tree, indicator):
    """Higher is better (`indicator`, median 50): 30, 40, 45, 49 trail (three of them explained:
    two failed tenders, one flood), 50 and 70 do not (70 explained, a flood), a value with a
    reason and an LAO without a peer group are not counted, nor a pending explanation.
    Lower is better (`lower`, median 40): 45 and 60 trail (45 explained, budget transfer), 30 does
    not (explained: other). Target 100 ± 5 (`target`, median 96, on target): 90 trails, 97 does
    not. 2568: one LAO trails on `lower`, none explained."""
    lower = IndicatorFactory(code="personnel-test", direction=Direction.LOWER, sort_order=1)
    target = IndicatorFactory(
        code="target-test",
        direction=Direction.TARGET,
        target=Decimal(100),
        tolerance=Decimal(5),
        sort_order=2,
    )
    tender, disaster = ExplanationReason.FAILED_TENDER, ExplanationReason.DISASTER
    peers_of(
        tree,
        indicator,
        median="50",
        values=["30", "40", "45", "49", "50", "70", None],
        published={0: tender, 1: disaster, 2: tender, 5: disaster},
    )
    # Trailing, but its explanation still waits: not counted.
    waiting = tree.lao
    PeerMembership.objects.create(
        lao=waiting, fiscal_year=2569, peer_group="sao-3", population_band=3
    )
    IndicatorValueFactory(indicator=indicator, lao=waiting, value=Decimal("10"))
    explain(tree, indicator, reason=ExplanationReason.OTHER)
    # No peer group (no population): never below a peer median.
    IndicatorValueFactory(indicator=indicator, lao=tree.far, value=Decimal("1"))
    # Another group, above its own median although below the first group's.
    peers_of(tree, indicator, median="10", values=["20"], group="sao-4")

    peers_of(
        tree,
        lower,
        median="40",
        values=["45", "60", "30"],
        published={0: ExplanationReason.BUDGET_TRANSFER, 2: ExplanationReason.OTHER},
    )
    peers_of(tree, target, median="96", values=["90", "97"])
    peers_of(tree, lower, median="40", values=["41"], year=2568)
    return lower, target


def test_laos_below_their_peer_median_and_their_reasons(tree, indicator, below_median):
    lower, target = below_median
    rows = voice.reason_rollup(fiscal_year=2569)
    assert [
        (
            row.indicator_code,
            row.reason,
            row.laos,
            row.explaining,
            row.trailing,
            row.trailing_explaining,
            row.trailing_laos,
        )
        for row in rows
    ] == [
        # Every LAO explaining (4: two tenders, two floods); 5 trail, 3 of them explained.
        ("disbursement-test", "disaster", 2, 4, 5, 3, 1),
        ("disbursement-test", "failed_tender", 2, 4, 5, 3, 2),
        ("personnel-test", "budget_transfer", 1, 2, 2, 1, 1),
        ("personnel-test", "other", 1, 2, 2, 1, 0),
        ("target-test", "", 0, 0, 1, 0, 0),
    ]
    groups = voice.trailing_rollup(rows)
    assert [
        (
            group.indicator_code,
            group.trailing,
            group.trailing_explaining,
            [(row.reason, round(row.trailing_share, 1)) for row in group.reasons],
        )
        for group in groups
    ] == [
        ("disbursement-test", 5, 3, [("failed_tender", 66.7), ("disaster", 33.3)]),
        ("personnel-test", 2, 1, [("budget_transfer", 100.0)]),
        ("target-test", 1, 0, []),
    ]
    assert round(groups[0].explaining_share, 1) == 60.0
    # Other years are theirs: 2568 has one LAO below on `lower` and no explanation.
    assert [
        (row.indicator_code, row.fiscal_year, row.reason, row.trailing)
        for row in voice.reason_rollup(fiscal_year=2568)
    ] == [("personnel-test", 2568, "", 1)]
    assert len(voice.reason_rollup()) == len(rows) + 1


def test_the_reasons_page_shows_the_laos_below_their_peer_median_from_one_cached_query(
    client,
    tree,
    indicator,
    below_median,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    with django_assert_num_queries(3):  # the page's stamps, the rollup's stamps, the rollup
        response = client.get(reverse("benchmarks:reasons"))
    page = response.content.decode()
    assert [group.trailing for group in response.context["trailing"]] == [5, 2, 1, 1]
    assert "66.7" in page and "33.3" in page
    # The rollup of explanations keeps its rows (those with a reason) only.
    assert all(row.reason for row in response.context["rows"])
    with django_assert_num_queries(1):  # the page, from the cache after reading its stamps
        client.get(reverse("benchmarks:reasons"))

    # Approving an explanation shows at once: it moves the stamps of the page and the rollup.
    fourth = IndicatorValue.objects.get(
        indicator=indicator, fiscal_year=2569, value=Decimal("49")
    ).lao
    officer = UserFactory(role=Role.OFFICER, lao=fourth)
    explanation = explain(tree, indicator, lao=fourth, user=officer, reason="new_lao")
    with django_capture_on_commit_callbacks(execute=True):
        voice.explanation_approve(explanation=explanation, user=tree.staff, version=1)
    with django_assert_num_queries(3):
        response = client.get(reverse("benchmarks:reasons"))
    assert response.context["trailing"][0].trailing_explaining == 4


def test_the_reasons_download_has_the_below_median_columns(client, tree, indicator, below_median):
    csv = client.get(reverse("benchmarks:reasons-download", args=["csv"]), {"year": 2569})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 5
    assert lines[2].endswith(",2,4,50.0,5,3,2,66.7")  # failed tenders of disbursement

    xlsx = client.get(reverse("benchmarks:reasons-download", args=["xlsx"]), {"year": 2569})
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).active
    table = [row for row in sheet.iter_rows(values_only=True)]
    assert len(table[0]) == 11
    by_reason = {(row[1], row[3]): row[4:] for row in table[1:]}
    tender = str(ExplanationReason.FAILED_TENDER.label)
    assert by_reason[("disbursement-test", tender)] == (2, 4, 50, 5, 3, 2, 66.7)
    assert by_reason[("target-test", None)] == (0, 0, 0, 1, 0, 0, 0)


def test_the_reasons_year_is_one_of_the_years_with_rows_and_fills_no_cache_key(
    client, tree, indicator, below_median, django_assert_num_queries
):
    url = reverse("benchmarks:reasons")
    with django_assert_num_queries(3):  # the page's stamps, the rollup's stamps, the rollup
        response = client.get(url, {"year": 2569})
    assert response.context["fiscal_year"] == 2569
    assert {row.fiscal_year for row in response.context["rows"]} == {2569}
    choices = [value for value, _label in response.context["form"].fields["year"].choices]
    assert choices == ["", 2569, 2568]
    # Every other year, whatever the query string, is refused from the one cached rollup: only
    # the stamps are read (the page's, then the rollup's), never the rollup again.
    with django_assert_num_queries(11) as queries:
        for year in ("2568", "2500", "2600", "2700", "abc"):
            response = client.get(url, {"year": year})
        download = client.get(reverse("benchmarks:reasons-download", args=["csv"]), {"year": 2650})
    assert all("units_stamp" in query["sql"] for query in queries.captured_queries)
    assert "year" in response.context["form"].errors
    assert response.context["fiscal_year"] is None
    assert download["Content-Disposition"].endswith('reasons-all.csv"')


# --- Questions ---------------------------------------------------------------------------------


def question_url(**query):
    from urllib.parse import urlencode

    return reverse("benchmarks:question-create") + "?" + urlencode(query)


def test_anyone_asks_and_the_lao_and_province_are_told_after_commit(
    client, tree, indicator, django_capture_on_commit_callbacks, settings
):
    settings.BENCHMARKS_QUESTION_ANSWER_DAYS = 10
    page = client.get(question_url(lao=tree.lao.dla_code, indicator=indicator.code, year=2569))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("benchmarks:question-create"),
            {
                "lao": tree.lao.dla_code,
                "indicator": indicator.code,
                "year": 2569,
                "text": "ตัวเลขสูงผิดปกติ",
                "contact": "somchai@example.org",
            },
        )
    question = FigureQuestion.objects.get()
    assert response.url == reverse("benchmarks:question", args=[question.pk])
    assert question.deadline == timezone.localdate() + datetime.timedelta(days=10)
    assert question.contact == "somchai@example.org"
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [tree.officer.email, tree.staff.email]
    )
    assert all("somchai" not in message.body for message in mail.outbox)
    assert list(question.events.values_list("status", "by")) == [(QuestionStatus.OPEN, None)]


def test_the_e_mail_about_a_question_carries_none_of_the_asker_s_words(
    client, tree, django_capture_on_commit_callbacks
):
    # What a phisher would have the portal send to the LAO's officers in its own name.
    bait = "ด่วน: ยืนยันบัญชีที่ https://evil.example/login หรือโทร 0812345678"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("benchmarks:question-create"),
            {
                "lao": tree.lao.dla_code,
                "figure": "งบประมาณ โทร 0899999999",
                "text": bait,
                "contact": "phisher@evil.example",
            },
        )
    question = FigureQuestion.objects.get()
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        sent = message.subject + message.body
        for words in ("evil.example", "0812345678", "0899999999", "phisher", "ยืนยันบัญชี"):
            assert words not in sent
        assert reverse("benchmarks:question", args=[question.pk]) in message.body
        assert tree.lao.full_name_th in message.subject


def test_at_most_one_question_e_mail_per_lao_per_hour(
    tree, indicator, django_capture_on_commit_callbacks
):
    def ask_and_send(lao):
        with django_capture_on_commit_callbacks(execute=True):
            ask(tree, lao=lao)
        sent = [message.to[0] for message in mail.outbox]
        mail.outbox.clear()
        return sorted(sent)

    assert ask_and_send(tree.lao) == sorted([tree.officer.email, tree.staff.email])
    # Within the hour: stored and queued for the LAO, but no new e-mail.
    assert ask_and_send(tree.lao) == []
    assert ask_and_send(tree.lao) == []
    assert FigureQuestion.objects.filter(lao=tree.lao, status=QuestionStatus.OPEN).count() == 3
    # Another LAO of the province has its own turn.
    assert ask_and_send(tree.neighbour) == sorted([tree.neighbour_officer.email, tree.staff.email])
    # An hour later the LAO is told again.
    Attempt.objects.filter(action="benchmarks.question.mail").update(
        created_at=timezone.now() - voice.QUESTION_MAIL_WINDOW - datetime.timedelta(minutes=1)
    )
    assert ask_and_send(tree.lao) == sorted([tree.officer.email, tree.staff.email])


def test_an_lao_takes_at_most_ten_questions_a_day_from_everyone_together(client, tree):
    url = reverse("benchmarks:question-create")
    data = {"lao": tree.lao.dla_code, "figure": "งบ 2569"}
    for number in range(10):  # ten senders, each well under their own limits
        response = client.post(
            url, {**data, "text": f"ข้อ {number}"}, REMOTE_ADDR=f"10.0.0.{number}"
        )
        assert response.status_code == 302
    refused = client.post(url, {**data, "text": "คำถามที่สิบเอ็ด"}, REMOTE_ADDR="10.0.1.1")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "คำถามที่สิบเอ็ด" in page  # the text is kept
    assert FigureQuestion.objects.filter(lao=tree.lao).count() == 10
    # Other LAOs are not affected.
    other = {"lao": tree.neighbour.dla_code, "figure": "งบ 2569", "text": "ข้อ 1"}
    assert client.post(url, other, REMOTE_ADDR="10.0.1.1").status_code == 302
    # A sender refused by their own limit is not counted against the LAO's.
    for number in range(6):
        client.post(url, {**other, "text": f"ข้อ {number}"}, REMOTE_ADDR="10.0.2.2")
    counted = Attempt.objects.filter(action="benchmarks.question.lao")
    assert counted.filter(key=f"lao:{tree.neighbour.pk}").count() == 1 + 5
    assert FigureQuestion.objects.filter(lao=tree.neighbour).count() == 1 + 5


def test_asking_about_a_named_figure_and_unknown_figures(client, tree):
    assert client.get(question_url(lao=tree.lao.dla_code, figure="งบ 2569")).status_code == 200
    assert client.get(question_url(lao="9999999", figure="งบ")).status_code == 404
    assert client.get(question_url(lao=tree.lao.dla_code)).status_code == 404
    assert (
        client.get(question_url(lao=tree.lao.dla_code, indicator="nope", year=2569)).status_code
        == 404
    )


def test_the_sixth_question_in_an_hour_is_refused_with_429_and_the_text_kept(client, tree):
    data = {"lao": tree.lao.dla_code, "figure": "งบ 2569"}
    for number in range(5):
        response = client.post(
            reverse("benchmarks:question-create"), {**data, "text": f"ข้อ {number}"}
        )
        assert response.status_code == 302
    response = client.post(reverse("benchmarks:question-create"), {**data, "text": "คำถามที่หกของฉัน"})
    assert response.status_code == 429
    assert "คำถามที่หกของฉัน" in response.content.decode()
    assert FigureQuestion.objects.count() == 5


def test_the_public_page_shows_no_personal_data_and_escapes_text(
    client, tree, indicator, django_assert_num_queries
):
    question = ask(
        tree, indicator=indicator, text="<script>alert(1)</script>", contact="secret@example.org"
    )
    citizen = UserFactory(username="somchai_citizen", first_name="สมชาย", role=Role.CITIZEN)
    client.force_login(tree.officer)
    client.post(
        reverse("benchmarks:question-answer", args=[question.pk]),
        {"version": question.version, "answer": "ตรวจแล้วถูกต้อง"},
    )
    client.logout()
    url = reverse("benchmarks:question", args=[question.pk])
    # the page's stamps, question with LAO, province, indicator; its history
    with django_assert_num_queries(3):
        page = client.get(url).content.decode()
    assert "secret@example.org" not in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "ตรวจแล้วถูกต้อง" in page
    assert tree.lao.full_name_th in page  # the LAO answers, not a named officer
    assert tree.officer.username not in page
    client.force_login(citizen)
    assert "secret@example.org" not in client.get(url).content.decode()
    for who in ("officer", "staff"):
        client.force_login(getattr(tree, who))
        assert "secret@example.org" in client.get(url).content.decode()
    client.force_login(tree.far_staff)
    assert "secret@example.org" not in client.get(url).content.decode()
    opened = voice.open_questions(lao_id=tree.lao.pk)
    assert opened == []


def _question_step(client, name, question, **data):
    return client.post(
        reverse(f"benchmarks:question-{name}", args=[question.pk]),
        {"version": question.version, **data},
    )


@pytest.mark.parametrize("who", ["neighbour_officer", "far_officer", "far_staff", "citizen"])
def test_question_steps_are_not_for_others(client, tree, who):
    question = ask(tree)
    client.force_login(getattr(tree, who))
    assert _question_step(client, "answer", question, answer="x").status_code == 404
    assert _question_step(client, "correct", question, note="x", confirm="yes").status_code == 404
    assert _question_step(client, "close", question, reason="x", confirm="yes").status_code == 404
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    assert question.events.count() == 1


def test_anonymous_question_step_goes_to_login(client, tree):
    question = ask(tree)
    response = _question_step(client, "answer", question, answer="x")
    assert response.status_code == 302 and "login" in response.url
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN


def test_answer_then_correct_with_history_and_stale_version_refused(client, tree):
    question = ask(tree)
    client.force_login(tree.officer)
    _question_step(client, "answer", question, answer="กำลังตรวจสอบ")
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    # Stale: the version before the answer.
    stale = client.post(
        reverse("benchmarks:question-correct", args=[question.pk]),
        {"version": question.version - 1, "note": "แก้แล้ว", "confirm": "yes"},
    )
    assert stale.status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED

    client.force_login(tree.staff)
    assert _question_step(client, "correct", question, note="แก้ยอดงบ").status_code == 200
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED  # only asked, not yet confirmed
    _question_step(client, "correct", question, note="แก้ยอดงบประมาณแล้ว", confirm="yes")
    question.refresh_from_db()
    assert question.status == QuestionStatus.CORRECTED
    assert list(question.events.order_by("at", "pk").values_list("status", "note", "by")) == [
        (QuestionStatus.OPEN, "", None),
        (QuestionStatus.ANSWERED, "กำลังตรวจสอบ", tree.officer.pk),
        (QuestionStatus.CORRECTED, "แก้ยอดงบประมาณแล้ว", tree.staff.pk),
    ]
    # Settled: no further step.
    _question_step(client, "close", question, reason="x", confirm="yes")
    question.refresh_from_db()
    assert question.status == QuestionStatus.CORRECTED


def test_close_needs_a_reason(client, tree):
    question = ask(tree)
    client.force_login(tree.staff)
    assert _question_step(client, "close", question, reason="", confirm="yes").status_code == 400
    _question_step(client, "close", question, reason="ตัวเลขถูกต้องตามข้อบัญญัติ", confirm="yes")
    question.refresh_from_db()
    assert question.status == QuestionStatus.CLOSED
    assert QuestionEvent.objects.filter(question=question).count() == 2


def test_queue_open_first_overdue_marked_and_scoped(client, tree, django_assert_num_queries):
    today = timezone.localdate()
    overdue = ask(tree, today=today - datetime.timedelta(days=30))
    fresh = ask(tree)
    answered = ask(tree)
    voice.question_answer(question=answered, user=tree.officer, version=1, answer="ok")
    ask(tree, lao=tree.neighbour)
    ask(tree, lao=tree.far)

    client.force_login(tree.officer)
    # session, user, count, page
    with django_assert_num_queries(4):
        response = client.get(reverse("benchmarks:questions"))
    rows = list(response.context["page_obj"])
    assert [row.pk for row in rows] == [overdue.pk, fresh.pk, answered.pk]
    assert [row.overdue for row in rows] == [True, False, False]
    assert "row-overdue" in response.content.decode()

    client.force_login(tree.staff)
    assert response.context is not None
    assert len(client.get(reverse("benchmarks:questions")).context["page_obj"]) == 4
    client.force_login(tree.citizen)
    assert client.get(reverse("benchmarks:questions")).status_code == 404
    assert [q.pk for q in voice.open_questions(lao_id=tree.lao.pk)] == [overdue.pk, fresh.pk]


# --- Hiding a question -------------------------------------------------------------------------


def _hide(client, question, **data):
    return client.post(
        reverse("benchmarks:question-hide", args=[question.pk]),
        {"version": question.version, **data},
    )


@pytest.mark.parametrize("who", ["staff", "admin"])
def test_provincial_staff_and_administrators_hide_a_question_after_confirming(
    client, tree, who, django_assert_num_queries
):
    question = ask(tree, text="นายกฯ โกง โทรหาผม 0812345678", contact="x@example.org")
    question.figure = "งบ <b>โทร 0899999999</b>"
    question.save()
    url = reverse("benchmarks:question", args=[question.pk])
    client.force_login(getattr(tree, who))
    assert "question-hide" in client.get(url).content.decode()
    # The first post only asks.
    asked = _hide(client, question, reason="abusive")
    assert asked.status_code == 200 and "step-confirm" in asked.content.decode()
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    done = _hide(client, question, reason="abusive", confirm="yes")
    assert done.status_code == 302
    question.refresh_from_db()
    assert (question.status, question.hidden_reason) == (QuestionStatus.HIDDEN, "abusive")
    assert list(question.events.order_by("at", "pk").values_list("status", "by")) == [
        (QuestionStatus.OPEN, None),
        (QuestionStatus.HIDDEN, getattr(tree, who).pk),
    ]

    client.logout()
    # the page's stamps, question with LAO, province, indicator; its history
    with django_assert_num_queries(3):
        page = client.get(url).content.decode()
    assert "question-hidden" in page
    assert str(HideReason.ABUSIVE.label) in page
    assert "0812345678" not in page and "0899999999" not in page and "โกง" not in page
    # Those who answer for the LAO still read what was hidden; no step is offered any more.
    client.force_login(tree.officer)
    page = client.get(url).content.decode()
    assert "0812345678" in page and "question-hide" not in page
    assert "question-answer" not in page
    assert _question_step(client, "answer", question, answer="x").status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.HIDDEN


@pytest.mark.parametrize(
    "who", ["officer", "neighbour_officer", "far_staff", "far_officer", "citizen", "executive"]
)
def test_hiding_is_not_for_the_lao_s_officers_nor_other_provinces(client, tree, who):
    question = ask(tree)
    client.force_login(getattr(tree, who))
    assert _hide(client, question, reason="spam").status_code == 404
    assert _hide(client, question, reason="spam", confirm="yes").status_code == 404
    page = client.get(reverse("benchmarks:question", args=[question.pk])).content.decode()
    assert "question-hide" not in page
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN and question.hidden_reason == ""
    assert question.events.count() == 1


def test_anonymous_hiding_goes_to_login_and_the_service_refuses_the_officer(client, tree):
    question = ask(tree)
    response = _hide(client, question, reason="spam", confirm="yes")
    assert response.status_code == 302 and "login" in response.url
    with pytest.raises(PermissionDenied):
        voice.question_hide(question=question, user=tree.officer, version=1, reason="spam")
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN


def test_hiding_needs_a_category_and_the_current_version_and_works_once_settled(client, tree):
    question = ask(tree)
    voice.question_close(question=question, user=tree.officer, version=1, reason="ถูกต้อง")
    question.refresh_from_db()
    client.force_login(tree.staff)
    assert _hide(client, question, reason="", confirm="yes").status_code == 400
    assert _hide(client, question, reason="made-up", confirm="yes").status_code == 400
    stale = client.post(
        reverse("benchmarks:question-hide", args=[question.pk]),
        {"version": question.version - 1, "reason": "spam", "confirm": "yes"},
    )
    assert stale.status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.CLOSED
    # A closed question's text stays public until hidden: it may be hidden all the same.
    _hide(client, question, reason="personal_data", confirm="yes")
    question.refresh_from_db()
    assert question.status == QuestionStatus.HIDDEN
    with pytest.raises(ValidationError):
        voice.question_hide(
            question=question, user=tree.staff, version=question.version, reason="spam"
        )


def test_a_hidden_status_needs_its_category_in_the_database(tree):
    question = ask(tree)
    with pytest.raises(IntegrityError), transaction.atomic():
        FigureQuestion.objects.filter(pk=question.pk).update(status=QuestionStatus.HIDDEN)
    with pytest.raises(IntegrityError), transaction.atomic():
        FigureQuestion.objects.filter(pk=question.pk).update(hidden_reason="spam")


# --- The question form's honeypot --------------------------------------------------------------


def test_the_honeypot_is_hidden_from_people_and_labelled_to_be_left_empty(client, tree):
    page = client.get(question_url(lao=tree.lao.dla_code, figure="งบ 2569")).content.decode()
    form = page[page.index("question-form") :]
    field = form.index('name="homepage"')
    # Its row is visually hidden; inside it, hidden from assistive technology and the keyboard.
    row = form.rindex('<div class="visually-hidden">', 0, field)
    honeypot = form[row : form.index("</div>", field)]
    assert honeypot.count("<div") == 2 and '<div aria-hidden="true">' in honeypot
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot
    assert "<label" in honeypot and 'for="id_homepage"' in honeypot
    # The fields people use are not hidden with it.
    assert 'name="text"' not in honeypot and 'name="contact"' not in honeypot


def test_a_link_fills_in_only_the_figure_never_the_honeypot_or_the_question(client, tree):
    link = question_url(
        lao=tree.lao.dla_code,
        figure="งบ 2569",
        homepage="1",
        text="ข้อความที่ลิงก์ใส่ไว้",
        contact="attacker@evil.example",
    )
    form = client.get(link).context["form"]
    assert form.initial == {"lao": tree.lao.dla_code, "figure": "งบ 2569"}
    page = client.get(link).content.decode()
    assert "ข้อความที่ลิงก์ใส่ไว้" not in page and "attacker@evil.example" not in page
    honeypot = page[page.index('name="homepage"') :]
    assert 'value="1"' not in honeypot[: honeypot.index(">")]
    # Whoever follows the link and sends the form has the question stored.
    client.post(
        reverse("benchmarks:question-create"),
        {name: field.value() or "" for name, field in ((name, form[name]) for name in form.fields)}
        | {"text": "ตัวเลขผิด"},
    )
    assert FigureQuestion.objects.filter(text="ตัวเลขผิด").exists()


def test_a_filled_honeypot_answers_like_success_but_stores_and_sends_nothing(
    client, tree, indicator, django_capture_on_commit_callbacks
):
    data = {"lao": tree.lao.dla_code, "indicator": indicator.code, "year": 2569}
    url = reverse("benchmarks:question-create")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        trapped = client.post(
            url, {**data, "text": "ซื้อยาถูก", "homepage": "http://spam.example"}, follow=True
        )
    assert not FigureQuestion.objects.exists()
    assert not QuestionEvent.objects.exists()
    assert callbacks == [] and mail.outbox == []

    # A person's question (the honeypot left empty, or only blank) is stored as ever, and the
    # robot was answered alike: a redirect, then a page with the same thank-you.
    sent = client.post(url, {**data, "text": "ตัวเลขผิด", "homepage": " "}, follow=True)
    question = FigureQuestion.objects.get()
    assert sent.redirect_chain == [(reverse("benchmarks:question", args=[question.pk]), 302)]
    assert [code for _url, code in trapped.redirect_chain] == [302]
    assert trapped.status_code == sent.status_code == 200

    def thanks(response):
        return [str(message) for message in response.context["messages"]]

    assert thanks(trapped) == thanks(sent) != []
    # Even an otherwise invalid post (no text) gets no hint.
    assert client.post(url, {**data, "homepage": "x"}).status_code == 302
    assert FigureQuestion.objects.count() == 1


def test_honeypot_posts_are_not_counted_against_the_limit(client, tree):
    data = {"lao": tree.lao.dla_code, "figure": "งบ 2569"}
    url = reverse("benchmarks:question-create")
    for number in range(10):
        trapped = client.post(url, {**data, "text": f"สแปม {number}", "homepage": "x"})
        assert trapped.status_code == 302
    assert not Attempt.objects.exists()
    # A person at the same address may still send their five questions.
    for number in range(5):
        assert client.post(url, {**data, "text": f"ข้อ {number}"}).status_code == 302
    assert FigureQuestion.objects.count() == 5
    # Over the limit, a robot is still answered as if it succeeded: no hint.
    assert client.post(url, {**data, "text": "ข้อ 6"}).status_code == 429
    assert client.post(url, {**data, "text": "สแปม", "homepage": "x"}).status_code == 302
    assert FigureQuestion.objects.count() == 5
