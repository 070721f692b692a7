"""The webboard's public pages from the page cache (units.pagecache): a visitor's second visit
is one query and the same page, every write through the services shows on the next visit, the
per-user parts stay for signed-in users, and the board's deep pages keep OFFSET's rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forums import pagestamps, selectors, services
from forums.models import Board, Post, Thread
from forums.tests.factories import BoardFactory
from units import stamps
from units.stamps import lao_stamp

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(board, tree):
    """A citizen's thread on a listed board with one reply (flags may hide it)."""
    thread = services.thread_create(
        board=board, user=tree.citizen, title="แลกเปลี่ยนเรื่องขยะ", body="คัดแยกขยะอย่างไรดี"
    )
    services.post_reply(thread=thread, user=tree.citizen, body="ตอบเรื่องถังขยะ")
    thread.refresh_from_db()
    return thread


def url_of(name, *args):
    return reverse(f"forums:{name}", args=args)


def assert_cached(client, url, django_assert_num_queries, miss):
    """The first visit renders with `miss` queries; the second is the stored page, one query."""
    with django_assert_num_queries(miss):
        first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the stamps' values
        second = client.get(url)
    assert second.content == first.content
    return first


def test_the_index_is_cached(client, thread, django_assert_num_queries):
    # stamps, the boards
    page = assert_cached(client, url_of("index"), django_assert_num_queries, miss=2)
    assert thread.board.name in page.text


def test_a_board_and_its_pages_are_cached(client, thread, django_assert_num_queries):
    url = url_of("board", thread.board.slug)
    # stamps, the board, its page of threads
    assert thread.title in assert_cached(client, url, django_assert_num_queries, miss=3).text
    assert_cached(client, url + "?page=2", django_assert_num_queries, miss=3)


def test_a_boards_feed_is_cached(client, thread, django_assert_num_queries):
    url = url_of("board-feed", thread.board.slug)
    # stamps, the board, its threads, their opening posts
    feed = assert_cached(client, url, django_assert_num_queries, miss=4)
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert client.get(url)["Content-Type"] == feed["Content-Type"]


def test_a_thread_and_its_pages_are_cached(client, thread, django_assert_num_queries):
    url = url_of("thread", thread.pk)
    # stamps, the thread with its board, LAO, project and author, its posts
    page = assert_cached(client, url, django_assert_num_queries, miss=3).text
    assert "ตอบเรื่องถังขยะ" in page
    assert_cached(client, url + "?page=last", django_assert_num_queries, miss=3)


def test_an_laos_empty_question_board_is_cached(client, tree, django_assert_num_queries):
    url = url_of("lao", tree.lao.url_code)
    # stamps, the LAO, its board (none yet)
    assert_cached(client, url, django_assert_num_queries, miss=3)


def test_a_projects_discussion_is_cached(client, tree, django_assert_num_queries):
    from projects.tests.factories import ProjectFactory

    project = ProjectFactory(lao=tree.lao)
    url = url_of("project", project.pk)
    # stamps, the project with its LAO, its threads
    assert_cached(client, url, django_assert_num_queries, miss=3)


def test_the_search_is_cached_per_query(client, thread, django_assert_num_queries):
    url = url_of("search")
    # stamps, the matching threads
    hit = assert_cached(client, url + "?q=ถังขยะ", django_assert_num_queries, miss=2)
    assert thread.title in hit.text
    miss = assert_cached(client, url + "?q=ไม่มีคำนี้", django_assert_num_queries, miss=2)
    assert thread.title not in miss.text


def test_a_visitors_thread_page_has_no_reply_form_but_a_login_link(client, thread):
    page = client.get(url_of("thread", thread.pk)).text
    assert url_of("reply", thread.pk) not in page
    assert url_of("follow", thread.pk) not in page
    assert reverse("login") + "?next=" in page


def test_a_parameter_the_page_does_not_declare_is_answered_not_stored(
    client, thread, django_assert_num_queries
):
    url = url_of("thread", thread.pk)
    first = client.get(url + "?page=1")
    with django_assert_num_queries(1):
        assert client.get(url + "?page=1").content == first.content
    # Junk in the URL is rendered by the view every time (the page prints its own address in
    # the language switch), never stored.
    for _ in range(2):
        with django_assert_num_queries(2):  # the view's own: no stamps are read
            junk = client.get(url + "?page=1&utm_source=line&fbclid=x")
        assert junk.status_code == 200
    with django_assert_num_queries(3):  # a declared parameter is another page
        client.get(url + "?page=last")
    with django_assert_num_queries(1):
        client.get(url + "?page=last")


