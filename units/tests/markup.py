"""The `<time datetime>` values pages render, for the tests of every app's pages."""

import datetime
import re

TIME_ATTRIBUTE = re.compile(r'<time datetime="([^"]*)"')
# 14:30:15.123456 UTC: 21:30:15 in Bangkok, the portal's time zone.
WITH_MICROSECONDS = datetime.datetime(2026, 1, 5, 14, 30, 15, 123456, tzinfo=datetime.UTC)
EXPECTED = "2026-01-05T21:30:15+07:00"
# A valid HTML date/time: whole seconds with the offset (HTML allows at most three fractional
# digits; Python's and Django's ISO formats keep the six of microseconds).
VALID = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")


def time_values(response) -> list[str]:
    """The page's `<time datetime>` values, each checked valid (the page must show one)."""
    assert response.status_code == 200
    values = TIME_ATTRIBUTE.findall(response.content.decode())
    assert values, "the page shows no <time> element"
    assert all(VALID.match(value) for value in values), values
    return values
