"""The wiki's pages: who may do what, conflicts on screen, rate limits, query counts."""

import re

import pytest
from django.urls import reverse

from knowledge import wiki
from knowledge.models_wiki import WikiPage, WikiRevision
from knowledge.views_wiki import EDIT_LIMIT
from units.models import Role
from units.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TITLE = "การจัดทำแผนพัฒนาท้องถิ่น"


@pytest.fixture
def writer():
    return UserFactory(username="writer", role=Role.CITIZEN)


@pytest.fixture
def editor():
    return UserFactory(username="wiki-editor", role=Role.EDITOR)


@pytest.fixture
def article(writer):
    article = wiki.page_create(title=TITLE, text="แผนพัฒนาสี่ปี", user=writer, comment="เริ่ม")
    return wiki.page_edit(page=article, user=writer, text="แผนพัฒนาห้าปี", base_revision=1)


def url(name, article, *args):
    return reverse(f"knowledge:{name}", args=[article.slug, *args])


def test_anyone_reads_a_page_in_one_query(client, article, django_assert_num_queries):
    with django_assert_num_queries(2):  # the page's stamps (knowledge.test_page_cache), the page
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "<p>แผนพัฒนาห้าปี</p>" in body
    assert url("wiki-edit", article) not in body.replace("%2F", "/").split("next=")[0]


def test_a_signed_in_reader_sees_edit_and_editors_see_protect(client, article, writer, editor):
    client.force_login(writer)
    body = client.get(article.get_absolute_url()).content.decode()
    assert url("wiki-edit", article) in body and url("wiki-protect", article) not in body
    client.force_login(editor)
    body = client.get(article.get_absolute_url()).content.decode()
    assert url("wiki-protect", article) in body


def test_a_title_in_the_url_leads_to_the_page(client, article):
    response = client.get(reverse("knowledge:wiki-page", args=["การจัดทำแผนพัฒนาท้องถิ่น "]))
    assert response.status_code in {301, 404}  # a trailing space is no slug: 404 or redirect
    spaced = WikiPage.objects.get(pk=article.pk)
    wiki.page_create(title="ภาษี ป้าย", text="ก", user=UserFactory())
    response = client.get("/knowledge/wiki/ภาษี ป้าย/")
    assert response.status_code == 301 and response["Location"].endswith(
        reverse("knowledge:wiki-page", args=["ภาษี_ป้าย"])
    )
    assert spaced.slug == TITLE


def test_a_missing_page_offers_creation_to_registered_users(client, writer):
    response = client.get(reverse("knowledge:wiki-page", args=["หน้าที่ไม่มี"]))
    assert (
        response.status_code == 404
        and reverse("knowledge:wiki-new") not in response.content.decode()
    )
    client.force_login(writer)
    response = client.get(reverse("knowledge:wiki-page", args=["หน้าที่ไม่มี"]))
    assert (
        response.status_code == 404 and reverse("knowledge:wiki-new") in response.content.decode()
    )


def test_anonymous_visitors_are_sent_to_log_in_to_write(client, article):
    for target in (
        url("wiki-edit", article),
        reverse("knowledge:wiki-new"),
        url("wiki-revert", article, 1),
    ):
        response = client.post(
            target, {"text": "x", "title": "x", "base_revision": 2, "confirm": "yes"}
        )
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert WikiRevision.objects.count() == 2 and WikiPage.objects.count() == 1


def test_edit_saves_a_revision(client, article, writer, django_assert_num_queries):
    client.force_login(writer)
    response = client.get(url("wiki-edit", article))
    assert response.status_code == 200 and "แผนพัฒนาห้าปี" in response.content.decode()
    response = client.post(
        url("wiki-edit", article),
        {"text": "แผนพัฒนาท้องถิ่นห้าปี", "comment": "ขยาย", "base_revision": 2},
    )
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    article.refresh_from_db()
    assert article.revision_number == 3 and article.current.comment == "ขยาย"


