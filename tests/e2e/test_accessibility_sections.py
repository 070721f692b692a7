"""The benchmarks, webboard and knowledge pages, public and back office, with realistic data
(a histogram, a comparison, explanations and a question, completeness rows, a thread with
replies and a quote, flagged posts, search results with highlighted snippets, a wiki diff, forms
showing their errors): axe-core finds no serious or critical WCAG 2.1 AA violation on any of
them, in Thai and in English, and none makes the page scroll sideways on a 375 px phone (a wide
table scrolls inside its own wrapper).

One test per language walks every page on one live server and reports all the problems found
at once, so a run costs one data set and one browser page per language."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from benchmarks import voice
from benchmarks.completeness import completeness_recompute
from benchmarks.models import ExplanationReason, Indicator
from forums import services as forum_services
from forums.rules import quote_markdown
from forums.tests.factories import BoardFactory
from knowledge import wiki
from knowledge.tests.factories import DocumentFactory
from tests.e2e.test_accessibility import FAILING_IMPACTS, describe, run_axe
from tests.e2e.test_benchmarks_pages import ranked  # noqa: F401  (the fixture)
from units.demo import DEMO_PASSWORD
from units.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2569
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
# A word found only inside the documents' bodies, so that the results show it highlighted.
SEARCH_WORD = "ธนาคารขยะ"
WIKI_TEXT = (
    "เทศบาลตำบลบางพลีก่อสร้างถนนคอนกรีตในหมู่บ้าน\n\n"
    "งบประมาณมาจากเงินอุดหนุน\n\n## ขั้นตอน\n\n- สำรวจ\n- ประชาคม"
)


@dataclass
class Sections:
    question_pk: int
    board_slug: str
    thread_pk: int
    document_pk: int
    wiki_slug: str


@pytest.fixture
def sections(ranked):  # noqa: F811
    """Everything the pages need around the `ranked` LAOs of province 30."""
    tree = ranked
    share = Indicator.objects.get(code="personnel-share")

    # Benchmarks: an approved explanation (the reasons page), an answered question, completeness.
    explanation = voice.explanation_create(
        lao=tree.lao,
        indicator=share,
        fiscal_year=YEAR,
        reason=ExplanationReason.FAILED_TENDER,
        text="ประกวดราคาจ้างก่อสร้างไม่สำเร็จสองครั้ง จึงเบิกจ่ายได้ช้ากว่าแผน",
        user=tree.officer,
    )
    voice.explanation_approve(explanation=explanation, user=tree.staff, version=explanation.version)
    question = voice.question_ask(
        lao=tree.lao,
        indicator=share,
        fiscal_year=YEAR,
        text="สัดส่วนงบบุคลากรดูต่ำกว่าที่ประกาศไว้ในเว็บไซต์ของ อบต.",
        contact="citizen@example.org",
    )
    voice.question_answer(
        question=question,
        user=tree.officer,
        version=question.version,
        answer="ตัวเลขตรงกับข้อบัญญัติงบประมาณที่ตราแล้ว",
    )
    completeness_recompute(fiscal_years=[YEAR])

    # Webboard: a thread with replies, one quoting another, one flagged for the moderators.
    board = BoardFactory(slug="lessons", name="แลกเปลี่ยนบทเรียน")
    thread = forum_services.thread_create(
        board=board,
        user=tree.citizen,
        title="การจัดการขยะมูลฝอยชุมชน",
        body="อยากทราบว่า อปท. อื่นจัดการ **ขยะ** อย่างไรครับ\n\n- คัดแยก\n- ธนาคารขยะ",
    )
    answer = forum_services.post_reply(
        thread=thread, user=tree.officer, body="เราตั้งธนาคารขยะในโรงเรียนทุกแห่งค่ะ"
    )
    forum_services.post_reply(
        thread=thread,
        user=tree.neighbour_officer,
        body=quote_markdown(author=answer.author.username, body=answer.body) + "ขอบคุณค่ะ จะนำไปใช้",
        quote=answer,
    )
    spam = forum_services.post_reply(
        thread=thread, user=UserFactory(username="spammer"), body="ยาลดความอ้วนราคาถูก"
    )
    for flagger in (tree.citizen, tree.far_officer):
        forum_services.post_flag(post=spam, user=flagger, reason="spam")
    lao_board = forum_services.lao_board(lao=tree.lao)
    question_thread = forum_services.thread_create(
        board=lao_board, user=tree.citizen, title="ไฟถนนหน้าหมู่บ้านดับ", body="แจ้งซ่อมได้ที่ใด"
    )
    forum_services.post_reply(
        thread=question_thread, user=tree.officer, body="แจ้งกองช่างแล้วครับ", official=True
    )

    # Knowledge: documents found by a word of their bodies; a wiki page edited once.
    document = DocumentFactory(
        title="รายงานการวิจัยการจัดการขยะมูลฝอย",
        body=f"องค์การบริหารส่วนตำบลตั้ง{SEARCH_WORD}ในโรงเรียน นักเรียนนำขยะมาฝากทุกสัปดาห์",
        published_at=timezone.now() - datetime.timedelta(days=2),
    )
    DocumentFactory(title="คู่มือการคัดแยกขยะ", body=f"ขั้นตอนการตั้ง{SEARCH_WORD}ในชุมชน")
    article = wiki.page_create(title="ถนนในหมู่บ้าน", text=WIKI_TEXT, user=tree.editor)
    article = wiki.page_edit(
        page=article,
        user=tree.citizen,
        text=WIKI_TEXT.replace("ก่อสร้าง", "ซ่อมแซม").replace("- ประชาคม", "- ประชาคม\n- ติดตาม"),
        comment="แก้ชื่องาน",
        base_revision=article.revision_number,
    )
    return Sections(
        question_pk=question.pk,
        board_slug=board.slug,
        thread_pk=thread.pk,
        document_pk=document.pk,
        wiki_slug=article.slug,
    )


def submit_without_browser_checks(page: Page, form_selector: str) -> None:
    """Send the form empty as it stands, past the browser's own checks, so that the server's
    errors are what the page shows."""
    form = page.locator(form_selector)
    form.evaluate("form => { form.noValidate = true; }")
    form.locator("button[type=submit]").last.click()
    page.wait_for_load_state()


class Walk:
    """Visits pages and gathers every failure (axe, duplicate ids, sideways scroll) instead of
    stopping at the first: one run shows all that is left to fix."""

    def __init__(self, page: Page, base: str, language: str):
        self.page, self.base, self.language = page, base, language
        self.failures: list[str] = []

    def sign_in(self, username: str | None) -> None:
        context = self.page.context
        context.clear_cookies()
        if self.language != "th":
            context.add_cookies(
                [{"name": "lao_portal_language", "value": self.language, "url": self.base}]
            )
        if username is None:
            return
        self.page.goto(f"{self.base}/accounts/login/")
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_password").fill(DEMO_PASSWORD)
        self.page.locator("main form button[type=submit]").click()
        expect(self.page.locator(".user-name")).to_be_visible()

    def check(
        self, path: str, shows: str | None = None, then: Callable[[Page], None] | None = None
    ) -> None:
        """Open `path` (then do `then`), make sure it shows `shows` (a selector of the data the
        page is checked with), run axe, and look for a sideways scroll on a phone."""
        page = self.page
        response = page.goto(f"{self.base}{path}")
        if response is None or response.status != 200:
            self.failures.append(f"{path} answered {response and response.status}")
            return
        if then is not None:
            then(page)
        if shows is not None:
            expect(page.locator(shows).first).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", self.language)
        page.wait_for_load_state("networkidle")
        violations = [v for v in run_axe(page) if v["impact"] in FAILING_IMPACTS]
        if violations:
            self.failures.append(f"axe on {page.url}:\n{describe(violations)}")
        # Axe's duplicate-id rules are disabled (obsolete WCAG 4.1.1) unless ARIA refers to the
        # id; a label or a fragment link still finds only the first, so none is allowed.
        duplicates = page.evaluate(
            """() => {
                const ids = [...document.querySelectorAll("[id]")].map(el => el.id);
                return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
            }"""
        )
        if duplicates:
            self.failures.append(f"duplicate ids on {page.url}: {duplicates}")
        page.set_viewport_size(PHONE)
        overflow = page.evaluate(
            """() => {
                const root = document.documentElement;
                if (root.scrollWidth <= root.clientWidth) return null;
                const wide = [...document.querySelectorAll("body *")]
                    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
                    .filter(el => !el.parentElement.closest(
                        ".table-wrap, .table-scroll, .leaflet-container"))
                    .slice(0, 5)
                    .map(el => el.tagName.toLowerCase() + (el.className ? "." +
                        String(el.className).trim().split(/\\s+/).join(".") : ""));
                return {width: root.scrollWidth, wide};
            }"""
        )
        if overflow:
            self.failures.append(f"sideways scroll at 375 px on {page.url}: {overflow}")
        page.set_viewport_size(DESKTOP)


def walk_every_page(page: Page, base: str, language: str, data: Sections) -> list[str]:
    walk = Walk(page, base, language)
    lao, indicator = "6300001", "personnel-share"

    walk.sign_in(None)
    for path, shows in (
        ("/benchmarks/", None),
        ("/benchmarks/ranking/", "table.ranking-table tbody tr"),
        (
            f"/benchmarks/ranking/?indicator={indicator}&kind=sao&province=30",
            "table.ranking-table tbody tr",
        ),
        (f"/benchmarks/lao/{lao}/?year={YEAR}", "svg.sparkline"),
        (f"/benchmarks/compare/?lao={lao}&lao=6300002&lao=6310001", "table.compare-table"),
        (f"/benchmarks/indicators/{indicator}/", ".histogram-figure svg"),
        ("/benchmarks/methodology/", None),
        ("/benchmarks/reasons/", "main table tbody tr"),
        (f"/benchmarks/questions/{data.question_pk}/", None),
        ("/forums/", "main table, main ul"),
        (f"/forums/b/{data.board_slug}/", f"a[href='/forums/t/{data.thread_pk}/']"),
        (f"/forums/t/{data.thread_pk}/", ".forum-body blockquote"),
        ("/knowledge/", None),
        (f"/knowledge/documents/?q={SEARCH_WORD}", ".document-item mark"),
        (f"/knowledge/documents/{data.document_pk}/", None),
        (f"/knowledge/wiki/{data.wiki_slug}/", ".wiki-body"),
        (f"/knowledge/wiki/{data.wiki_slug}/history/", "table.wiki-history"),
        (f"/knowledge/wiki/{data.wiki_slug}/diff/?from=1&to=2", ".wiki-diff ins"),
    ):
        walk.check(path, shows)
    walk.check(
        f"/benchmarks/questions/new/?lao={lao}&indicator={indicator}&year={YEAR}",
        ".error-summary",
        then=lambda page: submit_without_browser_checks(page, "form.question-form"),
    )

    # A registered citizen: the reply form, a new thread refused, the wiki's edit form.
    walk.sign_in("citizen")
    walk.check(f"/forums/t/{data.thread_pk}/", "form[action$='/reply/'] textarea")
    walk.check(
        f"/forums/b/{data.board_slug}/new/",
        ".error-summary",
        then=lambda page: submit_without_browser_checks(page, "main form[method=post]"),
    )
    walk.check(f"/knowledge/wiki/{data.wiki_slug}/edit/", "form.wiki-form textarea")

    # The LAO's officer: the question with its steps, a good practice refused.
    walk.sign_in("officer")
    walk.check(f"/benchmarks/questions/{data.question_pk}/", "main form textarea")
    walk.check(
        "/knowledge/good-practices/new/",
        ".error-summary",
        then=lambda page: submit_without_browser_checks(page, "form.document-form"),
    )

    # Provincial staff and executives: completeness; a moderator: the queue.
    walk.sign_in("staff")
    walk.check(f"/benchmarks/completeness/?fiscal_year={YEAR}", "main table tbody tr")
    walk.sign_in("executive")
    walk.check(f"/benchmarks/completeness/?fiscal_year={YEAR}", "main table tbody tr")
    walk.sign_in("editor")
    walk.check("/forums/moderation/", "a[href$='/hide/?next=queue']")
    return walk.failures


@pytest.mark.parametrize("language", ["th", "en"])
def test_sections_have_no_serious_violation_and_fit_a_phone(
    live_server, page: Page, sections, language
):
    failures = walk_every_page(page, live_server.url, language, sections)
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
