"""Demo boards and threads for `seed_demo`, all marked as demo data.

The listed boards (questions and answers, lesson exchange, partner LAOs, suggestions), one
question board per LAO, and at national scale a lesson board of 100,000 threads whose first
thread has 5,000 replies (what `bench/` pages through), questions to the LAOs of the demo
province (those of the demo officer's LAO partly answered officially) and threads about a few of
its projects. Rows are generated as tuples and written with COPY; the boards' counters are set
in one statement at the end. Deterministic, and skipped when the demo boards already exist.
"""

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from forums import pagestamps
from forums.models import Board, BoardKind, Thread
from units import stamps
from units.bulk import copy_rows, reserve_ids
from units.demo import DEMO_OFFICER_LAO, DEMO_PROVINCE
from units.markdown import render_markdown
from units.models import LAO, User
from units.stamps import lao_stamp

# Threads of the big lesson board and replies of its first thread, by scale.
LESSON_THREADS = {"national": 100_000, "small": 1_000}
BIG_THREAD_REPLIES = {"national": 5_000, "small": 300}

LISTED_BOARDS = (
    (
        "questions", BoardKind.QUESTIONS, "ถาม-ตอบ",
        "คำถามทั่วไปเกี่ยวกับงานขององค์กรปกครองส่วนท้องถิ่น ตอบโดยเจ้าหน้าที่และผู้รู้", 10,
    ),
    (
        "lessons", BoardKind.LESSONS, "แลกเปลี่ยนบทเรียน",
        "บทเรียนและแนวปฏิบัติที่ดีระหว่างนักวิจัย ผู้ปฏิบัติงาน และผู้สนใจ", 20,
    ),
    (
        "partners", BoardKind.PARTNERS, "อปท. คู่พัฒนา",
        "หาเพื่อนร่วมพัฒนา แลกเปลี่ยนกับ อปท. ที่มีบริบทใกล้เคียงกัน", 30,
    ),
    (
        "suggestions", BoardKind.SUGGESTIONS, "ข้อเสนอแนะ",
        "ข้อเสนอแนะต่อระบบสารสนเทศและการทำงานของกรมส่งเสริมการปกครองท้องถิ่น", 40,
    ),
)  # fmt: skip

TOPICS = (
    "การจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง", "การจัดการขยะมูลฝอยชุมชน", "ศูนย์พัฒนาเด็กเล็ก",
    "การจัดซื้อจัดจ้างด้วยระบบ e-GP", "ถนนคอนกรีตเสริมเหล็กในหมู่บ้าน", "ประปาหมู่บ้าน",
    "เบี้ยยังชีพผู้สูงอายุ", "การป้องกันและบรรเทาสาธารณภัย", "แผนพัฒนาท้องถิ่นห้าปี",
    "การมีส่วนร่วมของประชาชนในการจัดทำงบประมาณ", "ไฟฟ้าส่องสว่างทางสาธารณะ",
    "การส่งเสริมอาชีพและวิสาหกิจชุมชน", "ตลาดชุมชนและการท่องเที่ยว", "การประเมิน ITA",
)  # fmt: skip
FORMS = (
    "บทเรียนจากการดำเนินงาน{topic}", "ขอคำแนะนำเรื่อง{topic}", "แลกเปลี่ยนประสบการณ์{topic}",
    "ปัญหาและอุปสรรคของ{topic}", "แนวปฏิบัติที่ดี: {topic}",
)  # fmt: skip
BODIES = (
    "ข้อมูลตัวอย่าง: เล่าประสบการณ์ของ อปท. เรื่อง{topic} ทั้งขั้นตอน งบประมาณ "
    "และสิ่งที่ได้เรียนรู้\n\n- เริ่มจากสำรวจความต้องการของชุมชน\n- จัดประชุมประชาคม\n"
    "- ติดตามผลทุกไตรมาส",
    "ข้อมูลตัวอย่าง: อยากทราบว่า อปท. อื่นดำเนินการเรื่อง{topic} อย่างไร มีระเบียบหรือหนังสือสั่งการที่ควรอ่านบ้างไหมครับ",
    "ข้อมูลตัวอย่าง: ขอบคุณสำหรับข้อมูลเรื่อง{topic} ค่ะ ที่ อปท. ของเราทำคล้ายกัน "
    "แต่ใช้ **คณะกรรมการหมู่บ้าน** ช่วยติดตาม",
)
QUESTIONS = (
    (
        "สอบถามกำหนดการจัดเก็บภาษีที่ดินปีนี้",
        "ข้อมูลตัวอย่าง: ขอทราบกำหนดการยื่นแบบและชำระภาษีที่ดินและสิ่งปลูกสร้างของปีนี้ครับ",
    ),
    (
        "ไฟถนนหน้าหมู่บ้านดับหลายจุด",
        "ข้อมูลตัวอย่าง: ไฟฟ้าส่องสว่างทางสาธารณะหน้าหมู่บ้านดับมาหลายสัปดาห์ แจ้งซ่อมได้ที่ใดคะ",
    ),
    (
        "ขอข้อมูลการรับสมัครเด็กเข้าศูนย์พัฒนาเด็กเล็ก",
        "ข้อมูลตัวอย่าง: ศูนย์พัฒนาเด็กเล็กเปิดรับสมัครเมื่อไร ใช้เอกสารอะไรบ้าง",
    ),
)
ANSWER = (
    "ข้อมูลตัวอย่าง: ขอบคุณที่สอบถามครับ รายละเอียดตามประกาศของ อปท. ติดต่อเพิ่มเติมได้ที่กองคลัง ในวันและเวลาราชการ"
)

