"""Name search over the LAO registry, in Thai and English.

Thai is written without spaces between words, so word-based full-text search splits names and
queries differently (STACK.md "Thai search"). Instead a query is matched as a substring of the
Thai short and full names and of the upper-cased English name, through the pg_trgm GIN indexes of
migration 0002. `__contains` is used on purpose: `icontains` compiles to `UPPER(col) LIKE` and
cannot use the Thai indexes.

People often type the kind of LAO before its name, spelled out or abbreviated, with or without a
space: `อบต.บางพลี`, `อบต. บางพลี`, `องค์การบริหารส่วนตำบลบางพลี`. The prefix is stripped from the
name and narrows the search to that kind instead.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Upper

from units.models import LAOKind

# The shortest query worth running: one Thai character matches most of the registry.
MIN_QUERY_LENGTH = 2

# The shortest Latin query matched by similarity as well: shorter ones are similar to too much.
FUZZY_MIN_LENGTH = 4

# Kind prefixes, spelled out and abbreviated. Longest first, so that `เทศบาลตำบล` wins over any
# shorter spelling it starts with.
KIND_PREFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        (
            ("องค์การบริหารส่วนจังหวัด", LAOKind.PAO),
            ("อบจ.", LAOKind.PAO),
            ("องค์การบริหารส่วนตำบล", LAOKind.SAO),
            ("อบต.", LAOKind.SAO),
            ("เทศบาลนคร", LAOKind.CITY_MUNICIPALITY),
            ("ทน.", LAOKind.CITY_MUNICIPALITY),
            ("เทศบาลเมือง", LAOKind.TOWN_MUNICIPALITY),
            ("ทม.", LAOKind.TOWN_MUNICIPALITY),
            ("เทศบาลตำบล", LAOKind.SUBDISTRICT_MUNICIPALITY),
            ("ทต.", LAOKind.SUBDISTRICT_MUNICIPALITY),
            ("กทม.", LAOKind.BANGKOK),
        ),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
)

_THAI = re.compile(r"[\u0e00-\u0e7f]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class NameQuery:
    """A parsed search: the name fragment to look for and the kind its prefix named, if any."""

    text: str
    kind: str | None = None

    @property
    def is_too_short(self) -> bool:
        """Nothing useful to search: no kind prefix and fewer than MIN_QUERY_LENGTH characters."""
        return self.kind is None and len(self.text) < MIN_QUERY_LENGTH

    @property
    def is_empty(self) -> bool:
        return not self.text and self.kind is None


def _clean(raw: str) -> str:
    """NFC, the decomposed sara am (nikhahit + sara aa) joined, single spaces, trimmed."""
    text = unicodedata.normalize("NFC", raw or "").replace("\u0e4d\u0e32", "\u0e33")
    return _SPACES.sub(" ", text).strip()


def _without_thai_spaces(text: str) -> str:
    # Thai names have no spaces, but people type `บาง พลี`.
    return text.replace(" ", "") if _THAI.search(text) else text


def normalize_query(raw: str) -> str:
    """Trim and normalise what was typed: NFC, single spaces, and no spaces inside Thai."""
    return _without_thai_spaces(_clean(raw))


def parse_name_query(raw: str) -> NameQuery:
    """Split a typed query into a kind (from a leading kind prefix) and the name fragment.

    Abbreviations are recognised with their dot (`อบต.บางพลี`) or, when a space follows, without
    it (`อบต บางพลี`)."""
    text = _clean(raw)
    for prefix, kind in KIND_PREFIXES:
        bare = prefix.rstrip(".")
        if text.startswith(prefix):
            rest = text[len(prefix) :]
        elif bare != prefix and (text == bare or text.startswith(bare + " ")):
            rest = text[len(bare) :]
        else:
            continue
        return NameQuery(text=_without_thai_spaces(rest.strip(" .")), kind=kind)
    return NameQuery(text=_without_thai_spaces(text))


def search_laos(queryset: QuerySet, raw: str) -> QuerySet:
    """`queryset` narrowed to LAOs whose Thai or English name contains the query (after its kind
    prefix, which narrows by kind instead), or, for a Latin query of FUZZY_MIN_LENGTH characters
    or more, whose English name is similar to it (closest first). A query too short to be
    useful leaves it unchanged; callers check `parse_name_query(raw).is_too_short` to say so."""
    query = parse_name_query(raw)
    if query.is_too_short:
        return queryset
    if query.kind is not None:
        queryset = queryset.filter(kind=query.kind)
    if not query.text:
        return queryset
    matches = Q(name_th__contains=query.text) | Q(full_name_th__contains=query.text)
    if _THAI.search(query.text):
        return queryset.filter(matches)
    # The trigram index is on UPPER(name_en): annotate the same expression so it is used.
    text = query.text.upper()
    queryset = queryset.annotate(name_en_upper=Upper("name_en"))
    matches |= Q(name_en_upper__contains=text)
    if text.isdigit():
        return queryset.filter(matches | Q(dla_code__startswith=text))
    if len(text) < FUZZY_MIN_LENGTH:
        return queryset.filter(matches)
    # `UPPER(name_en) %> text`: some run of words of the name is similar to the query.
    matches |= Q(name_en_upper__trigram_word_similar=text)
    return (
        queryset.filter(matches)
        .annotate(name_en_similarity=TrigramWordSimilarity(text, Upper("name_en")))
        .order_by(F("name_en_similarity").desc(), *queryset.model._meta.ordering)
    )
