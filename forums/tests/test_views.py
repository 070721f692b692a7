"""The webboard's pages: what each shows to whom, pinned query counts that do not grow with
the page or the board, unread markers, feeds, and what no post can smuggle into a page."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from forums import rules, services
from forums.models import Board, Post, Thread
from forums.tests.factories import BoardFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def bulk_threads(board, author, count):
    """`count` threads with their opening posts, without going through the services (speed);
    the board's counters are set as the services would."""
    now = timezone.now()
    threads = Thread.objects.bulk_create(
        Thread(
            board=board,
            title=f"กระทู้ที่ {n}",
            author=author,
            created_at=now - timedelta(minutes=count - n),
            last_post_at=now - timedelta(minutes=count - n),
        )
        for n in range(count)
    )
    Post.objects.bulk_create(
        Post(thread=thread, number=1, author=author, body="ข้อความ", body_html="<p>ข้อความ</p>")
        for thread in threads
    )
    Board.objects.filter(pk=board.pk).update(thread_count=count, post_count=count, last_post_at=now)
    board.refresh_from_db()
    return threads


def bulk_replies(thread, author, count):
    now = timezone.now()
    Post.objects.bulk_create(
        Post(
            thread=thread,
            number=n,
            author=author,
            body=f"ตอบ {n}",
            body_html=f"<p>ตอบ {n}</p>",
            created_at=now - timedelta(seconds=count - n),
        )
        for n in range(2, count + 2)
    )
    Thread.objects.filter(pk=thread.pk).update(reply_count=count, last_post_at=now)
    thread.refresh_from_db()


def test_the_index_lists_the_boards_but_not_the_lao_boards(client, board, question):
    with_lao = client.get(reverse("forums:index"))
    assert board.name in with_lao.text
    assert question.board.name not in with_lao.text


def test_board_pages_cost_the_same_queries_on_the_first_and_a_deep_page(
    client, board, tree, django_assert_num_queries
):
    bulk_threads(board, tree.citizen, 130)
    url = reverse("forums:board", args=[board.slug])
    # the stamps of the page cache, the board, the page of threads (count is kept)
    with django_assert_num_queries(3):
        first = client.get(url)
    with django_assert_num_queries(3):
        last = client.get(url + "?page=6")
    assert "กระทู้ที่ 129" in first.text and "กระทู้ที่ 0<" in last.text
    client.force_login(tree.citizen)
    with django_assert_num_queries(6):  # session, user, board, read mark, page, visit
        client.get(url + "?page=3")


def test_thread_pages_are_ranges_of_post_numbers_at_the_same_cost(
    client, question, tree, django_assert_num_queries
):
    bulk_replies(question, tree.officer, 130)
    url = reverse("forums:thread", args=[question.pk])
    with django_assert_num_queries(3):  # the page cache's stamps, the thread, its page of posts
        first = client.get(url)
    with django_assert_num_queries(3):
        last = client.get(url + "?page=7")
    assert "ตอบ 20<" in first.text and "ตอบ 21<" not in first.text
    assert "ตอบ 131<" in last.text and "ตอบ 120<" not in last.text
    assert 'rel="prev"' in last.text and 'rel="next"' not in last.text
    client.force_login(tree.citizen)
    # session, user, thread, read mark, posts, read upsert, following
    with django_assert_num_queries(7):
        client.get(url + "?page=4")


def test_script_and_html_of_a_post_never_reach_the_page(client, board, tree):
    thread = services.thread_create(
        board=board,
        user=tree.citizen,
        title="<script>alert('t')</script>",
        body="<script>alert('x')</script><iframe src=//evil></iframe>[a](javascript:alert(1))",
    )
    page = client.get(reverse("forums:thread", args=[thread.pk])).text
    assert "<script>alert" not in page and "<iframe" not in page
    assert 'href="javascript:' not in page


def test_hidden_posts_show_their_text_to_moderators_only(client, question, tree):
    spam = services.post_reply(thread=question, user=tree.neighbour_officer, body="ขายยาลดความอ้วน")
    services.post_hide(post=spam, user=tree.editor, reason="สแปม")
    url = reverse("forums:thread", args=[question.pk])
    assert "ขายยาลดความอ้วน" not in client.get(url).text
    client.force_login(tree.editor)
    assert "ขายยาลดความอ้วน" in client.get(url).text