THREAD_COLUMNS = (
    "id", "board_id", "title", "author_id", "lao_id", "project_id", "created_at", "last_post_at",
    "reply_count", "is_pinned", "is_locked", "is_hidden", "answered_at", "is_demo",
)  # fmt: skip
POST_COLUMNS = (
    "thread_id", "number", "author_id", "author_lao_id", "body", "body_html", "is_official",
    "created_at", "is_hidden", "awaiting_review", "flag_count", "is_demo",
)  # fmt: skip


def _next_ids(count: int) -> range:
    """`count` thread ids after the highest in use, reserved for the COPY."""
    start = reserve_ids("forums_thread", count)
    return range(start, start + count)


def lao_boards_seed() -> list[str]:
    """One question board per active LAO that has none: one INSERT … SELECT. Returns the URL
    codes of the LAOs given a board."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO forums_board (slug, kind, name, description, position, lao_id,
                                      thread_count, post_count, is_demo)
            SELECT 'lao-' || COALESCE(l.dla_code, 'bangkok'), 'lao',
                   'คำถามถึง' || l.full_name_th, '', 1000, l.id, 0, 0, false
            FROM units_lao l
            WHERE l.is_active
              AND NOT EXISTS (SELECT 1 FROM forums_board b WHERE b.lao_id = l.id)
            ON CONFLICT DO NOTHING
            RETURNING substr(slug, 5)
            """
        )
        return [code for (code,) in cursor.fetchall()]


def _post(thread_id, number, author, body_html_cache, body, when, *, lao_id=None, official=False):
    if body not in body_html_cache:
        body_html_cache[body] = render_markdown(body)
    return (
        thread_id, number, author, lao_id, body, body_html_cache[body], official, when,
        False, False, 0, True,
    )  # fmt: skip


