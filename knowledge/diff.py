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
Anyone may ask for the diff of any two revisions of up to 200,000 characters, so the work of one
diff is bounded (`Budget`, counted in difflib's comparisons, and `ROW_LIMIT`): past it, changed
lines are shown whole, and a notice says so.
"""

import difflib
import re
from dataclasses import dataclass
from itertools import accumulate, repeat

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
# The work one diff may do, counted as the comparisons `SequenceMatcher` may make (an upper
# bound of its inner loop, see `_BudgetedMatcher`): a few tenths of a second of CPU. difflib is
# quadratic on texts that share little and near cubic on repeated words, and anyone may ask for
# the diff of any two revisions, so past the budget the rest is shown whole, not compared.
DIFF_BUDGET = 600_000
# Rows shown at most: a diff of two long pages that share nothing is not worth a huge page.
ROW_LIMIT = 2_000
CONTEXT_LINES = 2


class OverBudget(Exception):
    """The diff would take more work than its budget allows."""


class Budget:
    """The work left for one diff, shared by the line matching and every word-by-word
    comparison; `spent` is what was used."""

    def __init__(self, limit: int = DIFF_BUDGET):
        self.limit = limit
        self.spent = 0

    def spend(self, cost: int) -> None:
        if self.spent + cost > self.limit:
            self.spent = self.limit
            raise OverBudget
        self.spent += cost

    @property
    def exhausted(self) -> bool:
        return self.spent >= self.limit


class _BudgetedMatcher(difflib.SequenceMatcher):
    """A `SequenceMatcher` that charges each search for a longest match to a `Budget` before
    making it: one unit per position of `a`'s range and per position of `b` the search may visit
    (every occurrence in `b` of each element of that range), an upper bound of its inner loop,
    so the whole diff stays within the budget whatever the texts."""

    def __init__(self, a, b, *, budget: Budget, autojunk: bool):
        # Indexing `b` and summing `visits` are paid for before they are done.
        budget.spend(1 + len(a) + len(b))
        self.budget = budget
        super().__init__(None, a, b, autojunk=autojunk)
        # visits[i]: how many positions of `b` the search visits for a[:i] at most, summed once
        # so that charging a search costs nothing.
        occurrences = map(len, map(self.b2j.get, self.a, repeat((), len(self.a))))
        self.visits = [0, *accumulate(occurrences)]

    def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        bhi = len(self.b) if bhi is None else bhi
        self.budget.spend(1 + (ahi - alo) + self.visits[ahi] - self.visits[alo])
        return super().find_longest_match(alo, ahi, blo, bhi)


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


def inline_segments(old: str, new: str, *, budget: Budget | None = None) -> list[Segment]:
    """The changes from `old` to `new` as segments in reading order; a change is its deletion
    followed by its insertion, and no segment cuts a grapheme cluster. When comparing the
    changed middle would overrun `budget`, the middle is one deletion and one insertion."""
    return _inline_segments(old, new, budget or Budget())[0]


def _inline_segments(old: str, new: str, budget: Budget) -> tuple[list[Segment], bool]:
    """`inline_segments`, and whether the changed middle was compared (False: over budget)."""
    a, b = tokens(old), tokens(new)
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    a_mid, b_mid = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    segments = [Segment("equal", "".join(a[:prefix]))]
    compared = True
    try:
        if not (a_mid and b_mid):
            # A pure insertion or deletion: nothing to compare.
            opcodes = [("replace", 0, len(a_mid), 0, len(b_mid))]
        elif budget.exhausted:
            raise OverBudget
        else:
            opcodes = _BudgetedMatcher(a_mid, b_mid, budget=budget, autojunk=False).get_opcodes()
    except OverBudget:
        compared = False
        opcodes = [("replace", 0, len(a_mid), 0, len(b_mid))]
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            segments.append(Segment("equal", "".join(a_mid[i1:i2])))
            continue
        segments.append(Segment("delete", "".join(a_mid[i1:i2])))
        segments.append(Segment("insert", "".join(b_mid[j1:j2])))
    segments.append(Segment("equal", "".join(a[len(a) - suffix :])))
    return _merge(_fold_small_equalities(_merge(segments))), compared


def _merge(segments: list[Segment]) -> list[Segment]:
    """Drop empty segments and join neighbours: within a run of changes, every deletion first,
    then every insertion. Linear: texts are joined once, not grown piece by piece."""
    merged: list[Segment] = []
    equal: list[str] = []
    run: dict[str, list[str]] = {"delete": [], "insert": []}

    def flush_run():
        for kind in ("delete", "insert"):
            if run[kind]:
                merged.append(Segment(kind, "".join(run[kind])))
            run[kind] = []

    for segment in segments:
        if not segment.text:
            continue
        if segment.kind == "equal":
            flush_run()
            equal.append(segment.text)
        else:
            if equal:
                merged.append(Segment("equal", "".join(equal)))
                equal = []
            run[segment.kind].append(segment.text)
    flush_run()
    if equal:
        merged.append(Segment("equal", "".join(equal)))
    return merged


@dataclass
class _Change:
    deleted: list[str]
    inserted: list[str]
    deleted_size: int  # in clusters
    inserted_size: int

    @property
    def size(self) -> int:
        return max(self.deleted_size, self.inserted_size)


def _fold_small_equalities(segments: list[Segment]) -> list[Segment]:
    """Fold an unchanged piece into the changes around it when it is no longer than the change
    on either side and holds no space: a consonant two different Thai words happen to share is
    not worth showing as unchanged, and the words stay whole.

    One pass over merged segments with a stack: a fold only grows the change on top, so only the
    piece just below it can become foldable, and each piece is folded at most once."""
    stack: list = []  # _Change and Segment("equal") alternating
    for segment in segments:
        if segment.kind == "equal":
            stack.append(segment)
            continue
        size = len(clusters(segment.text))
        if stack and isinstance(stack[-1], _Change):
            change = stack[-1]
        else:
            change = _Change([], [], 0, 0)
            stack.append(change)
        if segment.kind == "delete":
            change.deleted.append(segment.text)
            change.deleted_size += size
        else:
            change.inserted.append(segment.text)
            change.inserted_size += size
        while len(stack) >= 3 and _foldable(stack[-3], stack[-2], stack[-1]):
            before, equal, after = stack[-3], stack[-2], stack.pop()
            stack.pop()
            equal_size = len(clusters(equal.text))
            before.deleted += [equal.text, *after.deleted]
            before.inserted += [equal.text, *after.inserted]
            before.deleted_size += equal_size + after.deleted_size
            before.inserted_size += equal_size + after.inserted_size
    folded = []
    for item in stack:
        if isinstance(item, _Change):
            folded.append(Segment("delete", "".join(item.deleted)))
            folded.append(Segment("insert", "".join(item.inserted)))
        else:
            folded.append(item)
    return folded


def _foldable(before, equal, after) -> bool:
    if not (isinstance(before, _Change) and isinstance(after, _Change)):
        return False
    if equal.kind != "equal" or any(ch.isspace() for ch in equal.text):
        return False
    size = len(clusters(equal.text))
    return size <= before.size and size <= after.size


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
    kind: str  # "context", "changed", "deleted", "inserted", "gap" or "notice"
    html: SafeString
    old_line: int | None = None
    new_line: int | None = None
    # Of a "notice": why part of the diff is shown whole or left out (NOTE_*), for the template
    # to say in the reader's language (rows are cached across languages).
    note: str = ""


# The changed lines were too many to match: they are shown whole, old then new.
NOTE_LINES = "lines"
# Some changed lines were too long to compare word by word: they are shown whole.
NOTE_WORDS = "words"
# The diff has more than ROW_LIMIT rows: the rest is left out.
NOTE_ROWS = "rows"


def diff_rows(
    old: str, new: str, *, context: int = CONTEXT_LINES, budget: Budget | None = None
) -> list[DiffRow]:
    """The lines that changed from `old` to `new`, changed lines with inline `<ins>`/`<del>`,
    `context` unchanged lines around each change and a "gap" row for what is left out.

    The whole diff stays within `budget` (DIFF_BUDGET by default) and ROW_LIMIT rows: past
    them, changed lines are shown whole or left out, and "notice" rows at the top say so."""
    budget = budget or Budget()
    notes: list[str] = []
    rows: list[DiffRow] = []
    for row in _rows(old or "", new or "", context, budget, notes):
        if len(rows) == ROW_LIMIT:
            notes.append(NOTE_ROWS)
            break
        rows.append(row)
    notices = [DiffRow("notice", mark_safe(""), note=note) for note in dict.fromkeys(notes)]
    return notices + rows


def _rows(old: str, new: str, context: int, budget: Budget, notes: list[str]):
    """The rows of `diff_rows`, made one by one so that no work is done past the last shown."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    opcodes = _line_opcodes(old_lines, new_lines, budget, notes)
    for position, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            yield from _context_rows(
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
            segments, compared = _inline_segments(
                old_lines[i1 + offset], new_lines[j1 + offset], budget
            )
            if not compared:
                notes.append(NOTE_WORDS)
            yield DiffRow("changed", inline_html(segments), i1 + offset + 1, j1 + offset + 1)
        for i in range(i1 + pairs, i2):
            yield DiffRow("deleted", inline_html([Segment("delete", old_lines[i])]), i + 1)
        for j in range(j1 + pairs, j2):
            yield DiffRow("inserted", inline_html([Segment("insert", new_lines[j])]), None, j + 1)


def _line_opcodes(old_lines, new_lines, budget: Budget, notes: list[str]) -> list[tuple]:
    """The line-level opcodes of the diff. Common first and last lines are set aside first
    (linear); the lines between are matched with difflib's junk heuristic (a line repeated all
    over the page, like a blank line, cannot anchor a match). Past the budget, the lines between
    are one "whole" change: deleted lines, then inserted ones."""
    size = min(len(old_lines), len(new_lines))
    prefix = 0
    while prefix < size and old_lines[prefix] == new_lines[prefix]:
        prefix += 1
    suffix = 0
    while suffix < size - prefix and old_lines[-1 - suffix] == new_lines[-1 - suffix]:
        suffix += 1
    old_end, new_end = len(old_lines) - suffix, len(new_lines) - suffix
    try:
        matcher = _BudgetedMatcher(
            old_lines[prefix:old_end], new_lines[prefix:new_end], budget=budget, autojunk=True
        )
        middle = [
            (tag, i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    except OverBudget:
        notes.append(NOTE_LINES)
        middle = [
            ("delete", prefix, old_end, prefix, prefix),
            ("insert", old_end, old_end, prefix, new_end),
        ]
    opcodes = []
    if prefix:
        opcodes.append(("equal", 0, prefix, 0, prefix))
    opcodes += [opcode for opcode in middle if opcode[0] != "equal" or opcode[1] < opcode[2]]
    if suffix:
        opcodes.append(("equal", old_end, len(old_lines), new_end, len(new_lines)))
    return _join_equal(opcodes)


def _join_equal(opcodes: list[tuple]) -> list[tuple]:
    """Adjacent equal opcodes as one (the common ends set aside and the matcher's own ends)."""
    joined: list[tuple] = []
    for opcode in opcodes:
        if joined and opcode[0] == "equal" and joined[-1][0] == "equal":
            _tag, i1, _i2, j1, _j2 = joined[-1]
            joined[-1] = ("equal", i1, opcode[2], j1, opcode[4])
        else:
            joined.append(opcode)
    return joined


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
