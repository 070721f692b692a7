"""Pure rules of the webboard, shared by services, forms and pages (no database access)."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

POSTS_PER_PAGE = 20
THREADS_PER_PAGE = 25
QUOTE_LENGTH = 600

# Bare links and Markdown links alike: what a spammer pastes.
_LINK = re.compile(r"(?:https?://|ftp://|www\.)\S+|\]\([^)]+\)|<[a-z]+://[^>]+>", re.IGNORECASE)


@dataclass(frozen=True)
class Violation:
    code: str
    message: str
    field: str | None = None


def page_of_post(number: int) -> int:
    """The page of a thread on which its post `number` (1 = the opening post) is shown."""
    return (max(number, 1) - 1) // POSTS_PER_PAGE + 1


def number_range(page: int) -> tuple[int, int]:
    """The first and last post numbers of a thread page (pages are ranges of numbers, so no
    page ever needs an OFFSET or a COUNT)."""
    first = (page - 1) * POSTS_PER_PAGE + 1
    return first, first + POSTS_PER_PAGE - 1


def one_line(text: str) -> str:
    """`text` on one line: every run of whitespace (line breaks and tabs included) becomes one
    space and other control characters go. Titles and e-mail subjects must be one line: Django
    refuses a subject with a line break, which would fail every follower's e-mail."""
    kept = "".join(
        char for char in text or "" if char.isspace() or unicodedata.category(char) != "Cc"
    )
    return " ".join(kept.split())


def flags_may_hide(*, number: int, is_official: bool, author_is_staff: bool) -> bool:
    """May flags hide this post without a moderator? Not the opening post (it carries the whole
    thread), nor an LAO's official answer, nor a post of the back office: a few accounts must
    not be able to silence the answer or the question; their flags only reach the moderators."""
    return number != 1 and not is_official and not author_is_staff


def link_count(text: str) -> int:
    return len(_LINK.findall(text or ""))


def link_violation(
    text: str, *, joined: datetime, now: datetime, new_days: int, new_links: int
) -> Violation | None:
    """Accounts younger than `new_days` may put at most `new_links` links in a post."""
    if now - joined >= timedelta(days=new_days):
        return None
    if link_count(text) <= new_links:
        return None
    return Violation(
        "links",
        ngettext(
            "New accounts may include at most %(count)d link in a post for their first "
            "%(days)d days. Remove some links and post again.",
            "New accounts may include at most %(count)d links in a post for their first "
            "%(days)d days. Remove some links and post again.",
            new_links,
        )
        % {"count": new_links, "days": new_days},
        "body",
    )


def edit_violation(*, created_at: datetime, now: datetime, window_minutes: int) -> Violation | None:
    """A post can be edited by its author for `window_minutes` after it was written."""
    if now - created_at <= timedelta(minutes=window_minutes):
        return None
    return Violation(
        "edit_window",
        _("A post can be edited only within %(minutes)d minutes of posting.")
        % {"minutes": window_minutes},
    )


def quote_markdown(*, author: str, body: str) -> str:
    """A quote of another post, as Markdown block quote lines (shortened if long)."""
    text = body if len(body) <= QUOTE_LENGTH else body[:QUOTE_LENGTH].rstrip() + " …"
    lines = [f"**{author}**:", *text.splitlines()]
    return "\n".join(f"> {line}" if line else ">" for line in lines) + "\n\n"