# --- every write shows on the next visit --------------------------------------------------------


def visit(client, *urls):
    """Fill the cache with the pages as they are now."""
    for url in urls:
        assert client.get(url).status_code == 200


def test_a_reply_shows_on_the_thread_the_board_the_index_and_the_search(client, thread, tree):
    pages = [url_of("thread", thread.pk), url_of("board", thread.board.slug), url_of("index")]
    search = url_of("search") + "?q=ปุ๋ยหมัก"
    visit(client, *pages, search)
    services.post_reply(thread=thread, user=tree.citizen, body="ทำปุ๋ยหมักจากเศษอาหาร")
    assert "ทำปุ๋ยหมักจากเศษอาหาร" in client.get(pages[0]).text
    assert '<td class="num">2</td>' in client.get(pages[1]).text  # the reply count
    assert "3 ข้อความ" in client.get(pages[2]).text  # the board's post count
    assert thread.title in client.get(search).text


def test_a_new_thread_shows_on_its_board_and_the_index(client, board, tree):
    pages = [url_of("board", board.slug), url_of("index")]
    visit(client, *pages)
    services.thread_create(board=board, user=tree.citizen, title="กระทู้ใหม่ล่าสุด", body="ข้อความ")
    assert "กระทู้ใหม่ล่าสุด" in client.get(pages[0]).text
    assert "1 กระทู้" in client.get(pages[1]).text


def test_a_question_to_an_lao_leaves_the_index_entry_alone(
    client, board, tree, django_assert_num_queries
):
    """The index shows the listed boards only: the 7,850 LAOs' questions must not empty it."""
    visit(client, url_of("index"))
    # The question makes the LAO's board, as the first one does.
    services.thread_create(
        board=selectors.lao_board(lao=tree.lao), user=tree.citizen, title="ถาม", body="ครับ"
    )
    with django_assert_num_queries(1):
        client.get(url_of("index"))


def test_the_first_question_turns_the_laos_empty_board_into_its_board(client, tree):
    url = url_of("lao", tree.lao.url_code)
    visit(client, url)
    thread = services.thread_create(
        board=selectors.lao_board(lao=tree.lao), user=tree.citizen, title="ถามเรื่องถนน", body="ครับ"
    )
    assert client.get(url).url == thread.board.get_absolute_url()


def test_an_edit_shows_on_the_thread_and_the_feed(client, thread, tree):
    opening = thread.posts.get(number=1)
    pages = [url_of("thread", thread.pk), url_of("board-feed", thread.board.slug)]
    visit(client, *pages)
    services.post_edit(post=opening, user=tree.citizen, body="คัดแยกขยะเปียกอย่างไร")
    for url in pages:
        assert "คัดแยกขยะเปียกอย่างไร" in client.get(url).text


def test_a_hide_by_a_moderator_shows_on_the_thread(client, thread, tree):
    reply = thread.posts.get(number=2)
    url = url_of("thread", thread.pk)
    visit(client, url)
    services.post_hide(post=reply, user=tree.editor, reason="ไม่สุภาพ")
    assert "ตอบเรื่องถังขยะ" not in client.get(url).text
    services.post_restore(post=reply, user=tree.editor, reason="ตรวจแล้ว")
    assert "ตอบเรื่องถังขยะ" in client.get(url).text


def test_hiding_an_opening_post_takes_the_thread_off_the_board(client, thread, tree):
    pages = [url_of("board", thread.board.slug), url_of("index")]
    visit(client, *pages)
    services.post_hide(post=thread.posts.get(number=1), user=tree.editor, reason="สแปม")
    assert thread.title not in client.get(pages[0]).text
    assert "0 กระทู้" in client.get(pages[1]).text
    assert client.get(url_of("thread", thread.pk)).status_code == 404


def test_an_auto_hide_by_flags_shows_on_the_thread(client, thread, veterans):
    reply = thread.posts.get(number=2)
    url = url_of("thread", thread.pk)
    visit(client, url)
    services.post_flag(post=reply, user=veterans[0], reason="spam")
    assert "ตอบเรื่องถังขยะ" in client.get(url).text  # one flag hides nothing
    services.post_flag(post=reply, user=veterans[1], reason="spam")
    assert "ตอบเรื่องถังขยะ" not in client.get(url).text


def test_a_flag_that_hides_nothing_moves_no_stamp(thread, veterans):
    names = pagestamps.thread_stamps(thread)
    before = stamps.read(names)
    services.post_flag(post=thread.posts.get(number=2), user=veterans[0], reason="spam")
    assert stamps.read(names) == before