def test_an_edit_conflict_shows_both_texts_and_saves_nothing(client, article, writer):
    other = UserFactory(username="other")
    wiki.page_edit(page=article, user=other, text="ฉบับของผู้อื่น", base_revision=2)
    client.force_login(writer)
    response = client.post(url("wiki-edit", article), {"text": "ฉบับของฉัน", "base_revision": 2})
    assert response.status_code == 409
    body = response.content.decode()
    assert "ฉบับของผู้อื่น" in body and "ฉบับของฉัน" in body
    assert 'name="base_revision" value="3"' in body  # the next save merges onto revision 3
    article.refresh_from_db()
    assert article.revision_number == 3 and article.current.text == "ฉบับของผู้อื่น"


def test_protected_pages_refuse_registered_users_but_not_editors(client, article, writer, editor):
    client.force_login(writer)
    assert client.post(url("wiki-protect", article), {"protected": "on"}).status_code == 403
    client.force_login(editor)
    client.post(url("wiki-protect", article), {"protected": "on"})
    article.refresh_from_db()
    assert article.protected
    assert (
        reverse("knowledge:wiki-page", args=[article.slug])
        in client.get(reverse("knowledge:wiki-protected")).content.decode()
    )
    client.force_login(writer)
    assert client.get(url("wiki-edit", article)).status_code == 403
    response = client.post(url("wiki-edit", article), {"text": "ทับ", "base_revision": 2})
    assert response.status_code == 403
    assert (
        client.post(
            url("wiki-revert", article, 1), {"confirm": "yes", "base_revision": 2}
        ).status_code
        == 404
    )
    article.refresh_from_db()
    assert article.revision_number == 2
    client.force_login(editor)
    client.post(url("wiki-protect", article), {})
    article.refresh_from_db()
    assert not article.protected


