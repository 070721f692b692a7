"""Thai diffs by grapheme clusters: no tone mark or vowel is ever cut from its consonant, and
the changed words show whole."""

import re

import pytest

from knowledge.diff import Segment, clusters, diff_rows, inline_html, inline_segments, tokens

THAI_MARK = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def changed_texts(html: str) -> tuple[list[str], list[str]]:
    return re.findall(r"<del>(.*?)</del>", html), re.findall(r"<ins>(.*?)</ins>", html)


def test_a_cluster_is_a_consonant_with_its_vowels_and_tone_marks():
    assert clusters("น้ำที่ดี") == ["น้", "ำ", "ที่", "ดี"]
    assert clusters("ก็") == ["ก็"]
    # A mark at the very start has no base: it stays one cluster, not dropped.
    assert clusters("\u0e49ก") == ["\u0e49", "ก"]
    assert "".join(tokens("ถนน road 12 ทาง")) == "ถนน road 12 ทาง"


@pytest.mark.parametrize(
    ("old", "new", "deleted", "inserted"),
    [
        ("ถนนคอนกรีตยาว", "ถนนลาดยางยาว", ["คอนกรีต"], ["ลาดยาง"]),
        ("โครงการก่อสร้างถนน", "โครงการซ่อมแซมถนน", ["ก่อสร้าง"], ["ซ่อมแซม"]),
        # Only the tone mark differs: the diff still shows the whole cluster.
        ("ไม่มีน้ำ", "ไม้มีน้ำ", ["ม่"], ["ม้"]),
        ("เทศบาลตำบลบางพลี", "เทศบาลเมืองบางพลี", ["ตำบล"], ["เมือง"]),
    ],
)
def test_the_diff_shows_the_changed_words_whole(old, new, deleted, inserted):
    html = inline_html(inline_segments(old, new))
    assert changed_texts(html) == (deleted, inserted)
    for piece in deleted + inserted:
        assert not THAI_MARK.match(piece), "a change starts with a lone mark"


def test_an_unrelated_rewrite_is_one_change_not_confetti():
    segments = inline_segments("การจัดเก็บภาษีป้าย", "งานบริการสาธารณสุข")
    kinds = [segment.kind for segment in segments]
    assert kinds == ["delete", "insert"]


def test_every_cluster_of_both_texts_survives_in_order():
    old = "องค์การบริหารส่วนตำบลจัดทำแผนพัฒนาท้องถิ่นสี่ปี"
    new = "องค์การบริหารส่วนจังหวัดทบทวนแผนพัฒนาท้องถิ่นห้าปี"
    segments = inline_segments(old, new)
    assert "".join(s.text for s in segments if s.kind != "insert") == old
    assert "".join(s.text for s in segments if s.kind != "delete") == new
    for segment in segments:
        assert clusters(segment.text)[0] == segment.text[: len(clusters(segment.text)[0])]
        assert not THAI_MARK.match(segment.text)


def test_html_in_the_texts_is_escaped():
    html = inline_html(inline_segments("<b>ก</b>", '<script>alert("x")</script>'))
    assert "<script>" not in html and "<b>" not in html
    assert "<ins>script&gt;alert(&quot;x&quot;)&lt;/script</ins>" in html
    assert inline_html([Segment("equal", "a & b")]) == "a &amp; b"


def test_lines_keep_context_and_leave_out_the_rest():
    old = "\n".join(f"บรรทัด {n}" for n in range(1, 21))
    new = old.replace("บรรทัด 10", "บรรทัดที่สิบ")
    rows = diff_rows(old, new)
    assert [row.kind for row in rows] == [
        "gap",
        "context",
        "context",
        "changed",
        "context",
        "context",
        "gap",
    ]
    changed = rows[3]
    assert changed.old_line == changed.new_line == 10
    assert changed_texts(changed.html) == ([" 10"], ["ที่สิบ"])


def test_added_and_removed_lines():
    rows = diff_rows("หนึ่ง\nสอง", "หนึ่ง\nสอง\nสาม")
    assert rows[-1].kind == "inserted" and rows[-1].html == "<ins>สาม</ins>"
    rows = diff_rows("หนึ่ง\nสอง", "สอง")
    assert rows[0].kind == "deleted" and rows[0].html == "<del>หนึ่ง</del>"
    assert diff_rows("เหมือน", "เหมือน") == [diff_rows("เหมือน", "เหมือน")[0]]


def test_a_long_page_diffs_fast():
    import time

    paragraph = "องค์กรปกครองส่วนท้องถิ่นจัดทำแผนพัฒนาและงบประมาณรายจ่ายประจำปี " * 40
    old = "\n\n".join(f"{n} {paragraph}" for n in range(30))
    new = old.replace("งบประมาณ", "เงินงบประมาณ", 7).replace("แผน", "แผนงาน", 3)
    started = time.perf_counter()
    rows = diff_rows(old, new)
    assert time.perf_counter() - started < 1.0
    assert any(row.kind == "changed" for row in rows)