def test_a_move_shows_on_both_boards_and_the_thread(english_client, thread, tree):
    target = BoardFactory(slug="lessons", name="แลกเปลี่ยนบทเรียน")
    pages = [
        url_of("board", thread.board.slug),
        url_of("board", target.slug),
        url_of("thread", thread.pk),
    ]
    visit(english_client, *pages)
    services.thread_move(thread=thread, user=tree.editor, board=target, reason="ผิดกระดาน")
    assert thread.title not in english_client.get(pages[0]).text
    assert thread.title in english_client.get(pages[1]).text
    assert f'<a href="{target.get_absolute_url()}">' in english_client.get(pages[2]).text


def test_a_move_to_an_laos_board_shows_on_the_laos_discussion(thread, tree):
    target = services.lao_board(lao=tree.lao)
    name = lao_stamp("forums", tree.lao.url_code)
    before = stamps.read([name])
    services.thread_move(thread=thread, user=tree.editor, board=target, reason="ถาม อปท.")
    assert stamps.read([name])[0] == before[0] + 1


def test_a_lock_and_a_pin_show_on_the_thread_and_the_board(english_client, thread, board, tree):
    older = services.thread_create(board=board, user=tree.citizen, title="กระทู้เก่า", body="b")
    Thread.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timedelta(days=2),
        last_post_at=timezone.now() - timedelta(days=1),
    )
    pages = [url_of("thread", thread.pk), url_of("board", board.slug)]
    visit(english_client, *pages)
    services.thread_moderate(thread=thread, user=tree.editor, action="lock", reason="ครบแล้ว")
    assert ">Locked</span>" in english_client.get(pages[0]).text
    assert "This thread is locked; it takes no replies." in english_client.get(pages[0]).text
    assert ">Locked</span>" in english_client.get(pages[1]).text
    services.thread_moderate(thread=older, user=tree.editor, action="pin", reason="สำคัญ")
    listing = english_client.get(pages[1]).text
    assert listing.index("กระทู้เก่า") < listing.index(thread.title)


def test_an_official_answer_shows_on_the_question_and_the_laos_board(
    english_client, question, tree
):
    pages = [url_of("thread", question.pk), url_of("board", question.board.slug)]
    visit(english_client, *pages)
    services.post_reply(thread=question, user=tree.officer, body="ซ่อมสัปดาห์หน้า", official=True)
    for url in pages:
        assert "Answered by the LAO" in english_client.get(url).text


def test_a_new_thread_about_a_project_shows_on_its_discussion(client, tree):
    from projects.tests.factories import ProjectFactory

    project = ProjectFactory(lao=tree.lao)
    url = url_of("project", project.pk)
    visit(client, url)
    services.thread_create(
        board=services.lao_board(lao=tree.lao),
        user=tree.citizen,
        title="โครงการนี้เริ่มเมื่อไร",
        body="ครับ",
        project=project,
    )
    assert "โครงการนี้เริ่มเมื่อไร" in client.get(url).text


def test_admin_edits_show_on_the_next_visit(client, thread):
    """The admin saves through the ORM: the signals connected in ForumsConfig bump."""
    board = Board.objects.get(pk=thread.board_id)
    pages = [url_of("board", board.slug), url_of("thread", thread.pk), url_of("index")]
    visit(client, *pages)
    board.name = "กระดานชื่อใหม่"
    board.save()
    for url in pages:
        assert "กระดานชื่อใหม่" in client.get(url).text
    reply = thread.posts.get(number=2)
    reply.body_html = "<p>แก้โดยผู้ดูแลระบบ</p>"
    reply.save()
    assert "แก้โดยผู้ดูแลระบบ" in client.get(pages[1]).text
    reply.delete()
    assert "แก้โดยผู้ดูแลระบบ" not in client.get(pages[1]).text


def test_a_deleted_thread_leaves_its_board(client, thread):
    url = url_of("board", thread.board.slug)
    visit(client, url)
    Thread.objects.get(pk=thread.pk).delete()
    assert thread.title not in client.get(url).text


def test_read_marks_follows_and_notifications_move_no_stamp(thread, tree):
    names = [*pagestamps.thread_stamps(thread), pagestamps.BOARDS]
    before = stamps.read(names)
    services.thread_mark_read(thread=thread, user=tree.staff)
    services.board_visit(board=thread.board, user=tree.staff, all_read=True)
    services.thread_follow(thread=thread, user=tree.staff)
    services.thread_follow(thread=thread, user=tree.staff, follow=False)
    services.notifications_mark_read(user=tree.citizen)
    assert stamps.read(names) == before