def test_a_thread_has_open_graph_tags(client, question):
    page = client.get(reverse("forums:thread", args=[question.pk])).text
    assert '<meta property="og:title" content="ถนนชำรุดหน้าบ้าน">' in page
    assert f'content="http://testserver/forums/t/{question.pk}/"' in page


def test_the_board_feed_is_valid_atom_in_thai(client, board, tree):
    services.thread_create(
        board=board, user=tree.citizen, title="ข่าว & ประกาศ", body="**หนา** <b>x</b>"
    )
    response = client.get(reverse("forums:board-feed", args=[board.slug]))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "th"
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "ข่าว & ประกาศ"
    summary = entry.find(f"{ATOM}summary").text
    assert "<strong>หนา</strong>" in summary and "<b>" not in summary


def test_unread_markers_of_threads_and_boards(client, board, tree):
    thread = services.thread_create(board=board, user=tree.officer, title="ใหม่", body="b")
    client.force_login(tree.citizen)
    board_url = reverse("forums:board", args=[board.slug])
    assert "badge-new" in client.get(board_url).text
    client.get(reverse("forums:thread", args=[thread.pk]))
    assert "badge-new" not in client.get(board_url).text
    services.post_reply(thread=thread, user=tree.officer, body="ตอบเพิ่ม")
    assert "badge-new" in client.get(board_url).text
    client.post(reverse("forums:board-read", args=[board.slug]))
    assert "badge-new" not in client.get(board_url).text


def test_the_board_index_marks_boards_with_posts_since_the_last_visit(board, tree):
    from forums import selectors

    services.thread_create(board=board, user=tree.officer, title="ใหม่", body="b")
    assert selectors.boards_index(user=tree.citizen)[0].unread
    services.board_visit(board=board, user=tree.citizen)
    assert not selectors.boards_index(user=tree.citizen)[0].unread


def test_a_refused_post_keeps_the_typed_text(english_client, question, tree, settings):
    settings.FORUMS_POST_LIMIT = 0
    english_client.force_login(tree.citizen)
    response = english_client.post(
        reverse("forums:reply", args=[question.pk]), {"body": "ข้อความที่พิมพ์ไว้ยาว ๆ"}
    )
    assert response.status_code == 200
    assert "ข้อความที่พิมพ์ไว้ยาว ๆ</textarea>" in response.text
    assert 'class="error-summary"' in response.text
    assert "Please wait 10 minutes and post again; your text is kept below." in response.text
    assert question.posts.count() == 1


def test_the_laos_officer_answers_officially_through_the_page(client, question, tree):
    client.force_login(tree.officer)
    form = client.get(reverse("forums:thread", args=[question.pk])).text
    assert 'name="official"' in form
    response = client.post(
        reverse("forums:reply", args=[question.pk]), {"body": "ซ่อมสัปดาห์หน้า", "official": "on"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answered_at is not None


def test_another_laos_officer_is_not_offered_nor_granted_the_official_answer(
    client, question, tree
):
    client.force_login(tree.neighbour_officer)
    assert 'name="official"' not in client.get(reverse("forums:thread", args=[question.pk])).text
    client.post(reverse("forums:reply", args=[question.pk]), {"body": "ตอบ", "official": "on"})
    question.refresh_from_db()
    assert question.answered_at is None and question.reply_count == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("citizen", 404), ("officer", 404), ("editor", 200), ("admin", 200)],
)
def test_the_moderation_queue_is_for_moderators(client, tree, who, status):
    if who:
        client.force_login(getattr(tree, who))
    assert client.get(reverse("forums:queue")).status_code == status


def test_a_citizen_cannot_hide_through_the_page(client, question, tree):
    client.force_login(tree.citizen)
    post = question.posts.get()
    response = client.post(reverse("forums:post-moderate", args=[post.pk, "hide"]), {"reason": "x"})
    assert response.status_code == 404
    post.refresh_from_db()
    assert not post.is_hidden