def test_revert_asks_first_then_restores(client, article, writer):
    other = UserFactory(username="other")
    client.force_login(other)
    response = client.get(url("wiki-revert", article, 1))
    assert response.status_code == 200 and 'name="confirm"' in response.content.decode()
    response = client.post(url("wiki-revert", article, 1), {"base_revision": 2})
    assert response.status_code == 200  # the confirmation article again: nothing done yet
    article.refresh_from_db()
    assert article.revision_number == 2
    response = client.post(url("wiki-revert", article, 1), {"base_revision": 2, "confirm": "yes"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.revision_number == 3 and article.current.text == "แผนพัฒนาสี่ปี"
    assert article.current.author == other and article.current.reverted_to.number == 1


def test_a_stale_revert_is_refused(client, article, writer):
    client.force_login(writer)
    response = client.post(url("wiki-revert", article, 1), {"base_revision": 1, "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == url("wiki-history", article)
    article.refresh_from_db()
    assert article.revision_number == 2


def test_new_page(client, writer):
    client.force_login(writer)
    response = client.get(reverse("knowledge:wiki-new") + "?title=ภาษีป้าย")
    assert 'value="ภาษีป้าย"' in response.content.decode()
    response = client.post(
        reverse("knowledge:wiki-new"), {"title": "ภาษีป้าย", "text": "# ภาษีป้าย", "comment": ""}
    )
    article = WikiPage.objects.get(title="ภาษีป้าย")
    assert response["Location"] == article.get_absolute_url()
    response = client.post(reverse("knowledge:wiki-new"), {"title": "a/<b>", "text": "x"})
    assert response.status_code == 200 and WikiPage.objects.count() == 1


def test_edits_are_rate_limited(client, writer):
    client.force_login(writer)
    for number in range(EDIT_LIMIT):
        response = client.post(
            reverse("knowledge:wiki-new"), {"title": f"หน้า {number}", "text": "ก"}
        )
        assert response.status_code == 302
    response = client.post(reverse("knowledge:wiki-new"), {"title": "หน้าเกิน", "text": "ก"})
    assert response.status_code == 429
    assert not WikiPage.objects.filter(title="หน้าเกิน").exists()


def test_history_and_diff(client, article, django_assert_num_queries):
    with django_assert_num_queries(4):  # the stamps, the article, the count, the revisions
        response = client.get(url("wiki-history", article))
    body = response.content.decode()
    assert "เริ่ม" in body and url("wiki-diff", article) in body
    with django_assert_num_queries(3):  # the stamps, the article, both revisions
        response = client.get(url("wiki-diff", article) + "?from=1&to=2")
    html = response.content.decode()
    assert "<del>สี่</del><ins>ห้า</ins>" in html
    # A signed-in reader renders the page, the diff itself is cached: session, user, the
    # article, both revisions.
    client.force_login(UserFactory(username="reader", role=Role.CITIZEN))
    with django_assert_num_queries(4):
        assert (
            "<del>สี่</del><ins>ห้า</ins>"
            in client.get(url("wiki-diff", article) + "?from=1&to=2").content.decode()
        )
    assert client.get(url("wiki-diff", article) + "?from=1&to=9").status_code == 404
    assert client.get(url("wiki-diff", article) + "?from=x&to=2").status_code == 404


def test_an_old_revision_and_what_links_here(client, article, writer, django_assert_num_queries):
    wiki.page_create(title="งบประมาณ", text=f"ดู [[{TITLE}]]", user=writer)
    response = client.get(url("wiki-revision", article, 1))
    assert "<p>แผนพัฒนาสี่ปี</p>" in response.content.decode()
    with django_assert_num_queries(3):  # the stamps, the article, the pages linking to it
        response = client.get(url("wiki-backlinks", article))
    assert "งบประมาณ" in response.content.decode()
    assert client.get(url("wiki-revision", article, 7)).status_code == 404


def test_recent_changes_and_the_index(client, article, django_assert_num_queries):
    with django_assert_num_queries(3):  # the stamps, the count, the revisions
        response = client.get(reverse("knowledge:wiki-changes"))
    body = response.content.decode()
    assert TITLE in body and "?from=1&amp;to=2" in body
    with django_assert_num_queries(3):
        response = client.get(reverse("knowledge:wiki") + "?q=แผน")
    assert TITLE in response.content.decode()
    assert TITLE not in client.get(reverse("knowledge:wiki") + "?q=ภาษี").content.decode()


def test_hostile_text_never_reaches_the_page_as_markup(client, writer):
    text = '<script>alert(1)</script> [x](javascript:alert(1)) [[a" onclick="alert(1)]] [[<b>]]'
    article = wiki.page_create(title="ทดสอบ", text=text, user=writer)
    body = client.get(article.get_absolute_url()).content.decode()
    shown = re.search(r'<article class="wiki-body">(.*?)</article>', body, re.S).group(1)
    for tag, attributes in re.findall(r"<(\w+)([^>]*)>", shown):
        assert tag in {"p", "a"}, tag
        assert "onclick" not in attributes and "javascript:" not in attributes


def test_the_admin_shows_pages_and_history_read_only(client, article):
    client.force_login(
        UserFactory(username="root", role=Role.ADMIN, is_superuser=True, is_staff=True)
    )
    assert client.get(reverse("admin:knowledge_wikipage_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:knowledge_wikipage_change", args=[article.pk])).status_code == 200
    )
    revision = article.current
    assert (
        client.get(reverse("admin:knowledge_wikirevision_change", args=[revision.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:knowledge_wikirevision_add")).status_code == 403


def test_a_hostile_diff_is_answered_quickly_and_says_it_is_cut(
    client, writer, django_assert_num_queries
):
    import time

    page = wiki.page_create(title="ซ้ำ", text="ab " * 600, user=writer)
    page = wiki.page_edit(page=page, user=writer, text="ba " * 600, base_revision=1)
    started = time.perf_counter()
    with django_assert_num_queries(3):  # the stamps, the page, both revisions
        response = client.get(url("wiki-diff", page) + "?from=1&to=2")
    assert time.perf_counter() - started < 5  # a safety net: it took ~30 s before
    assert response.status_code == 200
    assert "diff-notice" in response.content.decode()


def test_an_edit_conflict_on_hostile_texts_is_answered_quickly(client, writer):
    import time

    page = wiki.page_create(title="ซ้ำ", text="a\n" * 1000, user=writer)
    wiki.page_edit(page=page, user=UserFactory(), text="b\n" * 1000, base_revision=1)
    client.force_login(writer)
    started = time.perf_counter()
    response = client.post(url("wiki-edit", page), {"text": "b\na\n" * 500, "base_revision": 1})
    assert time.perf_counter() - started < 5  # a safety net: the diff is not cached here
    assert response.status_code == 409


def test_the_daily_quota_of_text_refuses_with_429(client, writer, monkeypatch):
    monkeypatch.setattr(wiki, "DAILY_TEXT_QUOTA", 10)
    client.force_login(writer)
    response = client.post(reverse("knowledge:wiki-new"), {"title": "หน้าแรก", "text": "ก" * 8})
    assert response.status_code == 302
    response = client.post(reverse("knowledge:wiki-new"), {"title": "หน้าสอง", "text": "ข" * 8})
    assert response.status_code == 429
    assert "(10 " in response.content.decode()  # the quota message names the quota
    assert not WikiPage.objects.filter(title="หน้าสอง").exists()


def test_a_registered_user_cannot_save_an_editors_length(client, writer):
    client.force_login(writer)
    text = "ก" * (wiki.TEXT_MAX_LENGTH_REGISTERED + 1)
    response = client.post(reverse("knowledge:wiki-new"), {"title": "ยาว", "text": text})
    assert response.status_code == 200
    assert f"{wiki.TEXT_MAX_LENGTH_REGISTERED}" in response.content.decode()
    assert not WikiPage.objects.exists()


def test_edits_and_reverts_share_the_rate_limit(english_client, article, writer, monkeypatch):
    from knowledge import views_wiki

    monkeypatch.setattr(views_wiki, "EDIT_LIMIT", 1)
    english_client.force_login(writer)
    edit = {"text": "แผนพัฒนาหกปี", "base_revision": 2}
    assert english_client.post(url("wiki-edit", article), edit).status_code == 302
    response = english_client.post(url("wiki-edit", article), edit | {"base_revision": 3})
    assert response.status_code == 429
    assert "many edits in a short time" in response.content.decode()
    response = english_client.post(
        url("wiki-revert", article, 1), {"base_revision": 3, "confirm": "yes"}, follow=True
    )
    assert response.redirect_chain == [(url("wiki-revision", article, 1), 302)]
    assert "many edits in a short time" in response.content.decode()
    article.refresh_from_db()
    assert article.revision_number == 3


def test_edit_and_revert_pages_cost_a_few_queries(
    english_client, article, writer, django_assert_num_queries
):
    english_client.force_login(writer)
    with django_assert_num_queries(3):  # session and user, the page with its revision
        response = english_client.get(url("wiki-edit", article))
    assert 'name="base_revision" value="2"' in response.content.decode()
    with django_assert_num_queries(4):
        response = english_client.get(url("wiki-revert", article, 1))
    assert f"{TITLE}, revision 1" in response.content.decode()
    # ... the wiki's stamp moved twice: by the page's save (what the admin relies on) and as
    # the service's last step
    with django_assert_num_queries(19):
        response = english_client.post(
            url("wiki-edit", article), {"text": "แผนพัฒนาหกปี", "base_revision": 2}
        )
    assert response.status_code == 302
    with django_assert_num_queries(20):
        response = english_client.post(
            url("wiki-revert", article, 1), {"base_revision": 3, "confirm": "yes"}
        )
    assert response.status_code == 302
