"""The voice of the LAO and of the public: explanations with their review, the national rollup
of reasons, questions about figures with their steps, limits, privacy and e-mails."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from benchmarks import voice
from benchmarks.models import (
    Explanation,
    ExplanationReason,
    ExplanationStatus,
    FigureQuestion,
    QuestionEvent,
    QuestionStatus,
)
from benchmarks.tests.factories import IndicatorFactory, IndicatorValueFactory
from units.models import Role
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

    with django_assert_num_queries(1):
        response = client.get(reverse("benchmarks:reasons"), {"year": 2569})
    assert "75.0" in response.content.decode()
    download = client.get(reverse("benchmarks:reasons-download", args=["csv"]))
    assert download.status_code == 200
    assert "75.0" in download.content.decode("utf-8-sig")


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
    # question with LAO, province, indicator; its history
    with django_assert_num_queries(2):
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