def test_a_moderator_locks_with_a_reason(client, question, tree):
    client.force_login(tree.editor)
    url = reverse("forums:thread-moderate", args=[question.pk, "lock"])
    assert client.post(url, {"reason": ""}).status_code == 200  # a reason is required
    assert client.post(url, {"reason": "ตอบครบแล้ว"}).status_code == 302
    question.refresh_from_db()
    assert question.is_locked


def test_the_unanswered_list_is_for_the_back_office(client, question, tree):
    Thread.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(days=10))
    client.force_login(tree.citizen)
    assert client.get(reverse("forums:unanswered")).status_code == 404
    client.force_login(tree.staff)
    assert question.title in client.get(reverse("forums:unanswered")).text


def test_search_finds_a_thai_fragment_in_titles_and_posts(client, question, tree):
    services.post_reply(thread=question, user=tree.officer, body="จะซ่อมแซมผิวจราจรในเดือนหน้า")
    assert question.title in client.get(reverse("forums:search"), {"q": "ชำรุด"}).text
    assert question.title in client.get(reverse("forums:search"), {"q": "ผิวจราจร"}).text
    assert question.title not in client.get(reverse("forums:search"), {"q": "ไม่มีคำนี้"}).text


def test_the_lao_profile_shows_its_discussion_and_the_ask_link(client, question, tree):
    page = client.get(tree.lao.get_absolute_url()).text
    assert question.title in page
    assert reverse("forums:lao", args=[tree.lao.url_code]) in page
    assert (
        client.get(reverse("forums:lao", args=[tree.lao.url_code])).url
        == question.board.get_absolute_url()
    )


def test_a_project_is_discussed_on_its_laos_board(client, tree):
    from projects.tests.factories import ProjectFactory

    project = ProjectFactory(lao=tree.lao)
    client.force_login(tree.citizen)
    board = services.lao_board(lao=tree.lao)
    response = client.post(
        reverse("forums:thread-new", args=[board.slug]) + f"?project={project.pk}",
        {"title": "ถามเรื่องโครงการ", "body": "จะเริ่มเมื่อไร"},
    )
    thread = Thread.objects.get()
    assert response.url == thread.get_absolute_url()
    assert (thread.project, thread.lao) == (project, tree.lao)
    assert "ถามเรื่องโครงการ" in client.get(reverse("forums:project", args=[project.pk])).text


def test_following_page_shows_forum_notifications(client, question, tree):
    services.post_reply(thread=question, user=tree.officer, body="ตอบแล้ว", official=True)
    client.force_login(tree.citizen)
    page = client.get(reverse("forums:following")).text
    assert question.title in page and "notification-unread" in page
    client.post(reverse("forums:notifications-read"))
    assert "notification-unread" not in client.get(reverse("forums:following")).text


def test_post_links_go_to_the_page_holding_the_post():
    assert rules.page_of_post(20) == 1 and rules.page_of_post(21) == 2
    assert rules.number_range(2) == (21, 40)


def test_an_unknown_board_is_404(client, db):
    BoardFactory(slug="known")
    assert client.get(reverse("forums:board", args=["unknown"])).status_code == 404


