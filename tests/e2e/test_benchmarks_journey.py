"""The benchmarks journey of the three people it serves: a citizen opens the ranking of SAOs in
one province, opens an LAO, compares it with two of its nearest neighbours and questions a
figure; the LAO's officer answers the question and explains the figure; the provincial staff
approve the explanation, which then shows beside the value, and download the reminder list of
LAOs missing the last quarter's report."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from benchmarks.completeness import completeness_recompute
from benchmarks.models import Explanation, ExplanationStatus, FigureQuestion, QuestionStatus
from tests.e2e.day import Day
from tests.e2e.test_benchmarks_pages import ranked  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)
YEAR = 2569


def test_citizen_questions_officer_explains_province_approves_and_reminds(
    live_server,
    page: Page,
    ranked,  # noqa: F811
    artefacts,
):
    completeness_recompute(fiscal_years=[YEAR])
    base = live_server.url
    day = Day(page=page, journey="benchmarks", screen="desktop", artefacts=artefacts)

    # The citizen: the ranking of SAOs in province 30, an LAO, the
    # comparison with its two nearest neighbours.
    page.goto(f"{base}/benchmarks/ranking/?indicator=personnel-share&kind=sao&province=30")
    page.locator("table.ranking-table tbody tr").first.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/benchmarks/lao/6300001/"))
    page.locator("a[href*='/benchmarks/compare/']").click()
    expect(page.locator("table.compare-table thead th")).to_have_count(5)
    page.go_back()

    # ... and questions the personnel share.
    page.locator("a[href*='/benchmarks/questions/new/'][href*='personnel-share']").first.click()
    page.locator("textarea[name=text]").fill("สัดส่วนงบบุคลากรดูต่ำกว่าที่ประกาศไว้ในเว็บไซต์ของ อบต.")
    page.locator("input[name=contact]").fill("citizen@example.org")
    page.locator("form.question-form button[type=submit]").click()
    question = FigureQuestion.objects.get()
    expect(page).to_have_url(re.compile(rf"/benchmarks/questions/{question.pk}/"))
    expect(page.locator("main")).to_contain_text("เปิดอยู่")
    expect(page.locator("main")).not_to_contain_text("citizen@example.org")

    # The officer answers from the queue ...
    day.log_in(base, "officer")
    page.goto(f"{base}/benchmarks/questions/")
    page.locator(f"a[href='/benchmarks/questions/{question.pk}/']").first.click()
    expect(page.locator("main")).to_contain_text("citizen@example.org")
    page.locator("textarea[name=answer]").fill("ตัวเลขตรงกับข้อบัญญัติงบประมาณที่ตราแล้ว")
    page.locator("button.question-answer").click()
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED

    # ... and explains the figure from the LAO's benchmark page.
    page.goto(f"{base}/benchmarks/lao/6300001/?year={YEAR}")
    page.locator("a.explain-link[href*='personnel-share']").click()
    page.locator("input[name=reason][value=failed_tender]").check()
    page.locator("textarea[name=text]").fill("ประกวดราคาจ้างก่อสร้างไม่สำเร็จสองครั้ง")
    page.locator("form.explanation-form button[type=submit]").click()
    explanation = Explanation.objects.get()
    assert explanation.status == ExplanationStatus.PENDING

    # The provincial staff approve it: it is published beside the value.
    day.log_in(base, "staff")
    page.goto(f"{base}/benchmarks/explanations/")
    page.locator(f"a[href='/benchmarks/explanations/{explanation.pk}/']").first.click()
    page.locator("button.explanation-approve").click()
    page.locator("button.step-confirm-button").click()
    explanation.refresh_from_db()
    assert explanation.status == ExplanationStatus.APPROVED
    page.goto(f"{base}/benchmarks/lao/6300001/?year={YEAR}")
    expect(page.locator("main")).to_contain_text("ประกวดราคาจ้างก่อสร้างไม่สำเร็จสองครั้ง")

    # ... and download the reminder list of their LAOs missing the last quarter's report.
    page.goto(f"{base}/benchmarks/completeness/?fiscal_year={YEAR}&missing=report")
    expect(page).to_have_url(re.compile(r"/benchmarks/completeness/30/"))
    with page.expect_download() as download:
        page.locator("a[href*='reminders.xlsx']").click()
    book = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    text = "\n".join(
        str(cell) for row in book.active.iter_rows(values_only=True) for cell in row if cell
    )
    assert "6300001" in text and "6300002" in text
    assert "6310001" not in text  # another province's LAO
