"""Thai full-text search over documents: normalization, chunking, ranking and snippets.

Thai has no spaces between words, so a query is looked for as a substring through pg_trgm
(`__contains`, which the trigram indexes serve; `icontains` would not, STACK.md). Titles are short
and carry their own index; the rest of a document's text is searched in ~1,500-character chunks
cut at paragraph ends (`chunk_text`), because a trigram index over whole long bodies finds nearly
every common trigram in every body and degrades to a scan.

Rank: a title match first, then ln(1 + matching chunks), then the newest. Snippets are cut and
highlighted here: `ts_headline` highlights nothing in Thai. The text is escaped first, then the
matches are wrapped in `<mark>`.

Text from PDF extractors spells SARA AM (ำ, U+0E33) as NIKHAHIT + SARA AA (U+0E4D U+0E32) and
sometimes puts spaces before combining marks; people type either form too. `normalize` is applied
to everything stored and to every query (NFKC does not help: it splits ำ).
"""

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The shortest query worth running: below three characters pg_trgm has no trigram to look up,
# so `LIKE '%a%'` would read every chunk.
MIN_QUERY_LENGTH = 3
QUERY_MAX_LENGTH = 100
CHUNK_SIZE = 1500
# A paragraph longer than this is cut at a space (or anywhere, for Thai without one).
CHUNK_HARD_LIMIT = 2 * CHUNK_SIZE
SNIPPET_RADIUS = 110
# Counting every match of a very common word costs a scan of most chunks: stop at this many.
COUNT_CAP = 1000
# For a very common word only the documents of this many matching chunks are ranked.
RANK_CANDIDATES = 600

_COMBINING = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_SPACE_BEFORE_MARK = re.compile(rf"[ \u00a0\u200b]+(?=[{_COMBINING}])")
# NIKHAHIT, a tone mark, then SARA AA: the tone mark belongs before SARA AM.
_NIKHAHIT_TONE_AA = re.compile("\u0e4d([\u0e48-\u0e4b])\u0e32")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def normalize(text: str) -> str:
    """Text as it is stored and searched: NFC, no control characters (PostgreSQL refuses NUL,
    which PDF extractors emit for ligatures), no space before a Thai combining mark, SARA AM as
    one character, runs of spaces as one, paragraphs separated by one blank line."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _SPACE_BEFORE_MARK.sub("", text)
    text = _NIKHAHIT_TONE_AA.sub("\\1\u0e33", text).replace("\u0e4d\u0e32", "\u0e33")
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


def normalize_query(query: str) -> str:
    """A query as it is matched: normalized, on one line, at most QUERY_MAX_LENGTH characters."""
    return normalize(query).replace("\n", " ")[:QUERY_MAX_LENGTH].strip()


def _cut(paragraph: str) -> list[str]:
    """A paragraph longer than CHUNK_HARD_LIMIT in pieces of about CHUNK_SIZE, at spaces."""
    pieces = []
    while len(paragraph) > CHUNK_HARD_LIMIT:
        at = paragraph.rfind(" ", CHUNK_SIZE // 2, CHUNK_SIZE + CHUNK_SIZE // 2)
        at = at if at > 0 else CHUNK_SIZE
        pieces.append(paragraph[:at].strip())
        paragraph = paragraph[at:].strip()
    return [*pieces, paragraph] if paragraph else pieces


def chunk_text(text: str) -> list[str]:
    """Normalized `text` in chunks of about CHUNK_SIZE characters, cut at paragraph ends (a word
    is never split, except inside a paragraph over CHUNK_HARD_LIMIT without a space)."""
    return group_paragraphs(
        piece for paragraph in normalize(text).split("\n\n") for piece in _cut(paragraph)
    )


def group_paragraphs(paragraphs) -> list[str]:
    """Paragraphs (each at most CHUNK_HARD_LIMIT characters, normalized) joined by blank lines
    into chunks of about CHUNK_SIZE characters: `chunk_text`'s grouping, shared with the demo
    seed, which writes normalized paragraphs."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for piece in paragraphs:
        if not piece:
            continue
        if current and size + len(piece) > CHUNK_SIZE:
            chunks.append("\n\n".join(current))
            current, size = [], 0
        current.append(piece)
        size += len(piece) + 2
    if current:
        chunks.append("\n\n".join(current))
    return chunks


