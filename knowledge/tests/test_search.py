"""Thai search: normalization, chunks, ranking and highlighted snippets."""

import pytest

from knowledge.search import (
    CHUNK_HARD_LIMIT,
    CHUNK_SIZE,
    chunk_text,
    highlight,
    normalize,
    normalize_query,
    search_page,
)
from knowledge.selectors import published_documents
from knowledge.tests.factories import DocumentFactory

SARA_AM = "\u0e33"
NIKHAHIT_AA = "\u0e4d\u0e32"


def test_normalize_joins_sara_am_and_drops_spaces_before_marks_and_nul():
    extracted = f"การจัดการน{NIKHAHIT_AA}เสีย ด {NIKHAHIT_AA}เนินการ ท ี่ดิน\x00"
    assert normalize(extracted) == f"การจัดการน{SARA_AM}เสีย ด{SARA_AM}เนินการ ที่ดิน"
    # NIKHAHIT, tone mark, SARA AA: the tone mark goes before SARA AM (น้ำ).
    assert normalize("น\u0e4d\u0e49\u0e32") == "น\u0e49\u0e33"
    assert normalize("น\u0e49\u0e4d\u0e32") == "น\u0e49\u0e33"
    assert normalize_query(f"  ด{NIKHAHIT_AA}เนิน\nการ ") == f"ด{SARA_AM}เนิน การ"


def test_chunks_are_cut_at_paragraph_ends():
    paragraphs = [f"ย่อหน้าที่{n} " + "ก" * 600 for n in range(10)]
    chunks = chunk_text("\n\n".join(paragraphs))
    assert len(chunks) > 1
    assert "\n\n".join(chunks) == "\n\n".join(paragraphs)  # nothing lost, nothing split
    assert all(len(chunk) <= CHUNK_SIZE + 700 for chunk in chunks)
    # One paragraph without blank lines longer than the hard limit is cut at spaces.
    long = " ".join(["ถนนคอนกรีต"] * 800)
    pieces = chunk_text(long)
    assert all(len(piece) <= CHUNK_HARD_LIMIT for piece in pieces)
    assert all("ถนนคอนกรีต" in piece for piece in pieces)


def test_highlight_escapes_then_marks():
    html = highlight("<script>x</script> การบำบัดน้ำเสีย <b>", "บำบัด")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>บำบัด</mark>" in html


@pytest.mark.django_db
def test_a_word_inside_a_thai_sentence_is_found(django_assert_num_queries):
    wanted = DocumentFactory(
        title="รายงานประจำปี",
        body="ในปีที่ผ่านมาชุมชนได้สร้างบึงประดิษฐ์เพื่อบำบัดน้ำเสียจากครัวเรือน",
    )
    DocumentFactory(title="รายงานอื่น", body="ชุมชนได้ซ่อมถนนคอนกรีต")
    with django_assert_num_queries(4):  # documents by text, by title, the page, snippets
        page = search_page(published_documents(), "บึงประดิษฐ์", number=1, size=20)
    assert [document.pk for document in page.results] == [wanted.pk]
    assert page.total == 1
    assert "<mark>บึงประดิษฐ์</mark>" in page.results[0].snippet


@pytest.mark.django_db
def test_a_title_match_outranks_body_matches():
    body_only = DocumentFactory(
        title="รายงานการประชุม", body="\n\n".join(["การคัดแยกขยะ " + "ก" * 1400] * 5)
    )
    in_title = DocumentFactory(title="การคัดแยกขยะในชุมชน", body="ไม่มีคำค้นในเนื้อหา")
    page = search_page(published_documents(), "คัดแยกขยะ", number=1, size=20)
    assert [document.pk for document in page.results] == [in_title.pk, body_only.pk]
    assert "<mark>คัดแยกขยะ</mark>" in page.results[0].title_html


@pytest.mark.django_db
def test_more_matching_chunks_rank_higher():
    once = DocumentFactory(title="ก", body="ประปาหมู่บ้าน " + "ข" * 10)
    often = DocumentFactory(title="ข", body="\n\n".join(["ประปาหมู่บ้าน " + "ค" * 1500] * 3))
    page = search_page(published_documents(), "ประปาหมู่บ้าน", number=1, size=20)
    assert [document.pk for document in page.results] == [often.pk, once.pk]


