"""Demo documents (labelled demo data): `--scale national` makes 20,000 documents with more than
100 million characters of Thai text, the small scale a few hundred.

Text is put together from a vocabulary of local-government phrases, fast: sentences are drawn
once, paragraphs are draws of sentences. The paragraphs are grouped into search chunks with the
same rule as `search.chunk_text` (`group_paragraphs`), and documents, their LAOs and their chunks
go in by COPY (`units.bulk.copy_rows`). A few rare terms sit in a few documents only, so that a
search for a rare word has something to find.
"""

import random

from django.db import connection, transaction
from django.utils import timezone

from knowledge.search import group_paragraphs
from units.bulk import copy_rows, reserve_ids

NATIONAL_DOCUMENTS = 20_000
SMALL_DOCUMENTS = 300
# Characters of text a document has, (min, max): the national mean (~5,250) × 20,000 > 100M.
NATIONAL_LENGTH = (2_500, 8_000)
SMALL_LENGTH = (1_000, 3_000)

SUBJECTS = (
    "องค์กรปกครองส่วนท้องถิ่น", "เทศบาลตำบล", "องค์การบริหารส่วนตำบล", "ประชาคมหมู่บ้าน",
    "คณะกรรมการพัฒนาท้องถิ่น", "สภาองค์กรชุมชน", "อาสาสมัครสาธารณสุข", "ผู้สูงอายุในชุมชน",
    "กลุ่มวิสาหกิจชุมชน", "โรงเรียนในสังกัด", "ศูนย์พัฒนาเด็กเล็ก", "กองคลัง", "กองช่าง",
    "สำนักปลัด", "ผู้บริหารท้องถิ่น", "สมาชิกสภาท้องถิ่น", "เจ้าหน้าที่ผู้ปฏิบัติงาน",
)  # fmt: skip
ACTIONS = (
    "ได้จัดทำแผนพัฒนาท้องถิ่น", "ได้ดำเนินการจัดเก็บรายได้", "ได้ปรับปรุงระบบประปาหมู่บ้าน",
    "ได้ส่งเสริมการคัดแยกขยะ", "ได้จัดบริการสาธารณะ", "ได้ก่อสร้างถนนคอนกรีตเสริมเหล็ก",
    "ได้ถ่ายโอนภารกิจด้านการศึกษา", "ได้พัฒนาบุคลากร", "ได้เบิกจ่ายงบประมาณ",
    "ได้รับฟังความคิดเห็นของประชาชน", "ได้จัดตั้งกองทุนหลักประกันสุขภาพ", "ได้ซ่อมแซมรางระบายน้ำ",
    "ได้ติดตั้งไฟฟ้าส่องสว่าง", "ได้ส่งเสริมอาชีพ", "ได้จัดทำข้อบัญญัติงบประมาณ",
    "ได้ดูแลผู้ป่วยติดเตียง", "ได้ป้องกันและบรรเทาสาธารณภัย", "ได้จัดการน้ำเสียชุมชน",
)  # fmt: skip
MANNERS = (
    "อย่างต่อเนื่อง", "ร่วมกับภาคประชาชน", "ตามระเบียบกระทรวงมหาดไทย", "ภายใต้งบประมาณที่จำกัด",
    "โดยใช้เทคโนโลยีสารสนเทศ", "ตามหลักธรรมาภิบาล", "อย่างมีประสิทธิภาพ", "ในปีงบประมาณที่ผ่านมา",
    "โดยการมีส่วนร่วมของชุมชน", "ด้วยความโปร่งใส", "ตามแผนการดำเนินงาน", "ร่วมกับหน่วยงานภาครัฐ",
)  # fmt: skip
RESULTS = (
    "ทำให้คุณภาพชีวิตของประชาชนดีขึ้น", "ส่งผลให้ลดค่าใช้จ่ายลงได้มาก", "ทำให้รายได้ท้องถิ่นเพิ่มขึ้น",
    "ช่วยลดปริมาณขยะในชุมชน", "ได้รับความพึงพอใจจากประชาชน", "ยังพบปัญหาและอุปสรรคบางประการ",
    "เป็นแบบอย่างให้ท้องถิ่นอื่น", "ควรมีการศึกษาเพิ่มเติม", "สามารถขยายผลไปยังพื้นที่อื่นได้",
)  # fmt: skip
TITLE_TOPICS = (
    "การจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง", "การบริหารจัดการขยะมูลฝอย", "การถ่ายโอนภารกิจ",
    "การจัดทำแผนพัฒนาท้องถิ่นสี่ปี", "การดูแลผู้สูงอายุระยะยาว", "ศูนย์พัฒนาเด็กเล็ก",
    "การบริหารงานบุคคล", "การเบิกจ่ายงบประมาณ", "การมีส่วนร่วมของประชาชน", "ระบบประปาหมู่บ้าน",
    "การป้องกันสาธารณภัย", "ธรรมาภิบาลท้องถิ่น", "การส่งเสริมอาชีพชุมชน", "การจัดการน้ำเสีย",
)  # fmt: skip
TITLE_FORMS = {
    "research": "การศึกษา{topic}ขององค์กรปกครองส่วนท้องถิ่น",
    "report": "รายงานผลการศึกษา{topic} ปี {year}",
    "good_practice": "แนวปฏิบัติที่ดี: {topic}",
    "academic": "บทความวิชาการเรื่อง{topic}",
    "article": "ข่าว: ท้องถิ่นกับ{topic}",
    "manual": "คู่มือ{topic}สำหรับท้องถิ่น",
}
KIND_WEIGHTS = {
    "research": 20,
    "report": 20,
    "good_practice": 15,
    "academic": 15,
    "article": 15,
    "manual": 15,
}
TOPICS = ("planning", "finance", "personnel", "transfer", "services", "infrastructure",
          "environment", "health", "education", "participation")  # fmt: skip