def test_the_index_without_boards_is_an_empty_state_in_one_query_of_its_own(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the page cache's stamps, the boards
        response = client.get(reverse("forums:index"))
    assert 'class="empty-state"' in response.text


# --- an LAO's question board: no visit writes --------------------------------------------------


def test_a_visit_to_an_laos_board_before_its_first_question_writes_nothing(
    client, tree, django_assert_num_queries
):
    url = reverse("forums:lao", args=[tree.lao.url_code])
    with django_assert_num_queries(3):  # the page cache's stamps, the LAO, its board (none yet)
        response = client.get(url)
    assert response.status_code == 200
    assert not Board.objects.exists()
    page = response.text
    assert f"คำถามถึง{tree.lao}" in page and 'class="empty-state"' in page
    assert reverse("forums:lao-new", args=[tree.lao.url_code]) in page


def test_a_project_discussion_page_writes_no_board(client, tree, django_assert_num_queries):
    from projects.tests.factories import ProjectFactory

    project = ProjectFactory(lao=tree.lao)
    with django_assert_num_queries(3):  # stamps, the project with its LAO, its threads
        page = client.get(reverse("forums:project", args=[project.pk])).text
    assert not Board.objects.exists()
    assert reverse("forums:lao-new", args=[tree.lao.url_code]) + f"?project={project.pk}" in page


def test_an_inactive_or_unknown_laos_board_is_404_and_writes_nothing(client, tree):
    from projects.tests.factories import ProjectFactory

    project = ProjectFactory(lao=tree.lao)
    tree.lao.__class__.objects.filter(pk=tree.lao.pk).update(is_active=False)
    client.force_login(tree.citizen)
    for url in (
        reverse("forums:lao", args=[tree.lao.url_code]),
        reverse("forums:lao", args=["9999999"]),
        reverse("forums:lao-new", args=[tree.lao.url_code]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("forums:lao-new", args=[tree.lao.url_code]), {"title": "ถาม", "body": "ครับ"}
    )
    assert response.status_code == 404
    page = client.get(reverse("forums:project", args=[project.pk])).text
    assert reverse("forums:lao-new", args=[tree.lao.url_code]) not in page  # no ask button
    assert not Board.objects.exists() and not Thread.objects.exists()


def test_the_first_question_makes_the_laos_board(client, tree):
    from projects.tests.factories import ProjectFactory

    project = ProjectFactory(lao=tree.lao)
    new = reverse("forums:lao-new", args=[tree.lao.url_code]) + f"?project={project.pk}"
    assert client.get(new).status_code == 302  # to the login page
    client.force_login(tree.citizen)
    assert client.get(new).status_code == 200 and not Board.objects.exists()
    response = client.post(new, {"title": "ถามเรื่อง\nโครงการ", "body": "เริ่มเมื่อไร"})
    thread = Thread.objects.get()
    assert response.url == thread.get_absolute_url()
    assert (thread.title, thread.lao, thread.project) == ("ถามเรื่อง โครงการ", tree.lao, project)
    board = Board.objects.get()
    assert (thread.board, board.lao, board.thread_count) == (board, tree.lao, 1)
    lao_url = reverse("forums:lao", args=[tree.lao.url_code])
    assert client.get(lao_url).url == board.get_absolute_url()


def test_a_refused_first_question_keeps_the_text_and_makes_no_board(english_client, tree, settings):
    settings.FORUMS_POST_LIMIT = 0
    english_client.force_login(tree.citizen)
    response = english_client.post(
        reverse("forums:lao-new", args=[tree.lao.url_code]),
        {"title": "ถามครับ", "body": "ข้อความที่พิมพ์ไว้"},
    )
    assert response.status_code == 200
    assert "Please wait" in response.text and "ข้อความที่พิมพ์ไว้" in response.text
    assert not Board.objects.exists()


def test_a_title_of_control_characters_only_is_a_form_error(client, board, tree):
    client.force_login(tree.citizen)
    response = client.post(
        reverse("forums:thread-new", args=[board.slug]), {"title": "\x07\x1b\r\n", "body": "b"}
    )
    assert response.status_code == 200 and not Thread.objects.exists()
    form = response.context["form"]
    assert "title" in form.errors


# --- flags through the pages ---------------------------------------------------------------------


def test_flags_on_the_opening_post_leave_the_thread_readable(client, question, veterans):
    for user in veterans:
        client.force_login(user)
        response = client.post(
            reverse("forums:post-flag", args=[question.posts.get().pk]), {"reason": "spam"}
        )
        assert response.status_code == 302
    client.logout()
    assert client.get(question.get_absolute_url()).status_code == 200


def test_flagging_through_the_page_is_limited_per_address(english_client, question, tree, settings):
    settings.FORUMS_FLAG_LIMIT = 1
    posts = [
        services.post_reply(thread=question, user=tree.officer, body=f"ตอบ {n}") for n in range(2)
    ]
    english_client.force_login(tree.citizen)
    flag = reverse("forums:post-flag", args=[posts[0].pk])
    assert english_client.post(flag, {"reason": "spam"}).status_code == 302
    english_client.force_login(tree.executive)  # another account, the same address
    response = english_client.post(
        reverse("forums:post-flag", args=[posts[1].pk]), {"reason": "spam", "note": "โฆษณา"}
    )
    assert response.status_code == 200
    assert "You have flagged many posts in a short time." in response.text
    assert "โฆษณา" in response.text
    assert Post.objects.get(pk=posts[1].pk).flag_count == 0