@pytest.mark.django_db
def test_a_query_typed_with_nikhahit_and_sara_aa_finds_sara_am():
    stored = DocumentFactory(title="คู่มือ", body=f"การด{SARA_AM}เนินงานของท้องถิ่น")
    page = search_page(published_documents(), f"ด{NIKHAHIT_AA}เนินงาน", number=1, size=20)
    assert [document.pk for document in page.results] == [stored.pk]
    # and text stored from an extractor (decomposed) is found by the composed query
    extracted = DocumentFactory(title="รายงาน", body=f"ระบบน{NIKHAHIT_AA}ประปา")
    assert extracted.chunks.get().text.endswith(f"ระบบน{SARA_AM}ประปา")
    page = search_page(published_documents(), f"น{SARA_AM}ประปา", number=1, size=20)
    assert [document.pk for document in page.results] == [extracted.pk]


@pytest.mark.django_db
def test_unpublished_documents_are_not_found(tree):
    from knowledge.tests.factories import good_practice

    good_practice(tree.lao, title="ธนาคารขยะ", status="submitted")
    assert search_page(published_documents(), "ธนาคารขยะ", number=1, size=20).total == 0


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["a", "ขย", "  น้  ", "a\x00b"])
def test_a_query_under_three_characters_is_refused_without_a_query(
    query, django_assert_num_queries
):
    DocumentFactory(title="abc ขยะ น้ำ", body="a b ขยะ")
    with django_assert_num_queries(0):  # `LIKE '%a%'` would read every chunk
        page = search_page(published_documents(), query, number=1, size=20)
    assert page.too_short and page.results == [] and page.total == 0


@pytest.mark.django_db
def test_three_characters_are_searched():
    wanted = DocumentFactory(title="รายงาน", body="ระบบน้ำประปา")
    page = search_page(published_documents(), "น้ำ", number=1, size=20)
    assert not page.too_short and [document.pk for document in page.results] == [wanted.pk]


@pytest.mark.django_db
def test_ties_go_to_the_newest():
    from datetime import timedelta

    from django.utils import timezone

    older = DocumentFactory(title="ก", body="ระบบประปา", published_at=timezone.now() - timedelta(1))
    newer = DocumentFactory(title="ข", body="ระบบประปา")
    page = search_page(published_documents(), "ประปา", number=1, size=20)
    assert [document.pk for document in page.results] == [newer.pk, older.pk]


@pytest.mark.django_db
def test_a_very_common_word_is_ranked_among_the_first_candidate_chunks(
    monkeypatch, django_assert_num_queries
):
    """Past RANK_CANDIDATES matching chunks the rank counts hits among those candidates only
    (the rest of the chunks are never read) and the count says "more than"; a title match
    still comes first and every page costs the same four queries."""
    from knowledge import search

    monkeypatch.setattr(search, "RANK_CANDIDATES", 4)
    paragraph = "การพัฒนาท้องถิ่น " + "ก" * 1500
    for n in range(3):
        DocumentFactory(title=f"เรื่อง {n}", body=paragraph)
    long = DocumentFactory(title="รายงาน", body="\n\n".join([paragraph] * 6))
    titled = DocumentFactory(title="ท้องถิ่นของเรา", body="ไม่มีคำค้น")
    with django_assert_num_queries(4):
        page = search_page(published_documents(), "ท้องถิ่น", number=1, size=20)
    assert page.more and page.results[0].pk == titled.pk
    # The documents of the first four chunks the index gives, and the title match.
    assert 2 <= page.total <= 5 and len(page.results) == page.total
    assert all("<mark>ท้องถิ่น</mark>" in document.snippet for document in page.results[1:])
    # Fewer matching chunks than the cap: every one is counted, the longest ranks first.
    monkeypatch.setattr(search, "RANK_CANDIDATES", 600)
    page = search_page(published_documents(), "ท้องถิ่น", number=1, size=20)
    assert not page.more and page.total == 5
    assert [document.pk for document in page.results[:2]] == [titled.pk, long.pk]