def threads_seed(*, scale: str, citizen: User, officer: User | None) -> tuple[int, int]:
    """The demo threads and posts; returns (threads, posts) created."""
    rng = random.Random("forums-demo")
    now = timezone.now().replace(microsecond=0)
    boards = {
        board.slug: board
        for board in Board.objects.filter(kind__in=[k for _s, k, *_r in LISTED_BOARDS])
    }
    html: dict[str, str] = {}
    threads, posts = [], []
    lesson_count = LESSON_THREADS[scale]
    replies = BIG_THREAD_REPLIES[scale]
    ids = iter(_next_ids(lesson_count + 200 + LAO.objects.count() * 3))
    # The lesson board: the first thread is the long one, its last reply the newest post.
    for index in range(lesson_count):
        thread_id = next(ids)
        topic = TOPICS[index % len(TOPICS)]
        title = FORMS[(index // len(TOPICS)) % len(FORMS)].format(topic=topic) + f" ({index + 1})"
        created = now - timedelta(days=730) + timedelta(seconds=index * 600)
        count = replies if index == 0 else rng.randint(0, 3)
        last = created + timedelta(minutes=count * 7)
        if index == 0:
            title = "บทเรียนการจัดทำแผนพัฒนาท้องถิ่นแบบมีส่วนร่วม (กระทู้ยาว)"
            created, last = now - timedelta(days=365), now
        threads.append(
            (
                thread_id,
                boards["lessons"].pk,
                title,
                citizen.pk,
                None,
                None,
                created,
                last,
                count,
                index == 0,
                False,
                False,
                None,
                True,
            )
        )
        posts.append(_post(thread_id, 1, citizen.pk, html, BODIES[0].format(topic=topic), created))
        step = (last - created) / max(count, 1)
        for number in range(2, count + 2):
            body = BODIES[1 + number % 2].format(topic=topic)
            posts.append(
                _post(thread_id, number, citizen.pk, html, body, created + step * (number - 1))
            )
    # A few threads on each other listed board.
    for slug in ("questions", "partners", "suggestions"):
        for index in range(20):
            thread_id, topic = next(ids), TOPICS[(index * 3) % len(TOPICS)]
            created = now - timedelta(days=60 - index * 3)
            title = FORMS[index % len(FORMS)].format(topic=topic)
            threads.append(
                (
                    thread_id,
                    boards[slug].pk,
                    title,
                    citizen.pk,
                    None,
                    None,
                    created,
                    created,
                    0,
                    False,
                    False,
                    False,
                    None,
                    True,
                )
            )
            posts.append(
                _post(thread_id, 1, citizen.pk, html, BODIES[1].format(topic=topic), created)
            )
    # Questions to the LAOs of the demo province: the demo officer's answered officially.
    laos = LAO.objects.filter(province__code=DEMO_PROVINCE, is_active=True).select_related(
        "forum_board"
    )
    for lao in laos:
        board = getattr(lao, "forum_board", None)
        if board is None:
            continue
        own = officer is not None and lao.dla_code == DEMO_OFFICER_LAO
        for index, (title, body) in enumerate(QUESTIONS if own else QUESTIONS[:1]):
            thread_id = next(ids)
            created = now - timedelta(days=20 - index * 6, hours=rng.randint(0, 12))
            answered = own and index < 2
            last = created + timedelta(days=1) if answered else created
            threads.append(
                (
                    thread_id,
                    board.pk,
                    title,
                    citizen.pk,
                    lao.pk,
                    None,
                    created,
                    last,
                    1 if answered else 0,
                    False,
                    False,
                    False,
                    last if answered else None,
                    True,
                )
            )
            posts.append(_post(thread_id, 1, citizen.pk, html, body, created))
            if answered:
                posts.append(
                    _post(
                        thread_id, 2, officer.pk, html, ANSWER, last, lao_id=lao.pk, official=True
                    )
                )
    copy_rows("forums_thread", THREAD_COLUMNS, threads)
    copy_rows("forums_post", POST_COLUMNS, posts)
    return len(threads), len(posts)


def board_counters_refresh() -> None:
    """Set every board's thread and post counts and latest post from its threads: one UPDATE."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE forums_board b
            SET thread_count = s.threads, post_count = s.posts, last_post_at = s.last
            FROM (SELECT board_id, COUNT(*) FILTER (WHERE NOT is_hidden) AS threads,
                         SUM(reply_count + 1) AS posts, MAX(last_post_at) AS last
                  FROM forums_thread GROUP BY board_id) s
            WHERE b.id = s.board_id
            """
        )


@transaction.atomic
def seed_forums(*, scale: str, stdout) -> list[str]:
    """seed_demo step: boards (listed and per LAO), then the demo threads once."""
    for slug, kind, name, description, position in LISTED_BOARDS:
        Board.objects.get_or_create(
            slug=slug,
            defaults={
                "kind": kind,
                "name": name,
                "description": description,
                "position": position,
                "is_demo": True,
            },
        )
    lao_codes = lao_boards_seed()
    # COPY and raw SQL send no signal: the pages shown before the seed (an LAO's empty question
    # board, the boards' lists) are renewed here.
    stamps.bump(*(lao_stamp("forums", code) for code in lao_codes))
    citizen = User.objects.filter(username="citizen").first()
    if citizen is None or Thread.objects.filter(is_demo=True).exists():
        stdout.write(f"forums: {len(lao_codes)} LAO boards; demo threads already there")
        return []
    officer = User.objects.filter(username="officer", lao__dla_code=DEMO_OFFICER_LAO).first()
    threads, posts = threads_seed(scale=scale, citizen=citizen, officer=officer)
    board_counters_refresh()
    demo_laos = Thread.objects.filter(is_demo=True, lao__isnull=False).values_list(
        "lao__dla_code", flat=True
    )
    stamps.bump(
        pagestamps.INDEX,
        pagestamps.BOARDS,
        pagestamps.SEARCH,
        *(lao_stamp("forums", code) for code in demo_laos.distinct() if code),
    )
    stdout.write(
        f"forums: {len(lao_codes)} LAO boards, {threads} threads, {posts} posts (demo data)"
    )
    return []
