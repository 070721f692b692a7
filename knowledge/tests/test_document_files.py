"""Attached files after upload: XLSX text, why a file's text could not be read, what editors see
of it on the document page, reading it again, and removing a file (editors only)."""

import io
import logging
import zipfile

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge import files, services
from knowledge.files import ExtractionFailed, check_upload, extract_text
from knowledge.models import DocumentFile, ExtractionError, ExtractionStatus
from knowledge.tests.factories import DocumentFactory, good_practice
from knowledge.tests.test_files import docx_bytes, minimal_pdf

pytestmark = pytest.mark.django_db

FORBIDDEN = ["citizen", "officer", "staff", "executive", "neighbour_officer"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def xlsx_bytes(rows, *, title="งบประมาณ") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_dimension(data: bytes, ref: str) -> bytes:
    """The same workbook with its first sheet declaring another size (what a hostile or buggy
    producer writes)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                start = content.index(b'<dimension ref="') + len(b'<dimension ref="')
                end = content.index(b'"', start)
                content = content[:start] + ref.encode() + content[end:]
            archive.writestr(item, content)
    return out.getvalue()


def attach(document, name: str, content: bytes, capture, *, execute=True) -> DocumentFile:
    """Attach a file as the services do, the worker reading it when the transaction commits."""
    with capture(execute=execute):
        attached = services.document_file_add(
            document=document, checked=check_upload(SimpleUploadedFile(name, content))
        )
    attached.refresh_from_db()
    return attached


def test_xlsx_values_of_every_sheet_are_read_not_formulas(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "รายรับ"
    workbook.active.append(["ภาษีป้าย", 12500, "=SUM(B1:B1)"])
    workbook.create_sheet("รายจ่าย").append(["ค่าจ้างเหมาบริการ", None, "", 3.5])
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    text = extract_text(str(path), "xlsx")
    assert "รายรับ\nภาษีป้าย | 12500" in text
    assert "รายจ่าย\nค่าจ้างเหมาบริการ | 3.5" in text
    assert "SUM" not in text  # formulas are not text of the document; no value was cached


def test_xlsx_text_stops_at_the_character_cap(tmp_path, settings):
    settings.KNOWLEDGE_EXTRACT_MAX_CHARS = 50
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx_bytes([["ข้อมูลงบประมาณรายจ่ายประจำปี"]] * 100))
    assert len(extract_text(str(path), "xlsx")) == 50


def test_an_xlsx_declaring_a_huge_sheet_is_too_large(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(with_dimension(xlsx_bytes([["ก"]]), "A1:XFD1048576"))
    with pytest.raises(ExtractionFailed) as failed:
        extract_text(str(path), "xlsx")
    assert failed.value.reason == ExtractionError.TOO_LARGE


def test_an_xlsx_walking_past_the_cell_limit_is_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "EXTRACT_MAX_CELLS", 50)
    path = tmp_path / "a.xlsx"
    # It declares one cell but stores 100 rows of 3: the cells walked are counted, not declared.
    path.write_bytes(with_dimension(xlsx_bytes([["ก", "ข", "ค"]] * 100), "A1"))
    with pytest.raises(ExtractionFailed) as failed:
        extract_text(str(path), "xlsx")
    assert failed.value.reason == ExtractionError.TOO_LARGE


def test_failures_say_why(tmp_path, settings):
    damaged = tmp_path / "broken.pdf"
    damaged.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    with pytest.raises(ExtractionFailed) as failed:
        extract_text(str(damaged), "pdf")
    assert failed.value.reason == ExtractionError.DAMAGED
    settings.KNOWLEDGE_EXTRACT_MEMORY_MB = 20
    path = tmp_path / "a.pdf"
    path.write_bytes(minimal_pdf())
    with pytest.raises(ExtractionFailed) as failed:
        extract_text(str(path), "pdf")
    assert failed.value.reason == ExtractionError.MEMORY


def test_an_uploaded_xlsx_is_searchable(client, tree, django_capture_on_commit_callbacks):
    document = DocumentFactory(title="สถิติการคลังท้องถิ่น")
    attached = attach(
        document,
        "สถิติ.xlsx",
        xlsx_bytes([["รายได้จากค่าธรรมเนียมใบอนุญาตขุดดิน", 4200]]),
        django_capture_on_commit_callbacks,
    )
    assert attached.extraction == ExtractionStatus.DONE and attached.extraction_error == ""
    html = client.get(reverse("knowledge:search"), {"q": "ใบอนุญาตขุดดิน"}).content.decode()
    assert "<mark>ใบอนุญาตขุดดิน</mark>" in html


def test_a_missing_stored_file_fails_as_missing(tree, django_capture_on_commit_callbacks):
    document = DocumentFactory()
    attached = attach(
        document, "a.docx", docx_bytes("ข้อความ"), django_capture_on_commit_callbacks, execute=False
    )
    default_storage.delete(attached.file.name)
    from knowledge.tasks import extract_file_text

    assert extract_file_text.call(file_id=attached.pk) == ExtractionStatus.FAILED
    attached.refresh_from_db()
    assert attached.extraction_error == ExtractionError.MISSING


def _page(client, document):
    return client.get(reverse("knowledge:document", args=[document.pk])).content.decode()


def test_editors_see_each_file_s_extraction_status(
    english_client, tree, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    document = DocumentFactory()
    attach(document, "read.docx", docx_bytes("ระบบประปา" * 10), django_capture_on_commit_callbacks)
    attach(document, "photo.png", PNG, django_capture_on_commit_callbacks)
    attach(
        document, "waiting.docx", docx_bytes("x"), django_capture_on_commit_callbacks, execute=False
    )
    attach(document, "empty.pdf", minimal_pdf(""), django_capture_on_commit_callbacks)
    broken = b"%PDF-1.7\n" + b"\x00garbage" * 100
    attach(document, "broken.pdf", broken, django_capture_on_commit_callbacks)
    english_client.force_login(tree.editor)
    # session, user, document, files (with the length of their text, not the text), LAOs, related
    with django_assert_num_queries(6):
        html = _page(english_client, document)
    assert "Searchable: 90 characters of text" in html
    assert "Not searchable: images have no text" in html
    assert "Waiting for its text to be read" in html
    assert "Not searchable: no text was found in it (a scanned image?)" in html
    assert (
        "Not searchable: the text could not be read, the file is damaged or cannot be read" in html
    )
    assert html.count('class="button button-small button-secondary file-retry"') == 1
    assert html.count('class="button button-small button-secondary file-delete"') == 5


@pytest.mark.parametrize("who", ["anonymous", *FORBIDDEN])
def test_others_see_neither_statuses_nor_file_steps(
    english_client, tree, who, django_capture_on_commit_callbacks, django_assert_num_queries
):
    document = DocumentFactory()
    broken = b"%PDF-1.7\n" + b"\x00garbage" * 100
    attach(document, "broken.pdf", broken, django_capture_on_commit_callbacks)
    if who != "anonymous":
        english_client.force_login(getattr(tree, who))
    # (the page's stamps for a visitor | session, user), document, files, LAOs, related
    with django_assert_num_queries(5 if who == "anonymous" else 6):
        html = _page(english_client, document)
    assert "broken.pdf" in html
    assert "file-extraction" not in html and "file-retry" not in html and "file-delete" not in html


def test_an_editor_has_a_failed_file_read_again(
    client, tree, settings, django_capture_on_commit_callbacks
):
    document = DocumentFactory()
    settings.KNOWLEDGE_EXTRACT_MEMORY_MB = 20  # the worker's ceiling was too low
    attached = attach(
        document, "a.docx", docx_bytes("ศูนย์พัฒนาเด็กเล็ก"), django_capture_on_commit_callbacks
    )
    assert (attached.extraction, attached.extraction_error) == ("failed", ExtractionError.MEMORY)
    settings.KNOWLEDGE_EXTRACT_MEMORY_MB = 768
    client.force_login(tree.editor)
    url = reverse("knowledge:document-file-retry", args=[document.pk, attached.pk])
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url)
    assert response["Location"] == document.get_absolute_url()
    attached.refresh_from_db()
    assert (attached.extraction, attached.extraction_error) == ("pending", "")
    for callback in callbacks:
        callback()
    attached.refresh_from_db()
    assert attached.extraction == ExtractionStatus.DONE
    assert document.chunks.filter(text__contains="ศูนย์พัฒนาเด็กเล็ก").exists()
    # A file that was read is not read again.
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(url)
    assert callbacks == []


@pytest.mark.parametrize("who", ["anonymous", *FORBIDDEN])
def test_only_editors_have_a_file_read_again(
    client, tree, who, settings, django_capture_on_commit_callbacks
):
    document = good_practice(tree.lao)
    attached = attach(
        document, "a.pdf", b"%PDF-1.7\n" + b"\x00" * 100, django_capture_on_commit_callbacks
    )
    assert attached.extraction == ExtractionStatus.FAILED
    if who != "anonymous":
        client.force_login(getattr(tree, who))
    url = reverse("knowledge:document-file-retry", args=[document.pk, attached.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url)
    assert response.status_code == (302 if who == "anonymous" else 404)
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    assert callbacks == []
    attached.refresh_from_db()
    assert attached.extraction == ExtractionStatus.FAILED


def test_an_editor_removes_a_file_after_confirming(
    english_client, tree, django_capture_on_commit_callbacks, caplog
):
    document = DocumentFactory(abstract="", body="")
    kept = attach(
        document, "kept.docx", docx_bytes("ถนนลาดยาง"), django_capture_on_commit_callbacks
    )
    gone = attach(
        document, "gone.docx", docx_bytes("บ่อบำบัดน้ำเสีย"), django_capture_on_commit_callbacks
    )
    stored = gone.file.name
    assert document.chunks.filter(text__contains="บ่อบำบัดน้ำเสีย").exists()
    english_client.force_login(tree.editor)
    url = reverse("knowledge:document-file-delete", args=[document.pk, gone.pk])

    for response in (english_client.get(url), english_client.post(url)):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Remove the file from the document?" in html and "gone.docx" in html
        assert DocumentFile.objects.filter(pk=gone.pk).exists()

    with caplog.at_level(logging.INFO, logger="knowledge.services"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = english_client.post(url, {"confirm": "yes"})
        assert response["Location"] == document.get_absolute_url()
        assert not DocumentFile.objects.filter(pk=gone.pk).exists()
        assert default_storage.exists(stored)  # kept until the removal commits
        for callback in callbacks:
            callback()
    assert not default_storage.exists(stored)
    assert default_storage.exists(kept.file.name)
    assert not document.chunks.filter(text__contains="บ่อบำบัดน้ำเสีย").exists()
    assert document.chunks.filter(text__contains="ถนนลาดยาง").exists()
    assert f"User {tree.editor.pk} removed file {gone.pk} (gone.docx" in caplog.text
    assert (
        "The file is removed." in english_client.get(document.get_absolute_url()).content.decode()
    )
    # Removing it again: the file is gone.
    assert english_client.post(url, {"confirm": "yes"}).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", *FORBIDDEN])
def test_only_editors_remove_files(client, tree, who, django_capture_on_commit_callbacks):
    # A good practice the officer of tree.lao proposed: even its proposer may not remove files.
    document = good_practice(tree.lao, status="submitted", submitted_by=tree.officer)
    attached = attach(document, "a.docx", docx_bytes("ข้อความ"), django_capture_on_commit_callbacks)
    if who != "anonymous":
        client.force_login(getattr(tree, who))
    url = reverse("knowledge:document-file-delete", args=[document.pk, attached.pk])
    for response in (client.get(url), client.post(url), client.post(url, {"confirm": "yes"})):
        assert response.status_code == (302 if who == "anonymous" else 404)
    assert DocumentFile.objects.filter(pk=attached.pk).exists()
    assert default_storage.exists(attached.file.name)


def test_a_file_is_removed_only_under_its_own_document(
    client, tree, django_capture_on_commit_callbacks
):
    document, other = DocumentFactory(), DocumentFactory()
    attached = attach(document, "a.docx", docx_bytes("ข้อความ"), django_capture_on_commit_callbacks)
    client.force_login(tree.editor)
    url = reverse("knowledge:document-file-delete", args=[other.pk, attached.pk])
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    assert DocumentFile.objects.filter(pk=attached.pk).exists()


# The smallest PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
