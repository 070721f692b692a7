"""The knowledge pages cached for visitors (units.pagecache): one query for a stored page, a new
page after every write that changes it (through the real services), and the per-user parts
for those who are logged in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge import services, wiki
from knowledge.files import check_upload
from knowledge.models import Document, DocumentKind
from knowledge.models_wiki import WikiPage
from knowledge.tasks import extract_file_text
from knowledge.tests.factories import DocumentFactory
from knowledge.tests.test_files import docx_bytes
from units.models import Role
from units.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TITLE = "การจัดทำแผนพัฒนาท้องถิ่น"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def writer():
    return UserFactory(username="writer", role=Role.CITIZEN)


@pytest.fixture
def world(tree, writer):
    """A published research report about `tree.lao`, an academic paper, and a wiki article of
    two revisions linked from a second page."""
    report = DocumentFactory(title="รายงานการจัดการขยะ", body="ชุมชนร่วมกันคัดแยกขยะ")
    report.laos.add(tree.lao)
    DocumentFactory(title="บทความวิชาการ", kind=DocumentKind.ACADEMIC, body="ธรรมาภิบาล")
    article = wiki.page_create(title=TITLE, text="แผนพัฒนาสี่ปี", user=writer, comment="เริ่ม")
    article = wiki.page_edit(page=article, user=writer, text="แผนพัฒนาห้าปี", base_revision=1)
    wiki.page_create(title="งบประมาณ", text=f"ดู [[{TITLE}]]", user=writer)
    tree.report, tree.article = report, article
    return tree


def wiki_url(name, article, *args):
    return reverse(f"knowledge:{name}", args=[article.slug, *args])


def pages(world) -> dict[str, tuple[str, dict, int]]:
    """Every cached page: its address, query and the queries of its first (missed) request,
    the stamps' values among them."""
    article, report = world.article, world.report
    return {
        "index": (reverse("knowledge:index"), {}, 2),
        "academic": (reverse("knowledge:academic"), {}, 2),
        # stamps, provinces of the filter form, documents by text, by title, the page, snippets
        "search": (reverse("knowledge:search"), {"q": "คัดแยกขยะ"}, 6),
        # stamps, provinces, count, page
        "list": (reverse("knowledge:search"), {"kind": "research", "page": "1"}, 4),
        # stamps, document, files, LAOs, related
        "document": (reverse("knowledge:document", args=[report.pk]), {}, 5),
        "wiki index": (reverse("knowledge:wiki"), {"q": "แผน"}, 3),
        "wiki page": (wiki_url("wiki-page", article), {}, 2),
        "wiki history": (wiki_url("wiki-history", article), {}, 4),
        "wiki diff": (wiki_url("wiki-diff", article), {"from": "1", "to": "2"}, 3),
        "wiki revision": (wiki_url("wiki-revision", article, 1), {}, 3),
        "wiki backlinks": (wiki_url("wiki-backlinks", article), {}, 3),
        "wiki changes": (reverse("knowledge:wiki-changes"), {}, 3),
        "wiki protected": (reverse("knowledge:wiki-protected"), {}, 2),
    }


def stored(client, url, query=None, *, assert_queries) -> str:
    """The page a visitor gets, checked to be the stored one on the second request."""
    first = client.get(url, query or {})
    assert first.status_code == 200
    with assert_queries(1):  # the stamps
        second = client.get(url, query or {})
    assert second.content == first.content
    return first.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "index",
        "academic",
        "search",
        "list",
        "document",
        "wiki index",
        "wiki page",
        "wiki history",
        "wiki diff",
        "wiki revision",
        "wiki backlinks",
        "wiki changes",
        "wiki protected",
    ],
)
def test_a_visitor_gets_every_page_stored_after_one_query(
    client, world, name, django_assert_num_queries
):
    url, query, missed = pages(world)[name]
    with django_assert_num_queries(missed):
        first = client.get(url, query)
    assert first.status_code == 200
    # No form of the page carries a visitor's own token (it would never be stored).
    assert b"csrfmiddlewaretoken" not in first.content
    with django_assert_num_queries(1):
        second = client.get(url, query)
    assert second.content == first.content


