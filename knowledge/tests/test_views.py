"""Document pages: search, a document's page, the editor's form, query counts and scope."""

import pytest
from django.urls import reverse

from knowledge.models import Document, DocumentStatus
from knowledge.tests.factories import DocumentFactory, good_practice

pytestmark = pytest.mark.django_db


def test_search_page_ranks_highlights_and_filters(client, tree, django_assert_num_queries):
    about = DocumentFactory(title="การจัดการขยะ", body="ชุมชนร่วมกันคัดแยกขยะ", topics=["environment"])
    about.laos.add(tree.lao)
    DocumentFactory(title="คู่มือการเงิน", body="การคัดแยกขยะเป็นส่วนหนึ่ง", kind="manual", year=2560)
    url = reverse("knowledge:search")
    # the page's stamps, provinces of the filter form, documents by text, by title, the page,
    # snippets
    with django_assert_num_queries(6):
        html = client.get(url, {"q": "คัดแยกขยะ"}).content.decode()
    assert html.count('class="document-item"') == 2
    assert "<mark>คัดแยกขยะ</mark>" in html
    html = client.get(url, {"q": "คัดแยกขยะ", "kind": "manual"}).content.decode()
    assert html.count('class="document-item"') == 1 and "คู่มือการเงิน" in html
    html = client.get(url, {"q": "คัดแยกขยะ", "lao": tree.lao.dla_code}).content.decode()
    assert html.count('class="document-item"') == 1 and "การจัดการขยะ" in html
    html = client.get(url, {"province": tree.other_province.code}).content.decode()
    assert 'class="document-item"' not in html
    html = client.get(url, {"topic": "environment", "year": "2567"}).content.decode()
    assert html.count('class="document-item"') == 1
    # junk is ignored, not an error
    assert client.get(url, {"q": "x" * 500, "page": "9" * 50, "year": "abc"}).status_code == 200


