"""The data stamps of the webboard's public pages (`units.stamps`, read by `units.pagecache`).

A page names the stamps of what it shows from its URL alone, so a cached answer costs the one
query of `stamps.read`:

- the index: `INDEX`, moved only by writes to the listed boards (their counts and latest post),
  so questions to the 7,850 LAOs' boards do not empty it;
- a board's pages and feed: `board_stamp(slug)` and `BOARDS`;
- a thread's pages: `thread_stamp(pk)` and `BOARDS` (its breadcrumb names its board);
- an LAO's discussion (its question board before the first question, its profile section):
  `lao_stamp("forums", code)`;
- a project's discussion: `project_stamp(pk)`;
- the search: `SEARCH`, moved by every change a search result can show.

`BOARDS` holds the boards' names, slugs and descriptions: only the admin and the making of a
board move it, so keeping it on every board and thread page costs nothing in hit rate.

Services bump once, at their end (`thread_stamps` of every thread they changed). The ORM saves
inside a service send signals as well; `service_write` tells the admin's handlers
(`bump_on_change`, connected in `ForumsConfig.ready`) to leave those to the service, so a
service takes the stamps' row locks once, in sorted order, as late as it can.
"""

import functools
from collections.abc import Iterable
from contextvars import ContextVar

from django.db import transaction

from forums.models import Board, BoardKind, Post, Thread
from units.stamps import lao_stamp

INDEX = "forums"
BOARDS = "forums:boards"
SEARCH = "forums:search"

_in_service: ContextVar[bool] = ContextVar("forums_service_write", default=False)


def board_stamp(slug: str) -> str:
    return f"forums:board:{slug}"


def thread_stamp(pk: int) -> str:
    return f"forums:thread:{pk}"


def project_stamp(pk: int) -> str:
    return f"forums:project:{pk}"


def thread_stamps(thread: Thread, *, board: Board | None = None) -> list[str]:
    """What a change to the thread shows on: its pages, its board's, the index for a listed
    board, the LAO's discussion when it is about an LAO, its project's discussion, the search.
    Reads `thread.board` and `thread.lao` (load them with the thread to spare the queries)."""
    board = board or thread.board
    names = [thread_stamp(thread.pk), board_stamp(board.slug), SEARCH]
    if board.kind != BoardKind.LAO:
        names.append(INDEX)
    if thread.lao_id is not None:
        names.append(lao_stamp("forums", thread.lao.url_code))
    if thread.project_id is not None:
        names.append(project_stamp(thread.project_id))
    return names


def service_write(func):
    """An atomic service of the webboard that bumps its stamps itself: the signals of the ORM
    saves it makes bump nothing."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        token = _in_service.set(True)
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        finally:
            _in_service.reset(token)

    return wrapper


# --- writes outside the services: the admin, a shell -------------------------------------------


def board_change_stamps(board: Board) -> Iterable[str]:
    """A board edited (renamed, re-slugged, described) or made outside a service: every board
    and thread page (`BOARDS`: the old slug's pages must answer 404 now), its own pages, the
    index for a listed board and the LAO's discussion for an LAO's."""
    if _in_service.get():
        return []
    names = [BOARDS, board_stamp(board.slug)]
    if board.lao_id is None:
        names.append(INDEX)
    else:
        names.append(lao_stamp("forums", board.lao.url_code))
    return names


def thread_change_stamps(thread: Thread) -> Iterable[str]:
    """A thread changed or deleted outside a service (the admin deletes)."""
    if _in_service.get():
        return []
    return thread_stamps(thread)


def post_change_stamps(post: Post) -> Iterable[str]:
    """A post changed or deleted outside a service: its thread and the search; the board too
    for an opening post (the feed shows its text). A thread deleted in the admin deletes its
    posts as well, so a reply costs no query here."""
    if _in_service.get():
        return []
    names = [thread_stamp(post.thread_id), SEARCH]
    if post.number == 1:
        names.extend(thread_stamps(post.thread))
    return names
