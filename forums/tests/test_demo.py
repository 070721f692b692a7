"""The webboard's demo seed: set-based, labelled demo data, consistent counters, run once."""

import io

import pytest
from django.db.models import Max, Sum

from forums.demo import BIG_THREAD_REPLIES, LESSON_THREADS, seed_forums
from forums.models import Board, BoardKind, Post, Thread

pytestmark = pytest.mark.django_db


def test_the_seed_builds_boards_and_a_long_board_with_a_long_thread_once(tree):
    seed_forums(scale="small", stdout=io.StringIO())
    lessons = Board.objects.get(slug="lessons")
    assert lessons.thread_count == LESSON_THREADS["small"]
    assert Board.objects.filter(kind=BoardKind.LAO).count() == 3  # one per LAO of the tree
    big = Thread.objects.order_by("id").first()
    assert big.board == lessons and big.reply_count == BIG_THREAD_REPLIES["small"]
    numbers = big.posts.aggregate(top=Max("number"))
    assert numbers["top"] == big.reply_count + 1 == big.posts.count()
    assert not Thread.objects.filter(is_demo=False).exists()
    assert not Post.objects.filter(is_demo=False).exists()
    totals = Thread.objects.filter(board=lessons).aggregate(replies=Sum("reply_count"))
    assert (
        lessons.post_count
        == totals["replies"] + lessons.thread_count
        == Post.objects.filter(thread__board=lessons).count()
    )
    threads = Thread.objects.count()
    seed_forums(scale="small", stdout=io.StringIO())
    assert Thread.objects.count() == threads
    # the sequence moved past the copied ids: the services keep working
    from forums import services

    assert services.thread_create(board=lessons, user=tree.citizen, title="t", body="b").pk > big.pk