def test_declared_parameters_make_their_own_page_others_are_not_stored(
    client, world, django_assert_num_queries
):
    url = reverse("knowledge:search")
    stored(client, url, {"q": "คัดแยกขยะ"}, assert_queries=django_assert_num_queries)
    # A parameter the page does not read: the view answers (no stamps read), nothing is stored.
    for _ in range(2):
        with django_assert_num_queries(5):
            html = client.get(url, {"q": "คัดแยกขยะ", "utm_source": "line"}).content.decode()
        assert "รายงานการจัดการขยะ" in html
    # Each declared parameter makes a page of its own (stamps, provinces, the two lists, and
    # when something matches the page and its snippets).
    with django_assert_num_queries(6):
        assert "บทความวิชาการ" in client.get(url, {"q": "ธรรมาภิบาล"}).content.decode()
    with django_assert_num_queries(4):
        html = client.get(url, {"q": "คัดแยกขยะ", "kind": "manual"}).content.decode()
    assert "รายงานการจัดการขยะ" not in html
    with django_assert_num_queries(6):
        html = client.get(url, {"q": "คัดแยกขยะ", "page": "2"}).content.decode()
    assert "รายงานการจัดการขยะ" in html  # the last page there is
    diff = wiki_url("wiki-diff", world.article)
    stored(client, diff, {"from": "1", "to": "2"}, assert_queries=django_assert_num_queries)
    with django_assert_num_queries(3):
        html = client.get(diff, {"from": "2", "to": "1"}).content.decode()
    assert "<del>ห้า</del><ins>สี่</ins>" in html


def test_an_edited_document_shows_on_the_next_visit(client, world, django_assert_num_queries):
    report = world.report
    page = reverse("knowledge:document", args=[report.pk])
    search = reverse("knowledge:search")
    assert "รายงานการจัดการขยะ" in stored(client, page, assert_queries=django_assert_num_queries)
    stored(client, search, {"q": "ถังหมัก"}, assert_queries=django_assert_num_queries)
    stored(client, reverse("knowledge:index"), assert_queries=django_assert_num_queries)
    services.document_update(
        document=report,
        user=world.editor,
        version=report.version,
        data={"title": "รายงานการหมักขยะ", "body": "ชุมชนใช้ถังหมักขยะ"},
    )
    assert "รายงานการหมักขยะ" in client.get(page).content.decode()
    assert "รายงานการหมักขยะ" in client.get(search, {"q": "ถังหมัก"}).content.decode()
    assert "รายงานการหมักขยะ" in client.get(reverse("knowledge:index")).content.decode()


