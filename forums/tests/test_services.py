"""The webboard's writes, each with what it refuses."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from forums import selectors, services
from forums.models import (
    Board,
    Flag,
    ForumNotification,
    ModerationAction,
    ModerationLog,
    Post,
    PostRevision,
    Thread,
    ThreadFollow,
)
from forums.tests.factories import BoardFactory
from units.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def reply(thread, user, body="ตอบ", **kwargs):
    return services.post_reply(thread=thread, user=user, body=body, **kwargs)


def test_a_thread_starts_with_post_one_counts_on_its_board_and_is_followed(board, tree):
    thread = services.thread_create(board=board, user=tree.citizen, title=" หัวข้อ ", body="**สวัสดี**")
    post = thread.posts.get()
    assert (thread.title, post.number, post.body_html) == (
        "หัวข้อ",
        1,
        "<p><strong>สวัสดี</strong></p>\n",
    )
    board.refresh_from_db()
    assert (board.thread_count, board.post_count, board.last_post_at) == (1, 1, thread.last_post_at)
    assert ThreadFollow.objects.filter(user=tree.citizen, thread=thread).exists()


def test_a_question_to_an_lao_is_about_that_lao(question, tree):
    assert question.lao == tree.lao
    assert question.board.lao == tree.lao
    assert services.lao_board(lao=tree.lao) == question.board  # made once


def test_replies_are_numbered_and_move_the_thread_and_board(question, tree):
    first = reply(question, tree.neighbour_officer)
    second = reply(question, tree.citizen, quote=first)
    question.refresh_from_db()
    assert (first.number, second.number, question.reply_count) == (2, 3, 2)
    assert question.last_post_at == second.created_at
    assert second.quote_of == first
    assert question.board.__class__.objects.get(pk=question.board_id).post_count == 3


def test_an_officers_reply_shows_their_lao(question, tree):
    post = reply(question, tree.neighbour_officer)
    assert post.author_lao == tree.neighbour
    assert reply(question, tree.citizen).author_lao is None


def test_the_laos_own_officer_answers_officially_and_the_question_is_answered(question, tree):
    answer = reply(question, tree.officer, official=True)
    question.refresh_from_db()
    assert answer.is_official and answer.author_lao == tree.lao
    assert question.answered_at == answer.created_at


@pytest.mark.parametrize("who", ["neighbour_officer", "staff", "admin", "citizen"])
def test_no_one_else_answers_officially_for_the_lao(question, tree, who):
    with pytest.raises(PermissionDenied):
        reply(question, getattr(tree, who), official=True)
    question.refresh_from_db()
    assert question.answered_at is None and question.reply_count == 0


def test_another_laos_officer_may_still_reply_unofficially(question, tree):
    post = reply(question, tree.neighbour_officer)
    question.refresh_from_db()
    assert not post.is_official and question.answered_at is None


def test_a_locked_thread_takes_no_reply(question, tree):
    services.thread_moderate(thread=question, user=tree.editor, action="lock", reason="จบแล้ว")
    with pytest.raises(ValidationError) as refused:
        reply(question, tree.officer, official=True)
    assert refused.value.code == "locked"
    assert question.posts.count() == 1


def test_a_hidden_thread_takes_no_reply(question, tree):
    services.post_hide(post=question.posts.get(), user=tree.editor, reason="สแปม")
    with pytest.raises(ValidationError) as refused:
        reply(question, tree.citizen)
    assert refused.value.code == "hidden"


def test_a_hidden_post_cannot_be_quoted_nor_edited(question, tree):
    post = reply(question, tree.neighbour_officer)
    services.post_hide(post=post, user=tree.admin, reason="ไม่สุภาพ")
    with pytest.raises(ValidationError):
        reply(question, tree.citizen, quote=post)
    with pytest.raises(ValidationError) as refused:
        services.post_edit(post=post, user=tree.neighbour_officer, body="แก้")
    assert refused.value.code == "hidden"


def test_anonymous_and_inactive_users_cannot_post(board, tree):
    from django.contrib.auth.models import AnonymousUser

    tree.citizen.is_active = False
    for user in (AnonymousUser(), tree.citizen):
        with pytest.raises(PermissionDenied):
            services.thread_create(board=board, user=user, title="x", body="y")


def test_posting_is_rate_limited_with_a_clear_message(board, tree, settings):
    settings.FORUMS_POST_LIMIT = 2
    for n in range(2):
        services.thread_create(board=board, user=tree.citizen, title=f"t{n}", body="b")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.thread_create(board=board, user=tree.citizen, title="t3", body="b")
    assert refused.value.code == "rate_limit"
    assert (
        "Please wait 10 minutes and post again; your text is kept below."
        in refused.value.messages[0]
    )
    assert Thread.objects.count() == 2
    # counted per client address too: another account from the same address is refused
    services.thread_create(board=board, user=tree.officer, title="t", body="b", keys=["ip:9.9.9.9"])
    services.thread_create(board=board, user=tree.officer, title="t", body="b", keys=["ip:9.9.9.9"])
    with pytest.raises(ValidationError):
        services.thread_create(
            board=board, user=tree.staff, title="t", body="b", keys=["ip:9.9.9.9"]
        )


def test_new_accounts_may_post_few_links_older_ones_more(board, tree):
    body = "ดู https://a.example และ https://b.example"
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.thread_create(board=board, user=tree.citizen, title="links", body=body)
    assert refused.value.code == "links"
    assert "at most 1 link" in refused.value.messages[0]
    veteran = UserFactory(date_joined=timezone.now() - timedelta(days=30))
    assert services.thread_create(board=board, user=veteran, title="links", body=body)


def test_script_and_html_never_survive(board, tree):
    body = "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))"
    thread = services.thread_create(board=board, user=tree.citizen, title="xss", body=body)
    html = thread.posts.get().body_html
    assert "<script" not in html and "onerror" not in html.replace("onerror=alert(2)&gt;", "")
    assert "<img" not in html and 'href="javascript' not in html


def test_the_author_edits_within_the_window_and_earlier_texts_are_kept(question, tree, now):
    post = question.posts.get()
    services.post_edit(post=post, user=tree.citizen, body="ข้อความใหม่")
    post.refresh_from_db()
    assert post.body == "ข้อความใหม่" and post.edited_at is not None
    assert list(PostRevision.objects.values_list("body", flat=True)) == ["ขอทราบกำหนดซ่อมครับ"]


def test_others_cannot_edit_and_the_author_not_after_the_window(question, tree):
    post = question.posts.get()
    with pytest.raises(PermissionDenied):
        services.post_edit(post=post, user=tree.editor, body="x")
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    with pytest.raises(ValidationError) as refused:
        services.post_edit(post=post, user=tree.citizen, body="x")
    assert refused.value.code == "edit_window"
    assert not PostRevision.objects.exists()


def test_flags_from_enough_different_users_hide_a_post_until_reviewed(question, tree, veterans):
    spam = reply(question, UserFactory(username="spammer"), body="ขายของ")
    services.post_flag(post=spam, user=veterans[0], reason="spam")
    spam.refresh_from_db()
    assert not spam.is_hidden and spam.flag_count == 1
    with pytest.raises(ValidationError):  # the same user again does not count
        services.post_flag(post=spam, user=veterans[0], reason="spam")
    services.post_flag(post=spam, user=veterans[1], reason="spam")
    spam.refresh_from_db()
    assert spam.is_hidden and spam.awaiting_review
    log = ModerationLog.objects.get()
    assert (log.action, log.moderator, log.post) == (ModerationAction.AUTO_HIDE, None, spam)
    assert list(selectors.moderation_queue()) == [spam]
    services.post_hide(post=spam, user=tree.editor, reason="สแปมยืนยัน")
    spam.refresh_from_db()
    assert spam.is_hidden and not spam.awaiting_review and spam.flag_count == 0
    assert Post.objects.filter(pk=spam.pk).exists()  # hidden posts stay
    assert list(selectors.moderation_queue()) == []


def test_one_cannot_flag_ones_own_post(question, tree):
    with pytest.raises(ValidationError):
        services.post_flag(post=question.posts.get(), user=tree.citizen, reason="spam")


@pytest.mark.parametrize("who", ["citizen", "officer", "staff", "executive"])
def test_non_moderators_cannot_moderate(question, tree, who):
    user, post = getattr(tree, who), question.posts.get()
    other = BoardFactory(slug="other")
    for write in (
        lambda: services.post_hide(post=post, user=user, reason="x"),
        lambda: services.post_restore(post=post, user=user, reason="x"),
        lambda: services.thread_moderate(thread=question, user=user, action="lock", reason="x"),
        lambda: services.thread_moderate(thread=question, user=user, action="pin", reason="x"),
        lambda: services.thread_move(thread=question, user=user, board=other, reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            write()
    question.refresh_from_db()
    assert not (question.is_locked or question.is_pinned or question.is_hidden)
    assert not ModerationLog.objects.exists()


def test_hiding_the_opening_post_takes_the_thread_off_its_board_and_restoring_brings_it(
    question, tree
):
    board = question.board
    services.post_hide(post=question.posts.get(), user=tree.admin, reason="ผิดกติกา")
    board.refresh_from_db()
    question.refresh_from_db()
    assert question.is_hidden and board.thread_count == 0
    services.post_restore(post=question.posts.get(), user=tree.admin, reason="ตรวจแล้ว")
    board.refresh_from_db()
    assert board.thread_count == 1
    assert [entry.action for entry in ModerationLog.objects.order_by("id")] == ["hide", "restore"]


def test_moving_a_thread_moves_its_counts_and_is_logged(board, tree):
    thread = services.thread_create(board=board, user=tree.citizen, title="t", body="b")
    reply(thread, tree.officer)
    target = BoardFactory(slug="lessons")
    services.thread_move(thread=thread, user=tree.editor, board=target, reason="ผิดหมวด")
    board.refresh_from_db()
    target.refresh_from_db()
    assert (board.thread_count, board.post_count) == (0, 0)
    assert (target.thread_count, target.post_count) == (1, 2)
    entry = ModerationLog.objects.get()
    assert (entry.moderator, entry.detail, entry.reason) == (tree.editor, "qa → lessons", "ผิดหมวด")


def test_pin_and_lock_are_logged_with_who_and_why(question, tree):
    services.thread_moderate(thread=question, user=tree.editor, action="pin", reason="สำคัญ")
    question.refresh_from_db()
    assert question.is_pinned
    entry = ModerationLog.objects.get()
    assert (entry.moderator, entry.action, entry.reason) == (tree.editor, "pin", "สำคัญ")


def test_followers_but_the_author_are_notified_and_emailed(
    question, tree, django_capture_on_commit_callbacks
):
    services.thread_follow(thread=question, user=tree.staff)
    with django_capture_on_commit_callbacks(execute=True):
        answer = reply(question, tree.officer, official=True)
    notified = ForumNotification.objects.filter(post=answer)
    assert sorted(notified.values_list("user__username", flat=True)) == ["citizen", "staff"]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "citizen@example.org",
        "staff@example.org",
    ]
    assert tree.lao.full_name_th in mail.outbox[0].subject


def test_unanswered_questions_are_listed_for_the_lao_and_its_province_only(question, tree):
    Thread.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(days=8))
    for who, expected in [
        ("officer", [question]),
        ("staff", [question]),
        ("admin", [question]),
        ("neighbour_officer", []),
        ("far_staff", []),
    ]:
        assert list(selectors.unanswered_questions(user=getattr(tree, who))) == expected, who
    assert selectors.unanswered_counts() == {tree.lao.pk: 1}
    reply(question, tree.officer, official=True)
    assert list(selectors.unanswered_questions(user=tree.officer)) == []


def test_recent_questions_are_not_yet_unanswered(question, tree):
    assert list(selectors.unanswered_questions(user=tree.officer)) == []


def test_board_counts_survive_hiding_by_flags_of_a_reply(question, tree, veterans):
    spam = reply(question, UserFactory(username="spammer"))
    for user in veterans:
        services.post_flag(post=spam, user=user, reason="spam")
    assert Post.objects.get(pk=spam.pk).is_hidden
    assert Board.objects.get(pk=question.board_id).thread_count == 1


# --- what flags may and may not hide -----------------------------------------------------------


def flag_all(post, users, **kwargs):
    for user in users:
        services.post_flag(post=post, user=user, reason="abuse", **kwargs)
    post.refresh_from_db()
    return post


def test_flags_never_hide_the_laos_official_answer_they_only_queue_it(question, tree, veterans):
    answer = flag_all(reply(question, tree.officer, official=True), veterans)
    assert not answer.is_hidden and answer.flag_count == 2
    assert list(selectors.moderation_queue()) == [answer]
    assert not ModerationLog.objects.exists()
    question.refresh_from_db()
    assert question.answered_at is not None
    services.post_hide(post=answer, user=tree.editor, reason="ผิดกติกา")  # a moderator still may
    assert Post.objects.get(pk=answer.pk).is_hidden


@pytest.mark.parametrize("who", ["neighbour_officer", "staff", "executive", "editor", "admin"])
def test_flags_never_hide_posts_of_the_back_office(question, tree, veterans, who):
    post = flag_all(reply(question, getattr(tree, who)), veterans)
    assert not post.is_hidden and post.flag_count == 2
    assert list(selectors.moderation_queue()) == [post]


def test_flags_on_the_opening_post_never_hide_the_thread(question, tree, veterans):
    opening = flag_all(question.posts.get(), veterans)
    question.refresh_from_db()
    assert not opening.is_hidden and not question.is_hidden
    assert Board.objects.get(pk=question.board_id).thread_count == 1
    assert list(selectors.moderation_queue()) == [opening]
    assert list(Thread.objects.visible()) == [question]


def test_only_flags_of_accounts_old_enough_count_toward_hiding(question, tree, veterans):
    spam = reply(question, UserFactory(username="spammer"))
    newcomers = [UserFactory(username=f"new{n}") for n in range(3)]
    spam = flag_all(spam, newcomers + veterans[:1])
    assert not spam.is_hidden and spam.flag_count == 4  # queued, but one flag counts
    assert list(selectors.moderation_queue()) == [spam]
    with translation.override("en"):
        spam = flag_all(spam, veterans[1:])
    assert spam.is_hidden and spam.awaiting_review
    assert ModerationLog.objects.get().reason == "2 flags from different users"


def test_an_account_exactly_as_old_as_required_counts(question, tree, settings):
    settings.FORUMS_FLAG_MIN_ACCOUNT_DAYS = 0
    spam = reply(question, UserFactory(username="spammer"))
    assert flag_all(spam, [tree.citizen, tree.executive]).is_hidden


def test_flagging_is_rate_limited_per_account_with_a_clear_message(question, tree, settings):
    settings.FORUMS_FLAG_LIMIT = 2
    posts = [reply(question, UserFactory(username=f"author{n}")) for n in range(3)]
    services.post_flag(post=posts[0], user=tree.citizen, reason="spam")
    with pytest.raises(ValidationError):  # refused flags roll back: they use none of the limit
        services.post_flag(post=posts[0], user=tree.citizen, reason="spam")
    services.post_flag(post=posts[1], user=tree.citizen, reason="spam")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.post_flag(post=posts[2], user=tree.citizen, reason="spam")
    assert refused.value.code == "rate_limit"
    assert refused.value.messages == [
        "You have flagged many posts in a short time. Please wait 60 minutes and flag again."
    ]
    assert Flag.objects.filter(user=tree.citizen).count() == 2
    assert Post.objects.get(pk=posts[2].pk).flag_count == 0


def test_flagging_is_rate_limited_per_address(question, tree, settings):
    settings.FORUMS_FLAG_LIMIT = 1
    first, second = (reply(question, UserFactory(username=f"author{n}")) for n in range(2))
    services.post_flag(post=first, user=tree.executive, reason="spam", keys=["ip:9.9.9.9"])
    with pytest.raises(ValidationError) as refused:
        services.post_flag(post=second, user=tree.editor, reason="spam", keys=["ip:9.9.9.9"])
    assert refused.value.code == "rate_limit"
    services.post_flag(post=second, user=tree.editor, reason="spam", keys=["ip:8.8.8.8"])


# --- titles and e-mail subjects ----------------------------------------------------------------


def test_titles_are_kept_on_one_line_without_control_characters(board, tree):
    title = "ถนน\r\nBcc: all@example.org\x00\x07\tพัง\u2028ครับ "
    thread = services.thread_create(board=board, user=tree.citizen, title=title, body="b")
    assert thread.title == "ถนน Bcc: all@example.org พัง ครับ"
    assert Thread.objects.get(pk=thread.pk).title == thread.title


def test_a_title_of_only_control_characters_is_refused(board, tree):
    with pytest.raises(ValidationError) as refused:
        services.thread_create(board=board, user=tree.citizen, title="\r\n\x00\t", body="b")
    assert refused.value.code == "title"
    assert not Thread.objects.exists() and not Post.objects.exists()


def test_followers_are_emailed_even_about_a_title_with_a_line_break(
    question, tree, django_capture_on_commit_callbacks
):
    # A title stored before titles were kept on one line.
    Thread.objects.filter(pk=question.pk).update(title="ถนนชำรุด\r\nBcc: x@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        reply(question, tree.officer, official=True)
    [message] = mail.outbox
    assert message.to == ["citizen@example.org"]
    assert "ถนนชำรุด Bcc: x@example.org" in message.message()["Subject"]
    assert "Bcc" not in message.message()  # the title smuggled no header in


# --- an LAO's question board -------------------------------------------------------------------


def test_an_laos_board_is_made_with_its_first_question_only(tree):
    board = selectors.lao_board(lao=tree.lao)
    assert board.pk is None and not Board.objects.exists()
    thread = services.thread_create(board=board, user=tree.citizen, title="ถาม", body="ครับ")
    saved = Board.objects.get()
    assert (saved.lao, saved.slug, saved.thread_count, thread.board) == (
        tree.lao,
        "lao-6300001",
        1,
        saved,
    )
    assert selectors.lao_board(lao=tree.lao) == saved


def test_a_refused_first_question_makes_no_board(tree, settings):
    settings.FORUMS_POST_LIMIT = 0
    with pytest.raises(ValidationError):
        services.thread_create(
            board=selectors.lao_board(lao=tree.lao), user=tree.citizen, title="ถาม", body="ครับ"
        )
    assert not Board.objects.exists()


def test_an_inactive_lao_takes_no_question(tree):
    board = selectors.lao_board(lao=tree.lao)
    tree.lao.is_active = False
    with pytest.raises(ValidationError) as refused:
        services.thread_create(board=board, user=tree.citizen, title="ถาม", body="ครับ")
    assert refused.value.code == "inactive"
    assert not Board.objects.exists() and not Thread.objects.exists()
