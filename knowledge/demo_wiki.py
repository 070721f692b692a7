"""Demo wiki pages (`seed_demo`): generated Thai articles about local government, each with one
to three revisions by the demo accounts, `[[links]]` between them and a few to pages not yet
written. Every page is marked `is_demo` and says so on screen.

National scale: 2,000 pages; small scale (tests): 40. Rows are written with `bulk_create` and
one UPDATE per table, not through the services, so that the national seed takes seconds.
"""

import random

from django.db import connection
from django.urls import reverse

from knowledge.models_wiki import (
    WikiLink,
    WikiPage,
    WikiRevision,
    normalize_title,
    title_to_slug,
)
from units.markdown import internal_link_titles, render_markdown
from units.models import User

PAGES = {"national": 2000, "small": 40}

SUBJECTS = [
    "การจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง", "การจัดทำแผนพัฒนาท้องถิ่น", "การจัดซื้อจัดจ้างภาครัฐ",
    "การบริหารงานบุคคลท้องถิ่น", "การถ่ายโอนภารกิจ", "การจัดการขยะมูลฝอย", "ศูนย์พัฒนาเด็กเล็ก",
    "การป้องกันและบรรเทาสาธารณภัย", "การประปาหมู่บ้าน", "ถนนและทางระบายน้ำ", "เบี้ยยังชีพผู้สูงอายุ",
    "การแพทย์ฉุกเฉิน", "กองทุนหลักประกันสุขภาพระดับท้องถิ่น", "การส่งเสริมการท่องเที่ยวชุมชน",
    "ตลาดสดและสุขาภิบาลอาหาร", "การควบคุมอาคาร", "การจัดทำข้อบัญญัติงบประมาณ", "การตรวจสอบภายใน",
    "ธรรมาภิบาลและความโปร่งใส", "การมีส่วนร่วมของประชาชน", "สภาองค์กรปกครองส่วนท้องถิ่น",
    "การเลือกตั้งท้องถิ่น", "ระบบบัญชีคอมพิวเตอร์", "การบริหารสินทรัพย์", "การจัดการน้ำเสีย",
    "การควบคุมโรคติดต่อ", "การศึกษาปฐมวัย", "โรงเรียนในสังกัดท้องถิ่น", "การส่งเสริมอาชีพ",
    "วิสาหกิจชุมชน", "ผังเมืองรวม", "ไฟฟ้าสาธารณะ", "สวนสาธารณะและพื้นที่สีเขียว",
    "การดูแลผู้ป่วยติดเตียง", "คนพิการและผู้ด้อยโอกาส", "การอนุรักษ์ศิลปวัฒนธรรม",
    "ความร่วมมือระหว่างท้องถิ่น", "รัฐบาลดิจิทัลในท้องถิ่น", "ข้อมูลเปิดภาครัฐ", "การคลังท้องถิ่น",
    "เงินอุดหนุนจากรัฐบาล", "การกู้เงินและการก่อหนี้", "การประเมินผลการปฏิบัติราชการ",
    "การพัฒนาบุคลากร", "การรับเรื่องร้องเรียน", "การจัดการภัยแล้ง", "การป้องกันอุทกภัย",
    "การจราจรและขนส่งสาธารณะ", "การกำจัดสิ่งปฏิกูล", "ห้องสมุดชุมชน",
]  # fmt: skip
ASPECTS = [
    "", "หลักเกณฑ์", "แนวทางปฏิบัติ", "คู่มือ", "ประวัติ", "กฎหมายที่เกี่ยวข้อง", "ปัญหาที่พบบ่อย",
    "ตัวอย่างที่ดี", "ขั้นตอน", "บทบาทของผู้บริหาร", "งบประมาณ", "ตัวชี้วัด", "การติดตามผล",
    "ข้อควรระวัง", "คำถามที่พบบ่อย", "แบบฟอร์ม", "การรายงานผล", "ความรู้เบื้องต้น", "แนวโน้ม",
    "กรณีศึกษา", "บทเรียน", "การประสานงาน", "มาตรฐาน", "สถิติ", "อภิธานศัพท์", "ความเสี่ยง",
    "การวางแผน", "การประเมิน", "นวัตกรรม", "การสื่อสาร", "เทคโนโลยี", "การฝึกอบรม", "ระเบียบ",
    "ประเด็นปฏิรูป", "การจัดการความรู้", "แหล่งข้อมูล", "ข้อเสนอแนะ", "การเปรียบเทียบ",
    "ต้นทุน", "ผลกระทบ",
]  # fmt: skip
SENTENCES = [
    "องค์กรปกครองส่วนท้องถิ่นมีหน้าที่จัดบริการสาธารณะให้ประชาชนในพื้นที่อย่างทั่วถึง",
    "การดำเนินงานต้องเป็นไปตามระเบียบกระทรวงมหาดไทยที่เกี่ยวข้องและประกาศของคณะกรรมการการกระจายอำนาจ",
    "ผู้บริหารท้องถิ่นควรเปิดโอกาสให้ประชาชนมีส่วนร่วมตั้งแต่การวางแผนจนถึงการติดตามผล",
    "เทศบาลและองค์การบริหารส่วนตำบลหลายแห่งได้พัฒนาวิธีการทำงานที่ลดขั้นตอนและประหยัดงบประมาณ",
    "ข้อมูลที่ถูกต้องและเป็นปัจจุบันช่วยให้การตัดสินใจของสภาท้องถิ่นมีคุณภาพมากขึ้น",
    "ควรจัดทำรายงานผลการดำเนินงานเผยแพร่ต่อสาธารณะอย่างน้อยปีละหนึ่งครั้ง",
    "การประสานงานกับส่วนราชการในระดับอำเภอและจังหวัดเป็นปัจจัยสำคัญของความสำเร็จ",
    "ท้องถิ่นขนาดเล็กอาจร่วมมือกันจัดบริการเพื่อให้เกิดความคุ้มค่าทางเศรษฐกิจ",
    "บุคลากรควรได้รับการฝึกอบรมอย่างต่อเนื่องเพื่อให้ทันต่อการเปลี่ยนแปลงของกฎหมาย",
    "ประชาชนสามารถตรวจสอบการใช้จ่ายงบประมาณได้จากประกาศและเว็บไซต์ของหน่วยงาน",
    "ปัญหาที่พบบ่อยคือความล่าช้าในการเบิกจ่ายและการขาดแคลนบุคลากรที่มีความรู้เฉพาะด้าน",
    "การใช้เทคโนโลยีสารสนเทศช่วยลดภาระงานเอกสารและเพิ่มความโปร่งใส",
    "ควรมีการประเมินความเสี่ยงก่อนเริ่มโครงการที่ใช้งบประมาณสูง",
    "ตัวชี้วัดที่ชัดเจนช่วยให้ติดตามความก้าวหน้าและเปรียบเทียบกับท้องถิ่นอื่นได้",
    "ชุมชนที่เข้มแข็งเป็นรากฐานของการพัฒนาท้องถิ่นอย่างยั่งยืน",
    "การจัดเก็บรายได้ของท้องถิ่นเองช่วยลดการพึ่งพาเงินอุดหนุนจากรัฐบาล",
]
EDITS = [
    ("องค์กรปกครองส่วนท้องถิ่น", "องค์กรปกครองส่วนท้องถิ่นทุกรูปแบบ"),
    ("ประชาชน", "ประชาชนและภาคีเครือข่าย"),
    ("งบประมาณ", "เงินงบประมาณ"),
    ("ควร", "จำเป็นต้อง"),
]
COMMENTS = ["เพิ่มรายละเอียด", "แก้ไขถ้อยคำ", "ปรับปรุงตามระเบียบใหม่", "เพิ่มตัวอย่าง"]
AUTHORS = ["editor", "citizen", "officer", "provincial", "admin"]


