import re

from units.markdown import internal_link_titles, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD4=)",
    '<a href="https://example.org" style="color:red" id="main">x</a>',
    "![x](https://example.org/a.png)",
    '<iframe src="https://example.org"></iframe>',
]


def test_markdown_renders_thai_text_lists_and_tables():
    html = render_markdown("# หัวข้อ\n\n- หนึ่ง\n- **สอง**\n\n| ก | ข |\n|---|---|\n| 1 | 2 |\n")
    assert "<h1>หัวข้อ</h1>" in html
    assert "<strong>สอง</strong>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_nothing_of_script_or_html_survives():
    for text in HOSTILE:
        # Every tag left in the output, with its attributes: escaped text is harmless.
        for tag, attributes in re.findall(r"<(\w+)([^>]*)>", render_markdown(text).lower()):
            assert tag not in {"script", "iframe"}
            assert "onerror" not in attributes and "style=" not in attributes
            assert "id=" not in attributes
            assert "javascript:" not in attributes and "data:" not in attributes


def test_links_get_nofollow_and_images_become_links():
    html = render_markdown(
        "[กรม](https://www.dla.go.th) ![ภาพ](/knowledge/wiki/x/diff/?from=1&to=2) <img src=/a>"
    )
    assert 'href="https://www.dla.go.th"' in html
    assert 'rel="nofollow noopener noreferrer ugc"' in html
    # No reader's browser fetches a URL a writer chose: the image is a link to click, if any.
    assert "<img" not in html
    assert '<a href="/knowledge/wiki/x/diff/?from=1&amp;to=2"' in html and ">ภาพ</a>" in html


def test_internal_links_resolve_or_stay_marked_missing():
    pages = {"แผนพัฒนาท้องถิ่น": "/knowledge/wiki/plan/"}
    html = render_markdown(
        'ดู [[แผนพัฒนาท้องถิ่น]] และ [[หน้าที่ยังไม่มี|ป้าย]] <b>[[x"><script>]]</b>',
        resolve=pages.get,
    )
    assert 'class="internal" href="/knowledge/wiki/plan/"' in html
    assert ">แผนพัฒนาท้องถิ่น</a>" in html
    assert '<a class="missing"' in html and ">ป้าย</a>" in html
    assert "<script" not in html
    assert internal_link_titles("[[ก]] [[ข|label]] [[ก]]") == ["ก", "ข"]