SOURCES = ("กรมส่งเสริมการปกครองท้องถิ่น", "สถาบันพระปกเกล้า", "มหาวิทยาลัยขอนแก่น",
           "มหาวิทยาลัยเชียงใหม่", "สำนักงานคณะกรรมการการกระจายอำนาจฯ", "หนังสือพิมพ์ท้องถิ่น")  # fmt: skip
AUTHORS = ("สมชาย ใจดี", "มาลี ศรีสุข", "ประเสริฐ บุญมา", "วรรณา แก้วมณี", "ธนพล ทองดี",
           "กาญจนา สุขสวัสดิ์", "ชาญชัย พูลผล", "รัตนา วงศ์ใหญ่")  # fmt: skip
# Each appears in one document in RARE_EVERY (the bench's "rare word").
RARE_TERMS = ("บึงประดิษฐ์", "ธนาคารขยะรีไซเคิล", "หลุมพอเพียง", "ฝายชะลอน้ำแกนดินซีเมนต์")
RARE_EVERY = 997
DOCUMENT_COLUMNS = [
    "id", "kind", "status", "title", "abstract", "body", "authors", "year", "source", "tags",
    "topics", "lao_id", "practice_result", "practice_cost", "practice_contact", "download_count",
    "version", "return_comment", "published_at", "created_at", "updated_at", "is_demo",
]  # fmt: skip


def _sentences(rng: random.Random, count: int) -> list[str]:
    return [
        f"{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}{rng.choice(MANNERS)} {rng.choice(RESULTS)}"
        for _ in range(count)
    ]


