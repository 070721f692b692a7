"""Hostile files: a PDF that is not a PDF, a DOCX zip bomb, a huge file, names with path
separators and script; what passes is stored under a generated name and served as an
attachment with `nosniff`."""

import io
import json
import tempfile
import time
import zipfile
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge import extract_child, services
from knowledge.files import (
    EXTRACT_TIMEOUT_SECONDS,
    ExtractionFailed,
    check_upload,
    clean_file_name,
    discard,
    extract_text,
)
from knowledge.models import Document, DocumentFile, ExtractionError, ExtractionStatus
from knowledge.tests.factories import DocumentFactory

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
        # Bidi overrides and isolates would show "invoice\u202efdp.exe" as "invoiceexe.pdf".
        ("invoice\u202efdp.exe", "invoicefdp.pdf"),
        ("ราย\u200bงาน\u2066x\u2069\u200f.pdf", "รายงานx.pdf"),
        ("a\u2028b\u0085c\ufeff.pdf", "abc.pdf"),
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


@pytest.fixture
def upload_dir(settings, tmp_path, monkeypatch):
    """Where checked copies are written: Django's upload directory, which is also made the
    default temporary directory so that a copy written anywhere by default is seen."""
    directory = tmp_path / "uploads"
    directory.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(directory)
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


def copies(directory) -> list:
    return sorted(directory.glob("knowledge-*.upload"))


def pdfs(count: int) -> list:
    return [SimpleUploadedFile(f"{n}.pdf", minimal_pdf()) for n in range(count)]


def test_checked_copies_are_written_where_the_test_looks(upload_dir):
    checked = check_upload(pdfs(1)[0])
    assert copies(upload_dir) == [Path(checked.path)]
    discard([checked])
    assert copies(upload_dir) == []


def test_an_invalid_form_checks_no_file_and_leaves_no_copy(english_client, tree, upload_dir):
    english_client.force_login(tree.editor)
    response = english_client.post(
        reverse("knowledge:document-new"), {"kind": "research", "title": "", "files": pdfs(5)}
    )
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert copies(upload_dir) == []
    # A refused file also takes the copies of the files checked before it.
    response = english_client.post(
        reverse("knowledge:document-new"),
        {"kind": "research", "title": "x", "files": [*pdfs(2), SimpleUploadedFile("c.pdf", b"MZ")]},
    )
    assert response.status_code == 200 and not Document.objects.exists()
    assert copies(upload_dir) == []


def test_a_refused_edit_leaves_no_copy(english_client, tree, upload_dir):
    document = DocumentFactory(title="รายงาน", kind="report")
    english_client.force_login(tree.editor)
    response = english_client.post(
        reverse("knowledge:document-edit", args=[document.pk]),
        {"kind": "report", "title": "x", "version": document.version + 1, "files": pdfs(3)},
    )
    assert response.status_code == 200 and "Someone else changed" in response.content.decode()
    assert copies(upload_dir) == [] and not DocumentFile.objects.exists()


def test_copies_not_stored_when_storing_fails_are_removed(client, tree, upload_dir, monkeypatch):
    class BrokenStorage:
        def save(self, name, content):
            raise OSError("disk full")

    monkeypatch.setattr(services, "default_storage", BrokenStorage())
    client.force_login(tree.editor)
    with pytest.raises(OSError, match="disk full"):
        client.post(
            reverse("knowledge:document-new"),
            {"kind": "research", "title": "x", "files": pdfs(3)},
        )
    assert copies(upload_dir) == []


PROBE = """
import json, os, resource, sys
sys.path.insert(0, {folder!r})
import extract_child

def report(path, max_chars, max_cells):
    sys.stderr.write("noise " * 2_000_000)
    try:
        with open(path + ".written", "wb") as out:
            out.write(b"x")
        written = True
    except OSError:
        written = False
    return json.dumps({{
        "environ": dict(os.environ), "written": written,
        "cpu": resource.getrlimit(resource.RLIMIT_CPU),
        "fsize": resource.getrlimit(resource.RLIMIT_FSIZE),
    }})

def spin(path, max_chars, max_cells):
    while True:
        pass

extract_child.READERS.update(pdf=report, xlsx=spin)
if sys.argv[2] == "xlsx":
    sys.argv[6] = "1"
sys.exit(extract_child.main())
"""


@pytest.fixture
def probe(tmp_path, monkeypatch):
    """extract_child.main run with readers that report what the child got, or spin."""
    script = tmp_path / "probe.py"
    script.write_text(PROBE.format(folder=str(Path(extract_child.__file__).parent)))
    monkeypatch.setattr(extract_child, "__file__", str(script))
    return tmp_path / "a.pdf"


def test_the_child_gets_no_secrets_no_file_writes_and_a_cpu_ceiling(probe, monkeypatch):
    monkeypatch.setenv("PORTAL_SECRET_KEY", "do-not-leak")
    probe.write_bytes(minimal_pdf())
    seen = json.loads(extract_text(str(probe), "pdf"))
    assert "PORTAL_SECRET_KEY" not in seen["environ"]
    assert "DATABASE_URL" not in seen["environ"]
    assert set(seen["environ"]) <= {"PATH", "LANG", "LC_ALL", "LC_CTYPE"}
    assert seen["written"] is False and not Path(f"{probe}.written").stat().st_size
    assert seen["fsize"] == [0, 0]
    assert 0 < seen["cpu"][0] <= EXTRACT_TIMEOUT_SECONDS


def test_a_child_over_its_cpu_time_is_a_timeout(probe):
    probe.write_bytes(b"PK")
    started = time.monotonic()
    with pytest.raises(ExtractionFailed) as failed:
        extract_text(str(probe), "xlsx")  # the probe spins with one second of CPU time
    assert failed.value.reason == ExtractionError.TIMEOUT
    # Ended by its own CPU ceiling, not by the worker's wall-clock timeout.
    assert time.monotonic() - started < EXTRACT_TIMEOUT_SECONDS / 4
