"""Fixtures of the benchmarks tests: the project-wide tree, the real budget classification and
the declared indicators synced into the Indicator table."""

import datetime

import pytest

from benchmarks.services import indicators_sync
from budgets.tests.factories import imported_classification

# The day the tests compute on: fiscal year 2569 is over, 2570 has begun, 2571 has not.
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def indicators(db):
    indicators_sync()


@pytest.fixture
def classification(db):
    return imported_classification()