def _paragraphs(rng: random.Random, sentences: list[str], length: int) -> list[str]:
    paragraphs, size = [], 0
    while size < length:
        paragraph = " ".join(rng.choices(sentences, k=rng.randint(3, 7)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return paragraphs


@transaction.atomic
def documents_seed(
    *,
    count: int,
    length: tuple[int, int],
    seed: str = "knowledge",
    rebuild_index_from: int = 5_000,
) -> dict:
    """Generate `count` published demo documents (none when demo documents exist); returns the
    numbers of documents, chunks and characters. From `rebuild_index_from` documents into an
    empty table, the chunks' trigram index is dropped and built once after the load."""
    from knowledge.models import Document
    from units.models import LAO

    if Document.objects.filter(is_demo=True).exists():
        return {"documents": 0, "chunks": 0, "characters": 0}
    rng = random.Random(seed)
    laos = list(LAO.objects.active().order_by("pk").values_list("pk", flat=True))
    sentences = _sentences(rng, 4000)
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    first = reserve_ids("knowledge_document", count)
    # Building the chunks' trigram index once after the COPY is faster than growing it row by
    # row (national: ~75 s for 110M characters, against ~150 s in all with the index in place).
    rebuild = count >= rebuild_index_from and not _count("knowledge_documentchunk")
    if rebuild:
        _execute("DROP INDEX chunk_text_trgm")
    now = timezone.now()
    documents, links, chunks, characters = [], [], [], 0
    for number in range(count):
        pk = first + number
        kind = rng.choices(kinds, weights)[0]
        if kind == "good_practice" and not laos:  # a good practice belongs to an LAO
            kind = "research"
        year = rng.randint(2555, 2568)
        topic_title = rng.choice(TITLE_TOPICS)
        paragraphs = _paragraphs(rng, sentences, rng.randint(*length))
        if number % RARE_EVERY == 0:
            term = RARE_TERMS[(number // RARE_EVERY) % len(RARE_TERMS)]
            paragraphs[len(paragraphs) // 2] += f" ทั้งนี้ได้นำ{term}มาใช้ในพื้นที่"
        abstract = paragraphs[0]
        body = "\n\n".join(paragraphs[1:])
        characters += len(abstract) + len(body)
        lao_id = rng.choice(laos) if laos and kind == "good_practice" else None
        concerned = {lao_id} if lao_id else set()
        if laos and rng.random() < 0.3:
            concerned.add(rng.choice(laos))
        links += [(pk, lao) for lao in concerned]
        published = now - timezone.timedelta(days=rng.randint(0, 3650), minutes=number)
        documents.append((
            pk, kind, "published", TITLE_FORMS[kind].format(topic=topic_title, year=year),
            abstract, body, rng.choice(AUTHORS), year, rng.choice(SOURCES), [topic_title[:60]],
            rng.sample(TOPICS, rng.randint(1, 3)), lao_id,
            rng.choice(RESULTS) if lao_id else "", rng.randint(10, 5000) * 1000 if lao_id else None,
            "กองช่าง โทร 0 2000 0000" if lao_id else "", rng.randint(0, 400), 1, "", published,
            published, published, True,
        ))  # fmt: skip
        chunks += [
            (pk, position, text)
            for position, text in enumerate(group_paragraphs([abstract, *paragraphs[1:]]))
        ]
        if len(chunks) > 50_000:
            _flush(documents, links, chunks)
            documents, links, chunks = [], [], []
    _flush(documents, links, chunks)
    if rebuild:  # the definition of DocumentChunk.Meta.indexes
        # The COPYs left deferred foreign-key checks pending on the table, and PostgreSQL builds
        # no index on a table with pending trigger events: run the checks now.
        _execute("SET CONSTRAINTS ALL IMMEDIATE")
        _execute("SET LOCAL maintenance_work_mem = '512MB'")
        _execute(
            "CREATE INDEX chunk_text_trgm ON knowledge_documentchunk USING gin (text gin_trgm_ops)"
        )
    total_chunks = _count("knowledge_documentchunk")
    return {"documents": count, "chunks": total_chunks, "characters": characters}


def _flush(documents, links, chunks) -> None:
    copy_rows("knowledge_document", DOCUMENT_COLUMNS, documents)
    copy_rows("knowledge_document_laos", ["document_id", "lao_id"], links)
    copy_rows("knowledge_documentchunk", ["document_id", "position", "text"], chunks)


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def seed_knowledge(*, scale: str, stdout) -> list[str]:
    """seed_demo step: demo documents (national: 20,000 with over 100M characters of Thai)."""
    national = scale != "small"
    done = documents_seed(
        count=NATIONAL_DOCUMENTS if national else SMALL_DOCUMENTS,
        length=NATIONAL_LENGTH if national else SMALL_LENGTH,
    )
    stdout.write(
        f"knowledge: {done['documents']} documents, {done['chunks']} chunks, "
        f"{done['characters']:,} characters of text"
    )
    return []
