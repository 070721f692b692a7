"""What the database itself refuses, whatever door the data comes through."""

import pytest
from django.db import IntegrityError, transaction

from forums.models import Board, BoardKind, Flag, Post, Thread

pytestmark = pytest.mark.django_db


def _thread(board, user):
    return Thread.objects.create(board=board, title="t", author=user)


def test_a_post_number_is_used_once_per_thread_and_starts_at_one(board, tree):
    thread = _thread(board, tree.citizen)
    Post.objects.create(thread=thread, number=1, author=tree.citizen, body="a", body_html="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(thread=thread, number=1, author=tree.citizen, body="b", body_html="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(thread=thread, number=0, author=tree.citizen, body="c", body_html="c")


def test_an_official_answer_names_its_lao(board, tree):
    thread = _thread(board, tree.citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(
            thread=thread, number=1, author=tree.officer, body="a", body_html="a", is_official=True
        )


def test_only_a_hidden_post_awaits_review(board, tree):
    thread = _thread(board, tree.citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(
            thread=thread, number=1, author=tree.citizen, body="a", body_html="a",
            awaiting_review=True,
        )  # fmt: skip


def test_a_user_flags_a_post_once(board, tree):
    thread = _thread(board, tree.citizen)
    post = Post.objects.create(
        thread=thread, number=1, author=tree.citizen, body="a", body_html="a"
    )
    Flag.objects.create(post=post, user=tree.officer, reason="spam")
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(post=post, user=tree.officer, reason="abuse")


def test_an_lao_board_has_an_lao_and_no_other_board_has_one(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        Board.objects.create(slug="x", kind=BoardKind.LAO, name="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Board.objects.create(slug="y", kind=BoardKind.LESSONS, name="y", lao=tree.lao)
    with pytest.raises(IntegrityError), transaction.atomic():
        Board.objects.create(slug="z1", kind=BoardKind.LAO, name="z", lao=tree.lao)
        Board.objects.create(slug="z2", kind=BoardKind.LAO, name="z", lao=tree.lao)
