"""The wiki journey of the knowledge base: a registered user edits a Thai page, another
registered user reverts it, and the diff shows exactly the changed Thai words, each whole (a
tone mark or vowel never shown apart from its consonant)."""

import re

import pytest
from playwright.sync_api import Page, expect

from knowledge import wiki
from knowledge.models_wiki import WikiPage
from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ORIGINAL = "เทศบาลตำบลบางพลีก่อสร้างถนนคอนกรีตในหมู่บ้าน\n\nงบประมาณมาจากเงินอุดหนุน"
THAI_MARK = re.compile("^[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def log_in(page: Page, base_url: str, username: str, next_url: str = "/") -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/?next={next_url}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".user-name")).to_be_visible()


def changed_words(page: Page) -> tuple[list[str], list[str]]:
    deleted = page.locator(".wiki-diff del").all_inner_texts()
    inserted = page.locator(".wiki-diff ins").all_inner_texts()
    for word in deleted + inserted:
        assert not THAI_MARK.match(word), f"a change starts with a lone mark: {word!r}"
    return deleted, inserted


def test_edit_revert_and_the_diff_of_thai_words(live_server, page: Page, artefacts):
    author = UserFactory(username="wikiauthor", role=Role.EDITOR)
    UserFactory(username="somchai", role=Role.CITIZEN)
    UserFactory(username="malee", role=Role.CITIZEN)
    article = wiki.page_create(title="ถนนในหมู่บ้าน", text=ORIGINAL, user=author, comment="สร้างหน้า")
    url = article.get_absolute_url()

    # 1. A registered citizen edits one word of the page.
    log_in(page, live_server.url, "somchai", url)
    page.locator(".wiki-edit-link").click()
    text = page.locator("textarea[name=text]")
    text.fill(ORIGINAL.replace("ก่อสร้าง", "ซ่อมแซม"))
    page.locator("input[name=comment]").fill("แก้ชื่องาน")
    page.locator("main form.wiki-form button[type=submit]").click()
    expect(page.locator(".wiki-body")).to_contain_text("บางพลีซ่อมแซมถนน")
    expect(page.locator(".message-success")).to_be_visible()

    # 2. Another registered user reverts it from the history, after a confirmation.
    log_in(page, live_server.url, "malee", url)
    page.get_by_role("link", name="ประวัติ").click()
    page.locator("table.wiki-history a", has_text=re.compile(r"^1$")).click()
    page.locator(".wiki-revert-link").click()
    page.locator(".step-confirm-button").click()
    expect(page.locator(".wiki-body")).to_contain_text("บางพลีก่อสร้างถนน")
    article = WikiPage.objects.get(pk=article.pk)
    assert article.revision_number == 3 and article.current.reverted_to.number == 1

    # 3. The history compares the last two revisions by default: the revert.
    page.get_by_role("link", name="ประวัติ").click()
    expect(page.locator("table.wiki-history")).to_contain_text("แก้ชื่องาน")
    page.locator(".wiki-history-form button[type=submit]").click()
    assert changed_words(page) == (["ซ่อมแซม"], ["ก่อสร้าง"])
    # … and the edit itself, chosen in the history.
    page.go_back()
    page.locator("input[name=from][value='1']").check()
    page.locator("input[name=to][value='2']").check()
    page.locator(".wiki-history-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/diff/\?(from=1&to=2|to=2&from=1)$"))
    assert changed_words(page) == (["ก่อสร้าง"], ["ซ่อมแซม"])
    # Unchanged words around the change are shown, unmarked.
    expect(page.locator(".diff-changed")).to_contain_text("เทศบาลตำบลบางพลี")
    page.screenshot(path=str(artefacts / "wiki-diff.png"), full_page=True)