def highlight(text: str, query: str, *, radius: int = SNIPPET_RADIUS) -> SafeString:
    """Escaped `text` around the first match of `query`, every match in it in `<mark>`; the
    start of `text` when there is no match."""
    at = text.find(query) if query else -1
    if at < 0:
        snippet = text[: 2 * radius]
        return mark_safe(escape(snippet) + ("…" if len(text) > len(snippet) else ""))  # noqa: S308
    start, end = max(0, at - radius), min(len(text), at + len(query) + radius)
    # Never start or end on a combining mark: it would render on a dotted circle.
    while start > 0 and _is_mark(text[start]):
        start -= 1
    while end < len(text) and _is_mark(text[end]):
        end += 1
    marked = f"<mark>{escape(query)}</mark>".join(
        escape(part) for part in text[start:end].split(query)
    )
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + marked + suffix)  # noqa: S308 (every part escaped)


_MARK = re.compile(f"[{_COMBINING}]")


def _is_mark(character: str) -> bool:
    return bool(_MARK.match(character))


@dataclass
class SearchPage:
    """One page of ranked results: `results` (documents with `.snippet` and `.title_html`),
    `total` (capped at COUNT_CAP: `more` says there are more), `number`, `has_next`;
    `too_short` when the query was refused (fewer than MIN_QUERY_LENGTH characters)."""

    results: list
    total: int
    more: bool
    number: int
    has_next: bool
    query: str
    too_short: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def matching_chunks(query: str) -> QuerySet:
    """Chunks that contain `query` (unordered: the trigram index's bitmap scan)."""
    from knowledge.models import DocumentChunk

    return DocumentChunk.objects.filter(text__contains=query).order_by()


def _rank_key(row: tuple) -> tuple:
    """Sort key (reversed) of a candidate `(pk, published_at, title_hit, hits)`: a title match
    first, then more matching chunks, then the newest (no date first, as PostgreSQL's DESC
    puts NULLs), then the highest id."""
    pk, published_at, title_hit, hits = row
    return (title_hit, hits, published_at is None, published_at or _NEVER, pk)


_NEVER = datetime.min.replace(tzinfo=UTC)


def search_page(documents: QuerySet, query: str, *, number: int, size: int) -> SearchPage:
    """Page `number` of the ranked matches of `query` among `documents`, with a highlighted
    snippet each. Four queries: the matching chunks (their document and its date; the first
    RANK_CANDIDATES the index gives), the documents with a matching title (at most COUNT_CAP),
    the page's documents, the snippets. Two lists rather than one OR: an OR of the two indexes
    would read every document.

    The rank (`_rank_key`) is computed here from the two lists, not by counting each
    candidate's chunks again in SQL: when fewer than RANK_CANDIDATES chunks match, the list
    holds every one of them and each document's count is exact; a very common word (in most
    chunks) is ranked among those candidates (a document's hits counted among them) and the
    count says "more than", rather than reading thousands of chunks per request to rank by a
    word that tells documents apart no better than their length. A query shorter than
    MIN_QUERY_LENGTH (once normalized) is refused without a query."""
    query = normalize_query(query)
    if len(query) < MIN_QUERY_LENGTH:
        return SearchPage(
            results=[], total=0, more=False, number=1, has_next=False, query=query, too_short=True
        )
    in_text = list(
        matching_chunks(query)
        .filter(document__in=documents.order_by().values("pk"))
        .values_list("document_id", "document__published_at")[:RANK_CANDIDATES]
    )
    in_title = list(
        documents.filter(title__contains=query)
        .order_by()
        .values_list("pk", "published_at")[:COUNT_CAP]
    )
    hits = Counter(pk for pk, _published_at in in_text)
    titled = {pk for pk, _published_at in in_title}
    dates = dict(in_text) | dict(in_title)
    candidates = sorted(
        ((pk, published_at, pk in titled, hits[pk]) for pk, published_at in dates.items()),
        key=_rank_key,
        reverse=True,
    )
    total = len(candidates)
    more = len(in_text) == RANK_CANDIDATES or len(in_title) == COUNT_CAP
    number = max(1, min(number, math.ceil(total / size) or 1))
    chosen = [pk for pk, *_rest in candidates[(number - 1) * size : number * size]]
    found = {document.pk: document for document in documents.filter(pk__in=chosen).order_by()}
    results = [found[pk] for pk in chosen if pk in found]
    firsts = {}
    if results:
        rows = (
            matching_chunks(query)
            .filter(document_id__in=[document.pk for document in results])
            .order_by("document_id", "position")
            .distinct("document_id")
            .values_list("document_id", "text")
        )
        firsts = dict(rows)
    for document in results:
        text = firsts.get(document.pk) or document.abstract or document.body[:1000]
        document.snippet = highlight(text, query)
        document.title_html = highlight(document.title, query, radius=len(document.title))
    return SearchPage(
        results=results,
        total=total,
        more=more,
        number=number,
        has_next=number * size < total,
        query=query,
    )
