"""The "discussion" section of the LAO profile (registered with units.profile in ForumsConfig)."""

from forums.selectors import lao_recent_threads
from units.stamps import lao_stamp


def discussion_section_context(lao, request) -> dict:
    """The latest threads about the LAO (one query on the partial (lao, last post) index) and
    the link to ask it a question."""
    return {"threads": lao_recent_threads(lao=lao)}


def discussion_section_stamps(code: str) -> list[str]:
    """The section shows threads about the LAO: every write to one moves the LAO's forum stamp
    (`pagestamps.thread_stamps`)."""
    return [lao_stamp("forums", code)]