def test_a_too_short_query_says_so_and_searches_nothing(
    english_client, tree, django_assert_num_queries
):
    DocumentFactory(title="a report", body="a b c")
    with django_assert_num_queries(2):  # the page's stamps, provinces of the filter form
        response = english_client.get(reverse("knowledge:search"), {"q": " a "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Type at least three characters to search." in html
    assert 'class="document-item"' not in html and "No document matches." not in html


def test_script_in_a_title_and_query_is_escaped(client, tree):
    DocumentFactory(title='<script>alert("x")</script> ขยะ', body="<img src=x onerror=alert(1)>")
    html = client.get(reverse("knowledge:search"), {"q": "<script>"}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    html = client.get(reverse("knowledge:search"), {"q": "onerror"}).content.decode()
    assert "<img src=x" not in html


def test_document_page_cites_shares_and_relates(english_client, tree, django_assert_num_queries):
    document = DocumentFactory(
        title="การถ่ายโอนภารกิจ", authors="มาลี ศรีสุข", year=2567, topics=["transfer"]
    )
    related = DocumentFactory(title="ถ่ายโอนภารกิจด้านการศึกษา", topics=["transfer"])
    DocumentFactory(title="ไม่เกี่ยวข้อง", topics=["finance"])
    url = reverse("knowledge:document", args=[document.pk])
    # the page's stamps, document, files, LAOs it concerns, related documents
    with django_assert_num_queries(5):
        html = english_client.get(url).content.decode()
    assert (
        f"มาลี ศรีสุข. (2024). การถ่ายโอนภารกิจ. กรมส่งเสริมการปกครองท้องถิ่น. Retrieved from http://testserver{url}"
        in html
    )
    assert (
        f"มาลี ศรีสุข. (2567). การถ่ายโอนภารกิจ. กรมส่งเสริมการปกครองท้องถิ่น. สืบค้นจาก http://testserver{url}"
        in html
    )
    assert "social-plugins.line.me/lineit/share?url=http%3A%2F%2Ftestserver" in html
    assert related.title in html and "ไม่เกี่ยวข้อง" not in html


def test_landing_pages(client, tree, django_assert_num_queries):
    DocumentFactory(title="รายงานวิจัยท้องถิ่น")
    DocumentFactory(title="บทความวิชาการ", kind="academic")
    with django_assert_num_queries(2):  # the page's stamps, the documents
        html = client.get(reverse("knowledge:index")).content.decode()
    assert "รายงานวิจัยท้องถิ่น" in html and "บทความวิชาการ" not in html
    with django_assert_num_queries(2):
        html = client.get(reverse("knowledge:academic")).content.decode()
    assert "บทความวิชาการ" in html and "รายงานวิจัยท้องถิ่น" not in html


@pytest.mark.parametrize("who", ["anonymous", "citizen", "officer", "staff", "executive"])
def test_only_editors_publish_documents(client, tree, who):
    if who != "anonymous":
        client.force_login(getattr(tree, who))
    response = client.post(reverse("knowledge:document-new"), {"kind": "research", "title": "x"})
    assert response.status_code in (302, 404)
    if who != "anonymous":
        assert response.status_code == 404
    assert not Document.objects.exists()


def test_an_editor_publishes_a_document_with_normalized_text(client, tree):
    client.force_login(tree.editor)
    response = client.post(
        reverse("knowledge:document-new"),
        {
            "kind": "report", "title": "รายงานการด\u0e4d\u0e32เนินงาน",
            "body": "ระบบน\u0e4d\u0e32ประปา",
            "laos": tree.lao.dla_code, "tags": "น้ำ, ประปา", "topics": ["services"], "year": "2567",
        },
    )  # fmt: skip
    document = Document.objects.get()
    assert response["Location"] == document.get_absolute_url()
    assert document.title == "รายงานการดำเนินงาน" and document.body == "ระบบนำประปา"
    assert list(document.laos.all()) == [tree.lao] and document.tags == ["น้ำ", "ประปา"]
    response = client.post(
        reverse("knowledge:document-new"), {"kind": "good_practice", "title": "x"}
    )
    assert response.status_code == 200  # a good practice is proposed by its LAO, not published here


def test_an_unknown_lao_code_is_an_error(english_client, tree):
    english_client.force_login(tree.editor)
    response = english_client.post(
        reverse("knowledge:document-new"), {"kind": "report", "title": "x", "laos": "9999999"}
    )
    assert "No LAO has the code 9999999." in response.content.decode()


def test_a_proposal_is_hidden_from_the_public_and_other_laos(client, tree):
    proposal = good_practice(tree.lao, status=DocumentStatus.SUBMITTED, submitted_by=tree.officer)
    url = reverse("knowledge:document", args=[proposal.pk])
    assert client.get(url).status_code == 404
    client.force_login(tree.neighbour_officer)
    assert client.get(url).status_code == 404
    client.force_login(tree.officer)
    assert client.get(url).status_code == 200
    client.force_login(tree.editor)
    assert client.get(url).status_code == 200


def test_editing_with_a_malformed_or_missing_version_is_404(client, tree):
    document = DocumentFactory(title="รายงานเดิม")
    client.force_login(tree.editor)
    url = reverse("knowledge:document-edit", args=[document.pk])
    for version in ({"version": "x"}, {"version": ""}, {}):
        response = client.post(url, {"kind": "report", "title": "รายงานใหม่", **version})
        assert response.status_code == 404
    document.refresh_from_db()
    assert document.title == "รายงานเดิม"


def test_a_stale_edit_is_a_form_error_keeping_what_was_typed(
    english_client, tree, django_assert_num_queries
):
    document = DocumentFactory(title="รายงานเดิม", kind="report")
    english_client.force_login(tree.editor)
    url = reverse("knowledge:document-edit", args=[document.pk])
    # session, user, the document (with its LAOs), the LAOs of the form's initial value
    with django_assert_num_queries(4):
        assert english_client.get(url).status_code == 200
    stale = document.version
    Document.objects.filter(pk=document.pk).update(version=stale + 1)  # someone saved meanwhile
    response = english_client.post(
        url, {"kind": "report", "title": "รายงานที่แก้ไขแล้ว", "version": str(stale)}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this document after you opened it." in html
    assert 'value="รายงานที่แก้ไขแล้ว"' in html  # what was typed
    # The version the user saw is kept: saving again is refused again, not a silent overwrite.
    assert f'name="version" value="{stale}"' in html
    document.refresh_from_db()
    assert document.title == "รายงานเดิม" and document.version == stale + 1
