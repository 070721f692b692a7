"""Writes of the wiki: create, edit with conflict detection, revert, protect; hostile input."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from knowledge import wiki
from knowledge.models_wiki import WikiLink, WikiPage, WikiRevision
from units.models import Role
from units.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer():
    return UserFactory(username="writer", role=Role.CITIZEN)


@pytest.fixture
def editor():
    return UserFactory(username="wiki-editor", role=Role.EDITOR)


def test_create_stores_the_first_revision_and_its_html(writer):
    page = wiki.page_create(title="  การจัดเก็บ   ภาษี ", text="# ภาษีที่ดิน\n\n**สำคัญ**", user=writer)
    assert page.title == "การจัดเก็บ ภาษี" and page.slug == "การจัดเก็บ_ภาษี"
    assert page.revision_number == 1 and page.current.number == 1
    assert "<h1>ภาษีที่ดิน</h1>" in page.html and "<strong>สำคัญ</strong>" in page.html
    revision = page.current
    assert revision.author == writer and revision.parent is None
    assert revision.size == len(revision.text) and revision.html == page.html


def test_sara_am_written_in_two_characters_names_the_same_page(writer):
    wiki.page_create(title="การคลังท้องถิ่น", text="ก", user=writer)
    with pytest.raises(ValidationError):
        wiki.page_create(title="การคลังท้องถิ\u0e48น".replace("คลัง", "คลัง"), text="ข", user=writer)
    decomposed = "ก\u0e32\u0e23\u0e17\u0e4d\u0e32"  # การทํา
    page = wiki.page_create(title=decomposed, text="ค", user=writer)
    assert page.title == "การทำ"
    assert WikiPage.objects.by_slug(decomposed).get() == page


@pytest.mark.parametrize(
    "title",
    ["", "   ", "a/b", "[[x]]", "<script>", 'say "hi"', "100%", "new", "Changes", "x" * 201],
)
def test_titles_that_would_break_links_or_urls_are_refused(title, writer):
    with pytest.raises(ValidationError):
        wiki.page_create(title=title, text="ก", user=writer)
    assert not WikiPage.objects.exists()


def test_anonymous_and_inactive_users_cannot_write(writer):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        wiki.page_create(title="หน้า", text="ก", user=AnonymousUser())
    page = wiki.page_create(title="หน้า", text="ก", user=writer)
    writer.is_active = False
    with pytest.raises(PermissionDenied):
        wiki.page_edit(page=page, user=writer, text="ข", base_revision=1)
    assert WikiRevision.objects.count() == 1


def test_edit_adds_a_revision_with_author_comment_and_parent(writer):
    other = UserFactory(username="other")
    page = wiki.page_create(title="หน้า", text="ก", user=writer)
    page = wiki.page_edit(page=page, user=other, text="ข", comment="แก้คำผิด", base_revision=1)
    second = page.current
    assert (second.number, second.author, second.comment) == (2, other, "แก้คำผิด")
    assert second.parent.number == 1 and page.html == "<p>ข</p>\n"
    with pytest.raises(ValidationError):
        wiki.page_edit(page=page, user=other, text="ข", base_revision=2)  # nothing changed


def test_an_edit_from_an_old_revision_is_a_conflict_with_both_texts(writer):
    other = UserFactory(username="other")
    page = wiki.page_create(title="หน้า", text="ต้นฉบับ", user=writer)
    wiki.page_edit(page=page, user=other, text="ฉบับของคนแรก", base_revision=1)
    with pytest.raises(wiki.EditConflict) as conflict:
        wiki.page_edit(page=page, user=writer, text="ฉบับของคนที่สอง", base_revision=1)
    assert conflict.value.current_text == "ฉบับของคนแรก"
    assert conflict.value.your_text == "ฉบับของคนที่สอง"
    assert conflict.value.current_number == 2
    page.refresh_from_db()
    assert page.revision_number == 2 and page.current.text == "ฉบับของคนแรก"
    # Made again from the revision now current, the edit goes through.
    page = wiki.page_edit(page=page, user=writer, text="ฉบับรวม", base_revision=2)
    assert page.revision_number == 3


def test_revert_restores_an_old_text_as_a_new_revision(writer):
    other = UserFactory(username="other")
    page = wiki.page_create(title="หน้า", text="ดี", user=writer)
    page = wiki.page_edit(page=page, user=other, text="เสีย", base_revision=1)
    first = page.revisions.get(number=1)
    page = wiki.page_revert(page=page, user=writer, revision=first, base_revision=2)
    assert page.revision_number == 3 and page.current.text == "ดี"
    assert page.current.reverted_to == first and page.html == "<p>ดี</p>\n"
    assert page.revisions.count() == 3  # history is kept, never rewritten
    with pytest.raises(ValidationError):  # already this text
        wiki.page_revert(page=page, user=writer, revision=first, base_revision=3)
    with pytest.raises(wiki.EditConflict):  # the page moved on since the user looked
        wiki.page_revert(
            page=page, user=writer, revision=page.revisions.get(number=2), base_revision=2
        )


def test_a_revision_of_another_page_cannot_be_restored(writer):
    page = wiki.page_create(title="หน้าหนึ่ง", text="ก", user=writer)
    other = wiki.page_create(title="หน้าสอง", text="ข", user=writer)
    with pytest.raises(ValidationError):
        wiki.page_revert(page=page, user=writer, revision=other.current, base_revision=1)


def test_protected_pages_are_for_editors_only(writer, editor):
    page = wiki.page_create(title="ระเบียบ", text="ก", user=writer)
    with pytest.raises(PermissionDenied):
        wiki.page_protect(page=page, user=writer, protected=True)
    page = wiki.page_protect(page=page, user=editor, protected=True)
    assert page.protected
    with pytest.raises(PermissionDenied):
        wiki.page_edit(page=page, user=writer, text="ข", base_revision=1)
    with pytest.raises(PermissionDenied):
        wiki.page_revert(page=page, user=writer, revision=page.current, base_revision=1)
    page = wiki.page_edit(page=page, user=editor, text="ข", base_revision=1)
    assert page.revision_number == 2
    page = wiki.page_protect(page=page, user=editor, protected=False)
    assert wiki.page_edit(page=page, user=writer, text="ค", base_revision=2).revision_number == 3


def test_internal_links_resolve_and_missing_pages_come_alive_when_created(
    writer, django_capture_on_commit_callbacks
):
    linking = wiki.page_create(
        title="งบประมาณ", text="ดู [[แผนพัฒนาท้องถิ่น]] และ [[ภาษี|ภาษีท้องถิ่น]]", user=writer
    )
    assert linking.html.count('class="missing"') == 2
    assert set(WikiLink.objects.values_list("target_title", flat=True)) == {
        "แผนพัฒนาท้องถิ่น",
        "ภาษี",
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        target = wiki.page_create(title="แผนพัฒนาท้องถิ่น", text="แผน", user=writer)
    linking.refresh_from_db()
    # Not in the request: the pages waiting for the title are rendered by a task after commit.
    assert linking.html.count('class="missing"') == 2 and len(callbacks) == 1
    callbacks[0]()
    linking.refresh_from_db()
    assert f'class="internal" href="{target.get_absolute_url()}"' in linking.html
    assert linking.html.count('class="missing"') == 1
    # The revision keeps the HTML it was written with.
    assert linking.current.html.count('class="missing"') == 2
    assert list(WikiPage.objects.filter(links__target_title=target.title)) == [linking]


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[คลิก](javascript:alert(1))",
    "[คลิก](JAVASCRIPT:alert(1))",
    '[[x" onmouseover="alert(1)]]',
    "[[<script>alert(1)</script>]]",
    "[['><img src=x onerror=alert(1)>|ป้าย]]",
    '[[ชื่อ|"><script>alert(1)</script>]]',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_and_links_render_harmless(text, writer):
    page = wiki.page_create(title="หน้าทดสอบ", text=text, user=writer)
    for tag, attributes in re.findall(r"<(\w+)([^>]*)>", page.html.lower()):
        assert tag not in {"script", "img", "iframe"}
        assert "onerror" not in attributes and "onmouseover" not in attributes
        assert "javascript:" not in attributes
    assert page.current.text == text  # the source is kept as written


def test_a_text_over_the_limit_is_refused(writer):
    with pytest.raises(ValidationError):
        wiki.page_create(title="ยาว", text="ก" * (wiki.TEXT_MAX_LENGTH + 1), user=writer)


def test_a_new_page_nobody_links_to_enqueues_nothing(writer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        wiki.page_create(title="หน้าเดี่ยว", text="ก", user=writer)
    assert callbacks == []


def test_rendering_again_leaves_a_page_edited_meanwhile_alone(writer, monkeypatch):
    linking = wiki.page_create(title="ต้นทาง", text="ดู [[ปลายทาง]]", user=writer)
    wiki.page_create(title="ปลายทาง", text="ข", user=writer)  # its task is not run here
    render = wiki.render_wiki_text

    def edit_while_rendering(text):
        monkeypatch.setattr(wiki, "render_wiki_text", render)
        wiki.page_edit(page=linking, user=writer, text="ฉบับใหม่ [[ปลายทาง]]", base_revision=1)
        return render(text)

    monkeypatch.setattr(wiki, "render_wiki_text", edit_while_rendering)
    assert wiki.pages_linking_to_render(title="ปลายทาง") == 0
    linking.refresh_from_db()
    assert linking.revision_number == 2 and "ฉบับใหม่" in linking.html  # not the older text
    assert wiki.pages_linking_to_render(title="ปลายทาง") == 1


def test_registered_users_save_shorter_texts_than_editors(writer, editor):
    long_text = "ก" * (wiki.TEXT_MAX_LENGTH_REGISTERED + 1)
    with pytest.raises(ValidationError) as refused:
        wiki.page_create(title="ยาว", text=long_text, user=writer)
    assert refused.value.code == "long"
    page = wiki.page_create(title="ยาว", text="ก", user=writer)
    with pytest.raises(ValidationError):
        wiki.page_edit(page=page, user=writer, text=long_text, base_revision=1)
    assert WikiRevision.objects.count() == 1
    page = wiki.page_edit(page=page, user=editor, text=long_text, base_revision=1)
    assert page.current.size == wiki.TEXT_MAX_LENGTH_REGISTERED + 1


def test_an_account_has_a_daily_quota_of_text_editors_none(writer, editor, monkeypatch):
    monkeypatch.setattr(wiki, "DAILY_TEXT_QUOTA", 25)
    page = wiki.page_create(title="โควตา", text="ก" * 10, user=writer)
    page = wiki.page_edit(page=page, user=writer, text="ข" * 10, base_revision=1)
    assert wiki.saved_today(writer) == 20
    with pytest.raises(ValidationError) as refused:
        wiki.page_edit(page=page, user=writer, text="ค" * 6, base_revision=2)
    assert refused.value.code == "quota"
    with pytest.raises(ValidationError):
        wiki.page_create(title="อีกหน้า", text="ค" * 6, user=writer)
    with pytest.raises(ValidationError):  # a revert stores the whole text again
        wiki.page_revert(
            page=page, user=writer, revision=page.revisions.get(number=1), base_revision=2
        )
    assert WikiRevision.objects.count() == 2
    # Another account, and editors, are not held by this one's quota.
    other = UserFactory(username="other")
    page = wiki.page_edit(page=page, user=other, text="ง" * 10, base_revision=2)
    page = wiki.page_edit(page=page, user=editor, text="จ" * 30, base_revision=3)
    page = wiki.page_edit(page=page, user=editor, text="ฉ" * 30, base_revision=4)
    assert page.revision_number == 5


def test_the_quota_counts_only_the_last_24_hours(writer, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    monkeypatch.setattr(wiki, "DAILY_TEXT_QUOTA", 25)
    page = wiki.page_create(title="โควตา", text="ก" * 20, user=writer)
    WikiRevision.objects.filter(page=page).update(created_at=timezone.now() - timedelta(hours=25))
    page = wiki.page_edit(page=page, user=writer, text="ข" * 20, base_revision=1)
    assert page.revision_number == 2
