from datetime import timedelta

import pytest
from django.utils import timezone

from forums import services
from forums.tests.factories import BoardFactory
from units.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def forum_settings(settings):
    """Known limits whatever the environment says; accounts made by the factories are new, so
    the link limit of new accounts applies to them."""
    settings.FORUMS_POST_LIMIT = 50
    settings.FORUMS_NEW_ACCOUNT_LINKS = 1
    settings.FORUMS_NEW_ACCOUNT_DAYS = 3
    settings.FORUMS_FLAGS_TO_HIDE = 2
    settings.FORUMS_FLAG_MIN_ACCOUNT_DAYS = 3
    settings.FORUMS_FLAG_LIMIT = 20
    settings.FORUMS_FLAG_WINDOW_MINUTES = 60
    settings.FORUMS_EDIT_WINDOW_MINUTES = 30
    settings.FORUMS_UNANSWERED_DAYS = 7
    return settings


@pytest.fixture
def board(db):
    return BoardFactory(slug="qa")


@pytest.fixture
def question(tree):
    """A citizen's question to the tree's LAO (on its board)."""
    board = services.lao_board(lao=tree.lao)
    return services.thread_create(
        board=board, user=tree.citizen, title="ถนนชำรุดหน้าบ้าน", body="ขอทราบกำหนดซ่อมครับ"
    )


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def veterans(db):
    """Two citizens whose accounts are old enough for their flags to count toward hiding."""
    joined = timezone.now() - timedelta(days=30)
    return [UserFactory(username=f"veteran{n}", date_joined=joined) for n in (1, 2)]
