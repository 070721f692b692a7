"""Knowledge journeys: an editor uploads a Thai research report (a real PDF printed by Chromium),
a citizen finds it by a word from inside its body and downloads it; an officer proposes a good
practice, an editor publishes it, and the profile of a similar LAO suggests it."""

import base64
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from knowledge.models import Document, DocumentFile, ExtractionStatus
from units.demo import DEMO_PASSWORD
from units.models import Role
from units.tests.factories import ProvinceFactory, UserFactory, lao_in

pytestmark = pytest.mark.django_db(transaction=True)

FONT = Path(__file__).resolve().parents[2] / "static/vendor/sarabun/sarabun-thai-400-normal.woff2"
# A word of the report's body only (not in its title): found through the PDF's extracted text.
BODY_WORD = "บึงประดิษฐ์"


def thai_pdf(page: Page) -> bytes:
    """A one-page Thai research report, printed to PDF by Chromium with the Sarabun font."""
    font = base64.b64encode(FONT.read_bytes()).decode()
    page.set_content(
        '<html lang="th"><head><meta charset="utf-8"><style>'
        f"@font-face{{font-family:S;src:url(data:font/woff2;base64,{font}) format('woff2')}}"
        "body{font-family:S;font-size:16pt}</style></head><body>"
        "<h1>รายงานการวิจัย การจัดการน้ำเสียชุมชน</h1>"
        f"<p>องค์การบริหารส่วนตำบลได้ดำเนินการบำบัดน้ำเสียด้วย{BODY_WORD}ร่วมกับชาวบ้าน</p>"
        "</body></html>"
    )
    page.evaluate("document.fonts.ready")
    return page.pdf()


def log_in(page: Page, live_server, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{next_url}")


def test_an_uploaded_thai_report_is_found_by_a_word_of_its_body_and_downloaded(
    live_server, page: Page, settings, tmp_path, artefacts
):
    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(username="editor", role=Role.EDITOR, is_staff=True)
    pdf = tmp_path / "รายงานการวิจัย.pdf"
    pdf.write_bytes(thai_pdf(page))

    log_in(page, live_server, "editor", "/knowledge/documents/new/")
    page.locator("#id_kind").select_option("research")
    page.locator("#id_title").fill("รายงานการวิจัยการจัดการน้ำเสีย")
    page.locator("#id_authors").fill("มาลี ศรีสุข")
    page.locator("#id_year").fill("2568")
    page.locator("#id_files").set_input_files(str(pdf))
    page.locator("main form.document-form button[type=submit]").click()
    document = Document.objects.get()
    expect(page).to_have_url(f"{live_server.url}/knowledge/documents/{document.pk}/")
    assert DocumentFile.objects.get().extraction == ExtractionStatus.DONE

    # A citizen (not logged in) searches a word that is only inside the PDF.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/knowledge/")
    page.locator("#id_q").fill(BODY_WORD)
    page.locator("form.document-search button[type=submit]").click()
    result = page.locator(".document-item")
    expect(result).to_have_count(1)
    expect(result.locator("mark").first).to_have_text(BODY_WORD)
    page.screenshot(path=str(artefacts / "knowledge-search.png"), full_page=True)
    result.locator("a.document-title").click()
    expect(page.locator("h1")).to_have_text("รายงานการวิจัยการจัดการน้ำเสีย")
    with page.expect_download() as download_info:
        page.locator(".document-files a").click()
    download = download_info.value
    assert download.suggested_filename == "รายงานการวิจัย.pdf"
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
    # Counted at once; the page a visitor reloads is the stored one, whose counter lags by the
    # page cache's timeout (downloads move no stamp: they would empty it all day).
    assert Document.objects.get().download_count == 1
    page.reload()
    expect(page.locator(".download-count")).to_have_text("0")


def test_an_editor_sees_what_was_read_of_each_file_and_removes_one(
    live_server, page: Page, settings, tmp_path, artefacts
):
    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(username="editor", role=Role.EDITOR, is_staff=True)
    pdf = tmp_path / "รายงาน.pdf"
    pdf.write_bytes(thai_pdf(page))
    image = tmp_path / "ภาพ.png"
    page.set_content("<p>x</p>")
    image.write_bytes(page.screenshot())

    log_in(page, live_server, "editor", "/knowledge/documents/new/")
    page.locator("#id_kind").select_option("report")
    page.locator("#id_title").fill("รายงานผลการดำเนินงาน")
    page.locator("#id_files").set_input_files([str(pdf), str(image)])
    page.locator("main form.document-form button[type=submit]").click()
    files = page.locator(".document-files li")
    expect(files).to_have_count(2)
    # The PDF was read by the worker (its text is counted); the image has no text.
    expect(files.nth(0)).to_have_attribute("data-extraction", "done")
    expect(files.nth(0).locator(".file-extraction")).to_contain_text(
        str(len(DocumentFile.objects.get(file_type="pdf").extracted_text))
    )
    expect(files.nth(1)).to_have_attribute("data-extraction", "none")
    page.screenshot(path=str(artefacts / "knowledge-file-status.png"), full_page=True)

    files.nth(1).locator("button.file-delete").click()
    expect(page.locator(".step-subject")).to_contain_text("ภาพ.png")
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".document-files li")).to_have_count(1)
    expect(page.locator(".document-files")).not_to_contain_text("ภาพ.png")
    assert list(DocumentFile.objects.values_list("file_type", flat=True)) == ["pdf"]
    assert [p.suffix for p in (tmp_path / "media").rglob("*.*")] == [".pdf"]


def test_a_good_practice_goes_from_the_officer_to_a_similar_lao_s_profile(
    live_server, page: Page, artefacts
):
    province = ProvinceFactory(code="42")
    lao = lao_in(province, dla_code="6420001", population=8_000)
    similar = lao_in(province, dla_code="6420002", population=9_000)
    UserFactory(username="officer42", role=Role.OFFICER, lao=lao)
    UserFactory(username="editor", role=Role.EDITOR, is_staff=True)

    log_in(page, live_server, "officer42", "/knowledge/good-practices/new/")
    page.locator("#id_title").fill("ธนาคารขยะรีไซเคิลในโรงเรียน")
    page.locator("#id_body").fill("ตั้งธนาคารขยะในโรงเรียนทุกแห่ง นักเรียนนำขยะมาฝากทุกสัปดาห์")
    page.locator("#id_practice_result").fill("ขยะในชุมชนลดลงร้อยละ 30")
    page.locator("#id_practice_cost").fill("25000")
    page.locator("#id_practice_contact").fill("กองสาธารณสุข โทร 0 2000 0000")
    page.locator("main form.document-form button[type=submit]").click()
    expect(page.locator(".document-status")).to_be_visible()

    log_in(page, live_server, "editor", "/knowledge/good-practices/")
    page.locator("table.good-practice-table a", has_text="ธนาคารขยะรีไซเคิล").click()
    page.locator("button.good-practice-publish").click()
    page.locator("button.step-confirm-button").click()
    expect(page.locator(".document-status")).to_have_count(0)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}{similar.get_absolute_url()}")
    suggested = page.locator(".suggested-practices")
    expect(suggested).to_contain_text("ธนาคารขยะรีไซเคิลในโรงเรียน")
    page.screenshot(path=str(artefacts / "knowledge-similar-profile.png"), full_page=True)
