"""Hostile files: a PDF that is not a PDF, a DOCX zip bomb, a huge file, names with path
separators and script; what passes is stored under a generated name and served as an
attachment with `nosniff`."""

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge.files import ExtractionFailed, check_upload, clean_file_name, extract_text
from knowledge.models import Document, DocumentFile, ExtractionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def docx_bytes(*paragraphs, table=None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def minimal_pdf(text: str = "Hello") -> bytes:
    """A one-page PDF with Latin text (real Thai PDFs come from Chromium in the browser test)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    })  # fmt: skip
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode())
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_that_is_not_a_pdf_is_refused():
    fake = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(Exception) as refused:
        check_upload(fake)
    assert refused.value.code == "file_type"


def test_a_docx_zip_bomb_is_refused_before_anything_opens_it(settings):
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(docx_bytes("ทดสอบ")))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item.filename, source.read(item.filename))
        archive.writestr("word/media/padding.bin", b"\0" * (50 * 1024 * 1024))
    bomb = out.getvalue()
    assert len(bomb) < 200_000  # tiny on the wire
    with pytest.raises(Exception) as refused:
        check_upload(SimpleUploadedFile("bomb.docx", bomb))
    assert refused.value.code == "zip_bomb"


def test_a_huge_file_is_refused(settings):
    settings.KNOWLEDGE_FILE_MAX_BYTES = 1000
    with pytest.raises(Exception) as refused:
        check_upload(SimpleUploadedFile("big.pdf", minimal_pdf() + b"%" * 2000))
    assert refused.value.code == "too_large"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\ระบบ.pdf", "ระบบ.pdf"),
        ("รายงาน.exe", "รายงาน.pdf"),  # the extension of what the content is
        ("", "document.pdf"),
        ("a\r\nb.pdf", "ab.pdf"),
    ],
)
def test_file_names_lose_folders_and_control_characters(name, expected):
    assert clean_file_name(name, "pdf") == expected


def test_script_in_a_file_name_is_inert():
    cleaned = clean_file_name('<img src=x onerror="alert(1)">.pdf', "pdf")
    assert "<" not in cleaned and ">" not in cleaned and '"' not in cleaned


def test_docx_text_with_tables_is_extracted(tmp_path):
    path = tmp_path / "a.docx"
    path.write_bytes(docx_bytes("การบำบัดน้ำเสีย", table=[["งบประมาณ", "ผลลัพธ์"]]))
    text = extract_text(str(path), "docx")
    assert "การบำบัดน้ำเสีย" in text and "งบประมาณ | ผลลัพธ์" in text


def test_a_damaged_pdf_fails_in_the_child_not_here(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    with pytest.raises(ExtractionFailed):
        extract_text(str(path), "pdf")


def test_the_memory_ceiling_ends_the_child(tmp_path, settings):
    settings.KNOWLEDGE_EXTRACT_MEMORY_MB = 20  # below what the interpreter and pypdf need
    path = tmp_path / "a.pdf"
    path.write_bytes(minimal_pdf())
    with pytest.raises(ExtractionFailed):
        extract_text(str(path), "pdf")


def test_an_editor_uploads_a_file_it_is_read_stored_and_served_safely(
    client, tree, media, django_capture_on_commit_callbacks
):
    client.force_login(tree.editor)
    upload = SimpleUploadedFile("../รายงาน<script>.docx", docx_bytes("ระบบประปาหมู่บ้าน"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("knowledge:document-new"),
            {"kind": "research", "title": "รายงานการวิจัย", "files": [upload]},
        )
    assert response.status_code == 302
    attached = DocumentFile.objects.get()
    assert attached.extraction == ExtractionStatus.DONE
    assert attached.original_name == "รายงานscript.docx"
    assert attached.file.name.startswith("knowledge/") and "รายงาน" not in attached.file.name
    document = Document.objects.get()
    assert document.chunks.filter(text__contains="ประปาหมู่บ้าน").exists()

    client.logout()
    url = reverse("knowledge:document-file", args=[document.pk, attached.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    b"".join(response.streaming_content)
    document.refresh_from_db()
    assert document.download_count == 1
    # A file of another document is 404 under this one.
    assert (
        client.get(
            reverse("knowledge:document-file", args=[document.pk + 1, attached.pk])
        ).status_code
        == 404
    )


def test_a_refused_file_shows_the_reason_and_nothing_is_stored(english_client, tree, media):
    english_client.force_login(tree.editor)
    response = english_client.post(
        reverse("knowledge:document-new"),
        {
            "kind": "research",
            "title": "x",
            "files": [SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")],
        },
    )
    assert response.status_code == 200
    assert (
        "Only PDF, Word (DOCX), Excel (XLSX) and image files are accepted"
        in response.content.decode()
    )
    assert not Document.objects.exists() and not DocumentFile.objects.exists()
