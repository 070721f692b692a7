"""Differences between two texts in Thai, shown with `<ins>` and `<del>`.

Thai writes vowels above and below and tone marks as combining characters after their consonant
(น + ้ + ำ). A character-level diff (diff-match-patch) splits a tone mark off its consonant and
shows a lone mark, which no reader can see. So a text is cut into grapheme clusters (a base
character with the combining marks after it), and the clusters, runs of Latin letters and digits,
and runs of spaces are diffed with `difflib.SequenceMatcher`. Thai has no spaces between words,
so small common pieces inside a changed word (one shared consonant) are then folded back into the
change, which leaves the changed words whole, the way diff-match-patch's semantic cleanup does.

Lines are matched first and only lines that changed are compared cluster by cluster, which keeps
a long page's diff fast; `diff_rows` shows the changes with a few lines of context around them.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Thai combining vowels and tone marks (MAI HAN-AKAT, SARA I … PHINTHU, MAITAIKHU … YAMAKKAN),
# and the general combining diacritics for Latin text.
COMBINING = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0300-\u036f"
CLUSTER = re.compile(rf"[^{COMBINING}][{COMBINING}]*|[{COMBINING}]+", re.DOTALL)
# Word-ish tokens: a run of spaces, a run of Latin letters or digits (with their marks), or one
# cluster of anything else (each Thai syllable piece, punctuation).
TOKEN = re.compile(
    rf"\s+|[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f{COMBINING}]*"
    rf"|[^{COMBINING}][{COMBINING}]*|[{COMBINING}]+",
    re.DOTALL,
)
# Past this many token pairs a changed stretch is shown as deleted and inserted whole: difflib
# is quadratic on texts that share little.
PAIR_LIMIT = 2_000_000
CONTEXT_LINES = 2


def clusters(text: str) -> list[str]:
    """The grapheme clusters of `text`: each base character with the combining marks after it
    (a mark with no base, at the start, is a cluster of its own)."""
    return CLUSTER.findall(text)


def tokens(text: str) -> list[str]:
    """The units of the inline diff (clusters, Latin words, runs of spaces); they join back into
    `text`."""
    return TOKEN.findall(text)


@dataclass(frozen=True)
class Segment:
    kind: str  # "equal", "delete" or "insert"
    text: str


def inline_segments(old: str, new: str) -> list[Segment]:
    """The changes from `old` to `new` as segments in reading order; a change is its deletion
    followed by its insertion, and no segment cuts a grapheme cluster."""
    a, b = tokens(old), tokens(new)
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    a_mid, b_mid = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    segments = [Segment("equal", "".join(a[:prefix]))]
    if len(a_mid) * len(b_mid) > PAIR_LIMIT:
        segments += [Segment("delete", "".join(a_mid)), Segment("insert", "".join(b_mid))]
    else:
        matcher = difflib.SequenceMatcher(None, a_mid, b_mid, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                segments.append(Segment("equal", "".join(a_mid[i1:i2])))
                continue
            segments.append(Segment("delete", "".join(a_mid[i1:i2])))
            segments.append(Segment("insert", "".join(b_mid[j1:j2])))
    segments.append(Segment("equal", "".join(a[len(a) - suffix :])))
    return _merge(_fold_small_equalities(_merge(segments)))


def _merge(segments: list[Segment]) -> list[Segment]:
    """Drop empty segments and join neighbours: within a run of changes, every deletion first,
    then every insertion."""
    merged: list[Segment] = []
    run: dict[str, str] = {"delete": "", "insert": ""}

    def flush():
        for kind in ("delete", "insert"):
            if run[kind]:
                merged.append(Segment(kind, run[kind]))
            run[kind] = ""

    for segment in segments:
        if not segment.text:
            continue
        if segment.kind == "equal":
            flush()
            if merged and merged[-1].kind == "equal":
                merged[-1] = Segment("equal", merged[-1].text + segment.text)
            else:
                merged.append(segment)
        else:
            run[segment.kind] += segment.text
    flush()
    return merged


def _fold_small_equalities(segments: list[Segment]) -> list[Segment]:
    """Fold an unchanged piece into the changes around it when it is no longer than the change
    on either side and holds no space: a consonant two different Thai words happen to share is
    not worth showing as unchanged, and the words stay whole."""
    changed = True
    while changed:
        changed = False
        for index in range(1, len(segments) - 1):
            equal = segments[index]
            if equal.kind != "equal" or any(ch.isspace() for ch in equal.text):
                continue
            before = _change_size(segments, index, -1)
            after = _change_size(segments, index, +1)
            size = len(clusters(equal.text))
            if before and after and size <= before and size <= after:
                segments = (
                    segments[:index]
                    + [Segment("delete", equal.text), Segment("insert", equal.text)]
                    + segments[index + 1 :]
                )
                segments = _reorder(segments)
                changed = True
                break
    return segments


def _change_size(segments: list[Segment], index: int, step: int) -> int:
    """The larger of the deletion and the insertion next to `segments[index]` on one side, in
    clusters."""
    sizes = {"delete": 0, "insert": 0}
    index += step
    while 0 <= index < len(segments) and segments[index].kind != "equal":
        sizes[segments[index].kind] += len(clusters(segments[index].text))
        index += step
    return max(sizes.values())


def _reorder(segments: list[Segment]) -> list[Segment]:
    """Within each run of changes keep reading order per kind: deleted text in old order,
    inserted text in new order."""
    return _merge(segments)


def inline_html(segments: list[Segment]) -> SafeString:
    """Segments as escaped HTML with `<del>` and `<ins>`."""
    tags = {"delete": "del", "insert": "ins"}
    parts = []
    for segment in segments:
        text = escape(segment.text)
        tag = tags.get(segment.kind)
        parts.append(f"<{tag}>{text}</{tag}>" if tag else text)
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text is escaped above)


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "context", "changed", "deleted", "inserted" or "gap"
    html: SafeString
    old_line: int | None = None
    new_line: int | None = None


def diff_rows(old: str, new: str, *, context: int = CONTEXT_LINES) -> list[DiffRow]:
    """The lines that changed from `old` to `new`, changed lines with inline `<ins>`/`<del>`,
    `context` unchanged lines around each change and a "gap" row for what is left out."""
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    rows: list[DiffRow] = []
    opcodes = matcher.get_opcodes()
    for position, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            rows += _context_rows(
                old_lines,
                i1,
                i2,
                j1,
                context,
                first=position == 0,
                last=position == len(opcodes) - 1,
            )
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for offset in range(pairs):
            segments = inline_segments(old_lines[i1 + offset], new_lines[j1 + offset])
            rows.append(DiffRow("changed", inline_html(segments), i1 + offset + 1, j1 + offset + 1))
        for i in range(i1 + pairs, i2):
            rows.append(DiffRow("deleted", inline_html([Segment("delete", old_lines[i])]), i + 1))
        for j in range(j1 + pairs, j2):
            rows.append(
                DiffRow("inserted", inline_html([Segment("insert", new_lines[j])]), None, j + 1)
            )
    return rows


def _context_rows(lines, i1, i2, j1, context, *, first, last) -> list[DiffRow]:
    numbered = [(i, j1 + (i - i1)) for i in range(i1, i2)]
    keep_head = [] if first else numbered[:context]
    keep_tail = [] if last else numbered[-context:] if context else []
    if len(numbered) <= len(keep_head) + len(keep_tail):
        kept, gap = numbered, False
    else:
        kept, gap = None, True
    rows = []
    if gap:
        rows += [_context_row(lines, i, j) for i, j in keep_head]
        rows.append(DiffRow("gap", mark_safe("")))
        rows += [_context_row(lines, i, j) for i, j in keep_tail]
    else:
        rows += [_context_row(lines, i, j) for i, j in kept]
    return rows


def _context_row(lines, i, j) -> DiffRow:
    return DiffRow("context", escape(lines[i]), i + 1, j + 1)
