"""Boards, threads and posts for the webboard's tests; counters and read marks are left to the
services, which the tests call to write."""

import factory

from forums.models import Board, BoardKind


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    slug = factory.Sequence(lambda n: f"board-{n}")
    kind = BoardKind.QUESTIONS
    name = factory.Sequence(lambda n: f"กระดานทดสอบ {n}")
    description = "กระดานสำหรับการทดสอบ"