def demo_titles(count: int) -> list[str]:
    """`count` distinct titles, the same on every run (the first one has three revisions:
    `bench/pages.py` reads it and its diff)."""
    titles = []
    for aspect in ASPECTS:
        for subject in SUBJECTS:
            titles.append(f"{aspect}{subject}" if aspect else subject)
    return titles[:count]


def _text(rng: random.Random, title: str, titles: list[str]) -> str:
    links = rng.sample(titles, k=min(3, len(titles)))
    wanted = f"{rng.choice(ASPECTS[1:])}{rng.choice(SUBJECTS)}ในอนาคต"
    sections = []
    for heading in ("ความเป็นมา", "สาระสำคัญ", "ข้อเสนอแนะ"):
        paragraph = "".join(rng.choices(SENTENCES, k=rng.randint(3, 6)))
        sections.append(f"## {heading}\n\n{paragraph}")
    items = "\n".join(f"- {sentence}" for sentence in rng.sample(SENTENCES, k=3))
    see_also = "\n".join(f"- [[{link}]]" for link in links if link != title)
    return (
        f"**{title}** เป็นบทความตัวอย่างของสารานุกรมท้องถิ่น (ข้อมูลตัวอย่าง ไม่ใช่ข้อมูลจริง)\n\n"
        + "\n\n".join(sections)
        + f"\n\n### ประเด็นสำคัญ\n\n{items}\n\n## ดูเพิ่ม\n\n{see_also}\n- [[{wanted}]]\n"
    )


