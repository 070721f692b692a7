"""The one renderer of Markdown written by users (wiki pages, forum posts, good practices).

markdown-it-py's `js-default` preset turns raw HTML off and leaves `javascript:`, `vbscript:` and
`data:` links unlinked; nh3 then keeps only an allow-list of tags and attributes (no `id`, `name`
or `style`, so a post can neither collide with the page's anchors nor restyle it). Render on save
and store the HTML: rendering a long Thai page takes ~0.1 s, too slow for every view.

Internal links `[[Page title]]` are turned into links by a caller-supplied `resolve(title)` that
returns the URL (or None: the text stays as it was, marked as a missing page).
"""

import html
import re
from collections.abc import Callable

import nh3
from django.utils.html import escape
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
    "code": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# No images: the pages' CSP lets only the portal's own images load, so an image could only point
# at a portal URL, and every reader's browser would then request it (a slow page, a download
# counter, a row-creating GET). `![alt](url)` reads as "!" and a link the reader may follow.
_markdown = MarkdownIt("js-default").enable("table").enable("strikethrough").disable("image")
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="nofollow noopener noreferrer ugc",
    strip_comments=True,
)
INTERNAL_LINK = re.compile(r"\[\[([^\[\]\n|]{1,200})(?:\|([^\[\]\n]{1,200}))?\]\]")


def clean_html(html: str) -> str:
    """Keep only the allowed tags, attributes and URL schemes of any HTML."""
    return _cleaner.clean(html)


def render_markdown(text: str, *, resolve: Callable[[str], str | None] | None = None) -> str:
    """Safe HTML of a user's Markdown. With `resolve`, `[[Title]]` and `[[Title|label]]` become
    links to the URL it returns, or a `missing` mark where it returns None."""
    html = _markdown.render(text or "")
    if resolve is not None:
        html = INTERNAL_LINK.sub(lambda match: _internal_link(match, resolve), html)
    return clean_html(html)


def internal_link_titles(text: str) -> list[str]:
    """The titles of the `[[…]]` links in a text, in order, without repeats."""
    seen: dict[str, None] = {}
    for match in INTERNAL_LINK.finditer(text or ""):
        seen.setdefault(match.group(1).strip(), None)
    return list(seen)


def _internal_link(match: re.Match, resolve: Callable[[str], str | None]) -> str:
    # markdown-it has already escaped the text: the label stays escaped, the title is unescaped
    # only to look it up.
    title = match.group(1).strip()
    label = (match.group(2) or match.group(1)).strip()
    url = resolve(html.unescape(title))
    if url is None:
        return f'<a class="missing">{label}</a>'
    return f'<a class="internal" href="{escape(url)}">{label}</a>'
