"""The good practice workflow: an LAO officer proposes, an editor publishes or returns it with a
comment; a published one shows on its LAO's profile and is suggested to similar LAOs."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from knowledge.models import Document, DocumentStatus
from knowledge.tests.factories import good_practice
from units import stamps
from units.models import LAO
from units.similar import register_similar_laos_provider

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "title": "ธนาคารขยะรีไซเคิลในโรงเรียน",
    "body": "ตั้งธนาคารขยะในโรงเรียนทุกแห่ง",
    "practice_result": "ขยะลดลงร้อยละ 30",
    "practice_cost": "25000",
    "practice_contact": "กองสาธารณสุข โทร 0 2000 0000",
}


def propose(client, officer) -> Document:
    client.force_login(officer)
    response = client.post(reverse("knowledge:good-practice-new"), PROPOSAL)
    assert response.status_code == 302
    return Document.objects.get(title=PROPOSAL["title"])


def step(client, name, document, **data):
    url = reverse(f"knowledge:good-practice-{name}", args=[document.pk])
    return client.post(url, {"version": document.version, "confirm": "yes", **data})


def test_proposed_returned_revised_published(client, tree):
    proposal = propose(client, tree.officer)
    assert proposal.status == DocumentStatus.SUBMITTED and proposal.lao == tree.lao
    assert list(proposal.laos.all()) == [tree.lao]

    client.force_login(tree.editor)
    html = client.get(reverse("knowledge:good-practices")).content.decode()
    assert PROPOSAL["title"] in html
    assert step(client, "return", proposal, comment="เพิ่มรูปภาพประกอบ").status_code == 302
    proposal.refresh_from_db()
    assert (
        proposal.status == DocumentStatus.RETURNED and proposal.return_comment == "เพิ่มรูปภาพประกอบ"
    )

    client.force_login(tree.officer)
    assert "เพิ่มรูปภาพประกอบ" in client.get(reverse("knowledge:good-practices")).content.decode()
    response = client.post(
        reverse("knowledge:document-edit", args=[proposal.pk]),
        {**PROPOSAL, "body": "ตั้งธนาคารขยะ พร้อมรูปภาพ", "version": proposal.version},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == DocumentStatus.SUBMITTED

    client.force_login(tree.editor)
    assert step(client, "publish", proposal).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == DocumentStatus.PUBLISHED and proposal.published_at
    client.logout()
    assert client.get(proposal.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "who", ["anonymous", "citizen", "staff", "executive", "neighbour_officer", "officer"]
)
def test_only_editors_review(client, tree, who):
    proposal = good_practice(tree.lao, status=DocumentStatus.SUBMITTED, submitted_by=tree.officer)
    if who != "anonymous":
        client.force_login(getattr(tree, who))
    response = step(client, "publish", proposal)
    assert response.status_code in (302, 404)
    if who != "anonymous":
        assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == DocumentStatus.SUBMITTED


def test_only_the_lao_s_officers_propose(client, tree):
    for user in (tree.citizen, tree.staff, tree.editor):
        client.force_login(user)
        assert client.post(reverse("knowledge:good-practice-new"), PROPOSAL).status_code == 404
    assert not Document.objects.exists()


def test_a_stale_version_is_refused(client, tree):
    proposal = good_practice(tree.lao, status=DocumentStatus.SUBMITTED, submitted_by=tree.officer)
    client.force_login(tree.editor)
    client.post(
        reverse("knowledge:good-practice-publish", args=[proposal.pk]),
        {"version": proposal.version + 1, "confirm": "yes"},
    )
    proposal.refresh_from_db()
    assert proposal.status == DocumentStatus.SUBMITTED


def test_profile_shows_own_documents_and_suggests_similar_laos_practices(
    client, tree, django_assert_num_queries
):
    from knowledge.tests.factories import DocumentFactory

    own = good_practice(tree.lao, title="ประปาหมู่บ้านบริหารโดยชุมชน")
    DocumentFactory(
        title="ไม่ได้เผยแพร่", kind="good_practice", lao=tree.neighbour, status="submitted"
    )
    html = client.get(tree.neighbour.get_absolute_url()).content.decode()
    assert "ประปาหมู่บ้านบริหารโดยชุมชน" in html  # same kind, same province: similar
    assert "ไม่ได้เผยแพร่" not in html
    html = client.get(tree.lao.get_absolute_url()).content.decode()
    assert own.title in html
    # An LAO of another kind is not similar; a registered provider (benchmarks) decides instead.
    LAO.objects.filter(pk=tree.far.pk).update(kind="town")
    stamps.bump(stamps.UNITS)  # as the registry's bulk writers do
    tree.far.refresh_from_db()
    assert own.title not in client.get(tree.far.get_absolute_url()).content.decode()
    previous = register_similar_laos_provider(lambda lao, limit: LAO.objects.filter(pk=tree.lao.pk))
    cache.clear()  # a provider is registered at start-up, before any page is stored
    try:
        assert own.title in client.get(tree.far.get_absolute_url()).content.decode()
    finally:
        register_similar_laos_provider(previous)


def test_profile_section_costs_three_queries(tree, rf, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    from knowledge.profile import knowledge_section_context

    good_practice(tree.neighbour)
    request = rf.get("/")
    request.user = AnonymousUser()
    # About the LAO, suggested from similar LAOs, and the newest year of the LAO's nearest
    # neighbours (the provider benchmarks registers).
    with django_assert_num_queries(3):
        context = knowledge_section_context(tree.lao, request)
        assert len(context["suggested"]) == 1 and context["about"] == []