def seed_wiki(*, scale: str, stdout) -> list[str]:
    """Write the demo wiki once (nothing when demo pages exist already)."""
    if WikiPage.objects.filter(is_demo=True).exists():
        return []
    titles = demo_titles(PAGES.get(scale, PAGES["small"]))
    titles = [title for title in titles if not WikiPage.objects.filter(title=title).exists()]
    slugs = {title: title_to_slug(title) for title in titles}
    urls = {title: reverse("knowledge:wiki-page", args=[slug]) for title, slug in slugs.items()}
    users = dict(User.objects.filter(username__in=AUTHORS).values_list("username", "pk"))
    author_ids = [users.get(name) for name in AUTHORS]
    rng = random.Random(2569)

    # texts[page] = the text of each revision, oldest first
    texts: list[list[str]] = []
    for index, title in enumerate(titles):
        text = _text(rng, title, titles)
        versions = [text]
        for number in range((index + 2) % 3):
            old, new = EDITS[(index + number) % len(EDITS)]
            text = text.replace(old, new, 1 + number)
            versions.append(text)
        texts.append(versions)
    rendered = {}

    def render(text: str) -> str:
        if text not in rendered:
            rendered[text] = render_markdown(text, resolve=urls.get)
        return rendered[text]

    pages = WikiPage.objects.bulk_create(
        WikiPage(
            title=title,
            slug=slugs[title],
            html=render(texts[index][-1]),
            revision_number=len(texts[index]),
            is_demo=True,
        )
        for index, title in enumerate(titles)
    )
    # One level of revisions at a time: each needs its parent's id.
    parents: dict[int, WikiRevision] = {}
    for number in range(1, 4):
        level = [
            WikiRevision(
                page=page,
                number=number,
                parent=parents.get(page.pk),
                text=texts[index][number - 1],
                html=render(texts[index][number - 1]),
                size=len(texts[index][number - 1]),
                author_id=author_ids[(index + number) % len(author_ids)],
                comment="สร้างหน้า" if number == 1 else COMMENTS[(index + number) % len(COMMENTS)],
            )
            for index, page in enumerate(pages)
            if len(texts[index]) >= number
        ]
        for revision in WikiRevision.objects.bulk_create(level, batch_size=1000):
            parents[revision.page_id] = revision
    WikiLink.objects.bulk_create(
        (
            WikiLink(source=page, target_title=title)
            for page, versions in zip(pages, texts, strict=True)
            for title in _link_titles(versions[-1])
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # Spread the history over the past year, so recent changes look like a living wiki.
        cursor.execute(
            """
            UPDATE knowledge_wikirevision r
               SET created_at = now() - make_interval(
                       days => (330 - (r.page_id * 7) % 300 - r.number * 10)::int,
                       mins => ((r.page_id * 37) % 1440)::int)
              FROM knowledge_wikipage p
             WHERE p.id = r.page_id AND p.is_demo
            """
        )
        cursor.execute(
            """
            UPDATE knowledge_wikipage p
               SET current_id = r.id, updated_at = r.created_at
              FROM knowledge_wikirevision r
             WHERE r.page_id = p.id AND r.number = p.revision_number AND p.is_demo
            """
        )
    stdout.write(f"  wiki: {len(pages)} demo pages")
    return []


def _link_titles(text: str) -> list[str]:
    return list(dict.fromkeys(normalize_title(title) for title in internal_link_titles(text)))