def test_a_files_text_is_found_once_the_worker_has_read_it(
    client, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    report, search = world.report, reverse("knowledge:search")
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run yet
        attached = services.document_file_add(
            document=report,
            checked=check_upload(
                SimpleUploadedFile("บ่อบำบัด.docx", docx_bytes("การสร้างบึงประดิษฐ์บำบัดน้ำเสีย"))
            ),
        )
    html = stored(client, search, {"q": "บึงประดิษฐ์"}, assert_queries=django_assert_num_queries)
    assert "รายงานการจัดการขยะ" not in html
    page = reverse("knowledge:document", args=[report.pk])
    assert "บ่อบำบัด.docx" in stored(client, page, assert_queries=django_assert_num_queries)
    # The worker stores the text with `update()`: no signal, so the service moves the stamp.
    extract_file_text.call(file_id=attached.pk)
    html = client.get(search, {"q": "บึงประดิษฐ์"}).content.decode()
    assert "รายงานการจัดการขยะ" in html and "<mark>บึงประดิษฐ์</mark>" in html
    # An editor removes the file: it leaves the page and the results.
    services.document_file_delete(attached=attached, user=world.editor)
    assert "บ่อบำบัด.docx" not in client.get(page).content.decode()
    assert "รายงานการจัดการขยะ" not in client.get(search, {"q": "บึงประดิษฐ์"}).content.decode()


def test_a_published_good_practice_shows_on_the_next_visit(
    client, world, django_assert_num_queries
):
    proposal = services.good_practice_propose(
        user=world.officer,
        lao=world.lao,
        data={"title": "ธนาคารขยะชุมชน", "body": "รับซื้อขยะรีไซเคิล", "practice_result": "ขยะลดลง"},
    )
    practices = reverse("knowledge:search")
    html = stored(
        client, practices, {"kind": "good_practice"}, assert_queries=django_assert_num_queries
    )
    assert "ธนาคารขยะชุมชน" not in html
    page = reverse("knowledge:document", args=[proposal.pk])
    assert client.get(page).status_code == 404  # not stored
    services.good_practice_publish(document=proposal, user=world.editor, version=proposal.version)
    assert "ธนาคารขยะชุมชน" in client.get(practices, {"kind": "good_practice"}).content.decode()
    assert "ธนาคารขยะชุมชน" in client.get(page).content.decode()


def test_an_admin_save_shows_on_the_next_visit(client, world, django_assert_num_queries):
    page = reverse("knowledge:document", args=[world.report.pk])
    stored(client, page, assert_queries=django_assert_num_queries)
    document = Document.objects.get(pk=world.report.pk)
    document.source = "สำนักงานสถิติแห่งชาติ"
    document.save()  # what the admin does
    assert "สำนักงานสถิติแห่งชาติ" in client.get(page).content.decode()
    article = wiki_url("wiki-page", world.article)
    assert "wiki-protected-note" not in stored(
        client, article, assert_queries=django_assert_num_queries
    )
    page = WikiPage.objects.get(pk=world.article.pk)
    page.protected = True  # the one field the admin changes
    page.save()
    assert "wiki-protected-note" in client.get(article).content.decode()


def test_downloads_move_no_stamp(
    client, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """The counter of a stored page lags by the page's timeout: downloads are far more frequent
    than edits and would empty the cache of every document page."""
    with django_capture_on_commit_callbacks(execute=True):
        attached = services.document_file_add(
            document=world.report,
            checked=check_upload(SimpleUploadedFile("a.docx", docx_bytes("ข้อความ"))),
        )
    page = reverse("knowledge:document", args=[world.report.pk])
    html = stored(client, page, assert_queries=django_assert_num_queries)
    assert client.get(reverse("knowledge:document-file", args=[world.report.pk, attached.pk]))
    with django_assert_num_queries(1):
        assert client.get(page).content.decode() == html
    assert Document.objects.get(pk=world.report.pk).download_count == 1


def test_wiki_edits_reverts_protection_and_new_pages_show_on_the_next_visit(
    client, world, writer, django_capture_on_commit_callbacks, django_assert_num_queries
):
    article = world.article
    page, history = wiki_url("wiki-page", article), wiki_url("wiki-history", article)
    changes = reverse("knowledge:wiki-changes")
    assert "แผนพัฒนาห้าปี" in stored(client, page, assert_queries=django_assert_num_queries)
    stored(client, history, assert_queries=django_assert_num_queries)
    stored(client, changes, assert_queries=django_assert_num_queries)
    article = wiki.page_edit(
        page=article, user=writer, text="แผนพัฒนาหกปี", comment="ขยาย", base_revision=2
    )
    assert "แผนพัฒนาหกปี" in client.get(page).content.decode()
    assert "ขยาย" in client.get(history).content.decode()
    assert "ขยาย" in client.get(changes).content.decode()
    # Revert to the first revision.
    first = article.revisions.get(number=1)
    wiki.page_revert(page=article, user=writer, revision=first, base_revision=3)
    html = client.get(page).content.decode()
    assert "แผนพัฒนาสี่ปี" in html and "แผนพัฒนาหกปี" not in html
    # Protection.
    stored(client, reverse("knowledge:wiki-protected"), assert_queries=django_assert_num_queries)
    wiki.page_protect(page=article, user=world.editor, protected=True)
    assert "wiki-protected-note" in client.get(page).content.decode()
    assert TITLE in client.get(reverse("knowledge:wiki-protected")).content.decode()
    # A new page turns the links waiting for it into links; the worker renders them after the
    # page's own transaction, with `update()`, and moves the stamp itself.
    waiting = wiki.page_create(title="ผังเมือง", text="ดู [[ภาษีป้าย]]", user=writer)
    waiting_url = wiki_url("wiki-page", waiting)
    stored(client, waiting_url, assert_queries=django_assert_num_queries)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        wiki.page_create(title="ภาษีป้าย", text="อัตราภาษี", user=writer)
    link = reverse("knowledge:wiki-page", args=["ภาษีป้าย"])
    html = stored(client, waiting_url, assert_queries=django_assert_num_queries)
    assert link not in html  # still a missing link: the worker has not run
    for callback in callbacks:
        callback()
    assert link in client.get(waiting_url).content.decode()


def test_logged_in_users_still_get_their_buttons(client, world, writer, django_assert_num_queries):
    document = reverse("knowledge:document", args=[world.report.pk])
    article = wiki_url("wiki-page", world.article)
    index = reverse("knowledge:index")
    edit_document = reverse("knowledge:document-edit", args=[world.report.pk])
    protect = reverse("knowledge:wiki-protect", args=[world.article.slug])
    new_document = reverse("knowledge:document-new")
    assert edit_document not in stored(client, document, assert_queries=django_assert_num_queries)
    html = stored(client, article, assert_queries=django_assert_num_queries)
    assert "wiki-edit-link" not in html and protect not in html
    assert reverse("login") + "?next=" in html  # visitors are asked to log in to edit
    assert new_document not in stored(client, index, assert_queries=django_assert_num_queries)
    client.force_login(world.editor)
    assert edit_document in client.get(document).content.decode()
    html = client.get(article).content.decode()
    assert "wiki-edit-link" in html and protect in html
    assert new_document in client.get(index).content.decode()
    client.force_login(writer)
    html = client.get(article).content.decode()
    assert "wiki-edit-link" in html and protect not in html
