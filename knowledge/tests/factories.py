"""Factories of documents (published through the ORM: tests of services build through them)."""

import factory
from django.utils import timezone

from knowledge.models import Document, DocumentKind, DocumentStatus
from knowledge.services import document_chunks_rebuild


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    kind = DocumentKind.RESEARCH
    status = DocumentStatus.PUBLISHED
    title = factory.Sequence(lambda n: f"รายงานการศึกษาที่ {n}")
    abstract = "บทคัดย่อของรายงาน"
    body = "องค์กรปกครองส่วนท้องถิ่นได้ดำเนินการตามแผนพัฒนา"
    authors = "สมชาย ใจดี"
    year = 2567
    source = "กรมส่งเสริมการปกครองท้องถิ่น"
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def chunks(obj, create, extracted, **kwargs):
        if create:
            document_chunks_rebuild(document=obj)


def good_practice(lao, **fields) -> Document:
    """A published good practice of `lao` (which it also concerns)."""
    document = DocumentFactory(kind=DocumentKind.GOOD_PRACTICE, lao=lao, **fields)
    document.laos.add(lao)
    return document