def test_a_service_bumps_once(thread, tree):
    """The ORM saves inside a service bump nothing themselves: one bump, at the end."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        services.post_reply(thread=thread, user=tree.citizen, body="อีกหนึ่งความเห็น")
    bumps = [q["sql"] for q in queries.captured_queries if "units_stamp" in q["sql"]]
    assert len(bumps) == 1


# --- signed-in users keep their own parts --------------------------------------------------------


def test_a_signed_in_user_gets_the_reply_form_and_unread_marks(client, thread, tree):
    thread_url, board_url = url_of("thread", thread.pk), url_of("board", thread.board.slug)
    visit(client, thread_url, board_url)
    client.force_login(tree.staff)
    listing = client.get(board_url).text
    assert "badge-new" in listing and url_of("board-read", thread.board.slug) in listing
    page = client.get(thread_url).text
    assert f'action="{url_of("reply", thread.pk)}"' in page and "csrfmiddlewaretoken" in page
    assert "badge-new" in page
    client.logout()
    assert "badge-new" not in client.get(thread_url).text


def test_a_visitor_with_a_session_is_not_served_the_stored_page(client, thread, tree):
    url = url_of("thread", thread.pk)
    visit(client, url)
    client.force_login(tree.editor)
    assert url_of("post-moderate", thread.posts.get(number=2).pk, "hide") in client.get(url).text


# --- deep pages of a board ----------------------------------------------------------------------


def many_threads(board, author, count):
    """`count` threads a minute apart (written directly: speed), a few pinned and hidden."""
    now = timezone.now()
    threads = Thread.objects.bulk_create(
        Thread(
            board=board,
            title=f"กระทู้ที่ {n}",
            author=author,
            created_at=now - timedelta(minutes=count - n),
            # pairs of equal times: the id decides between them, as in the index
            last_post_at=now - timedelta(minutes=(count - n) // 2),
            is_pinned=n % 40 == 7,
            is_hidden=n % 30 == 11,
        )
        for n in range(count)
    )
    Post.objects.bulk_create(
        Post(thread=thread, number=1, author=author, body="ข้อความ", body_html="<p>ข้อความ</p>")
        for thread in threads
    )
    shown = sum(not thread.is_hidden for thread in threads)
    Board.objects.filter(pk=board.pk).update(thread_count=shown, post_count=count)
    board.refresh_from_db()


def test_board_pages_hold_the_rows_of_offset_at_one_query(board, tree, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    many_threads(board, tree.citizen, 130)
    ordered = list(
        Thread.objects.visible()
        .filter(board=board)
        .order_by("-is_pinned", "-last_post_at", "-id")
        .values_list("pk", flat=True)
    )
    assert len(ordered) == board.thread_count
    pages = -(-len(ordered) // 25)
    for number in range(1, pages + 1):
        with django_assert_num_queries(1):
            page = selectors.board_page(board=board, user=AnonymousUser(), page=str(number))
        expected = ordered[(number - 1) * 25 : number * 25]
        assert [thread.pk for thread in page.object_list] == expected
    assert selectors.board_page(board=board, user=AnonymousUser(), page="999").number == pages


def test_a_deep_board_page_costs_what_the_first_does(
    client, board, tree, django_assert_num_queries
):
    many_threads(board, tree.citizen, 130)
    url = url_of("board", board.slug)
    with django_assert_num_queries(3):  # stamps, the board, the page (ids chosen in a subquery)
        first = client.get(url)
    with django_assert_num_queries(3):
        deep = client.get(url + "?page=6")
    assert "กระทู้ที่ 129" in first.text and "กระทู้ที่ 0<" in deep.text


def test_an_empty_boards_page_is_one_query_less(client, board, django_assert_num_queries):
    with django_assert_num_queries(2):  # stamps, the board: no page of nothing is asked for
        page = client.get(url_of("board", board.slug))
    assert 'class="empty-state"' in page.text


def test_a_question_shows_on_the_laos_cached_profile(client, tree):
    url = tree.lao.get_absolute_url()
    visit(client, url)
    services.thread_create(
        board=selectors.lao_board(lao=tree.lao), user=tree.citizen, title="ไฟถนนดับ", body="ครับ"
    )
    assert "ไฟถนนดับ" in client.get(url).text


def test_the_profiles_discussion_names_the_laos_forum_stamp(tree):
    """A section without stamps would keep every LAO's profile out of the cache."""
    from units.profile import profile_sections

    (section,) = [section for section in profile_sections() if section.key == "discussion"]
    assert section.stamps(tree.lao.url_code) == [lao_stamp("forums", tree.lao.url_code)]
