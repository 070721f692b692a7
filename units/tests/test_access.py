"""The whole role × (own LAO, other LAO in the same province, LAO in another province) matrix,
and each other rule of units/access.py once: anonymous, wrong scope, right scope."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from units import access
from units.models import Role
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    home = ProvinceFactory(code="40")
    other = ProvinceFactory(code="41")
    own = LAOFactory(subdistrict__district=DistrictFactory(province=home))
    neighbour = LAOFactory(subdistrict__district=DistrictFactory(province=home))
    far = LAOFactory(subdistrict__district=DistrictFactory(province=other))
    return {"home": home, "own": own, "same_province": neighbour, "other_province": far}


def make_user(role, tree):
    scope = {}
    if role == Role.OFFICER:
        scope["lao"] = tree["own"]
    if role == Role.PROVINCIAL:
        scope["province"] = tree["home"]
    return UserFactory(role=role, is_superuser=role == Role.ADMIN, **scope)


# role → may edit (own, same province, other province)
MATRIX = {
    Role.CITIZEN: (False, False, False),
    Role.OFFICER: (True, False, False),
    Role.PROVINCIAL: (True, True, False),
    Role.EXECUTIVE: (False, False, False),
    Role.EDITOR: (False, False, False),
    Role.ADMIN: (True, True, True),
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_edit_scope_matrix(role, tree):
    user = make_user(role, tree)
    expected = MATRIX[role]
    targets = ("own", "same_province", "other_province")
    for target, allowed in zip(targets, expected, strict=True):
        lao = tree[target]
        assert access.can_edit_lao(user, lao) is allowed, (role, target)
        assert access.laos_managed_by(user).filter(pk=lao.pk).exists() is allowed
        assert (lao.dla_code in access.lao_codes_in_scope(user)) is allowed
        if allowed:
            assert access.lao_for_user(user, lao.dla_code) == lao
        else:
            with pytest.raises(Http404):
                access.lao_for_user(user, lao.dla_code)


def test_anonymous_visitors_change_nothing(tree):
    anonymous = AnonymousUser()
    assert not access.can_edit_lao(anonymous, tree["own"])
    assert not access.laos_managed_by(anonymous).exists()
    assert not access.can_upload(anonymous)
    assert not access.can_view_back_office(anonymous)


def test_a_deactivated_officer_changes_nothing(tree):
    officer = make_user(Role.OFFICER, tree)
    officer.is_active = False
    assert not access.can_edit_lao(officer, tree["own"])


@pytest.mark.parametrize(
    ("role", "may_upload", "back_office"),
    [
        (Role.CITIZEN, False, False),
        (Role.OFFICER, False, True),
        (Role.PROVINCIAL, True, True),
        (Role.EXECUTIVE, False, True),
        (Role.EDITOR, False, True),
        (Role.ADMIN, True, True),
    ],
)
def test_upload_and_back_office_rights(role, may_upload, back_office, tree):
    user = make_user(role, tree)
    assert access.can_upload(user) is may_upload
    assert access.can_view_back_office(user) is back_office


@pytest.mark.parametrize(
    ("role", "work_page", "report_status"),
    [
        (Role.CITIZEN, False, False),
        (Role.OFFICER, True, False),
        (Role.PROVINCIAL, True, True),
        (Role.EXECUTIVE, False, True),
        (Role.EDITOR, False, False),
        (Role.ADMIN, True, True),
    ],
)
def test_work_page_and_report_status_rights(
    role, work_page, report_status, tree, django_assert_num_queries
):
    user = make_user(role, tree)
    with django_assert_num_queries(0):  # asked by the header of every page
        assert access.has_work_page(user) is work_page
    assert access.reads_report_status(user) is report_status
    user.is_active = False
    assert not access.has_work_page(user) and not access.reads_report_status(user)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", set()),
        ("citizen", set()),
        ("officer", set()),
        ("editor", set()),
        ("provincial", {"40"}),
        ("far provincial", {"41"}),
        ("executive", {"40", "41"}),
        ("admin", {"40", "41"}),
        ("inactive executive", set()),
        ("inactive provincial", set()),
    ],
)
def test_provinces_read_by(who, expected, tree):
    user = person(who, tree)
    assert set(access.provinces_read_by(user).values_list("code", flat=True)) == expected


def test_anonymous_visitors_have_no_work_page_nor_report_status():
    assert not access.has_work_page(AnonymousUser())
    assert not access.reads_report_status(AnonymousUser())


def test_missing_and_out_of_scope_look_the_same(tree):
    officer = make_user(Role.OFFICER, tree)
    with pytest.raises(Http404) as missing:
        access.lao_for_user(officer, "9999999")
    with pytest.raises(Http404) as forbidden:
        access.lao_for_user(officer, tree["other_province"].dla_code)
    assert str(missing.value) == str(forbidden.value)


def person(who, tree):
    """`anonymous`, a role (in the tree's home scope), `far provincial` (another province),
    `neighbour officer` (another LAO of the home province), or `inactive <role>`."""
    if who == "anonymous":
        return AnonymousUser()
    if who == "far provincial":
        return UserFactory(role=Role.PROVINCIAL, province=tree["other_province"].province)
    if who == "neighbour officer":
        return UserFactory(role=Role.OFFICER, lao=tree["same_province"])
    inactive = who.startswith("inactive ")
    user = make_user(Role(who.removeprefix("inactive ")), tree)
    user.is_active = not inactive
    return user


# who → (reads_all, can_see_unpublished_plans of the own LAO, can_review the own LAO)
READ_AND_REVIEW = {
    "anonymous": (False, False, False),
    "citizen": (False, False, False),
    "editor": (False, False, False),
    "neighbour officer": (False, False, False),
    "far provincial": (False, False, False),
    "officer": (False, True, False),  # prepares and submits its LAO's plans, reviews none
    "provincial": (False, True, True),
    "executive": (True, True, False),  # reads everything, reviews nothing
    "admin": (True, True, True),
    "inactive executive": (False, False, False),
    "inactive admin": (False, False, False),
    "inactive provincial": (False, False, False),
}


@pytest.mark.parametrize("who", list(READ_AND_REVIEW))
def test_read_and_review_scope(who, tree):
    user = person(who, tree)
    reads_all, sees_unpublished, reviews = READ_AND_REVIEW[who]
    assert access.reads_all(user) is reads_all
    assert access.can_see_unpublished_plans(user, tree["own"]) is sees_unpublished
    assert access.can_review(user, tree["own"]) is reviews


# who → may explain (own LAO, LAO of the same province)
EXPLAIN = {
    "anonymous": (False, False),
    "citizen": (False, False),
    "editor": (False, False),
    "executive": (False, False),
    "neighbour officer": (False, True),
    "officer": (True, False),
    "provincial": (False, False),  # approves what the LAO writes, writes none itself
    "far provincial": (False, False),
    "admin": (True, True),
    "inactive admin": (False, False),
}


@pytest.mark.parametrize("who", list(EXPLAIN))
def test_explain_scope(who, tree):
    user = person(who, tree)
    own, same_province = EXPLAIN[who]
    assert access.can_explain(user, tree["own"]) is own
    assert access.can_explain(user, tree["same_province"]) is same_province


# who → may (create or edit an open wiki page, edit a protected one / protect pages)
WIKI = {
    "anonymous": (False, False),
    "citizen": (True, False),  # any registered user edits the wiki
    "officer": (True, False),
    "executive": (True, False),
    "editor": (True, True),
    "admin": (True, True),
    "inactive citizen": (False, False),
    "inactive editor": (False, False),
}


@pytest.mark.parametrize("who", list(WIKI))
def test_wiki_scope(who, tree, django_assert_num_queries):
    user = person(who, tree)
    edits, edits_protected = WIKI[who]
    with django_assert_num_queries(0):
        assert access.can_edit_wiki(user) is edits
        assert access.can_edit_wiki(user, SimpleNamespace(protected=False)) is edits
        assert access.can_edit_wiki(user, SimpleNamespace(protected=True)) is edits_protected
        assert access.can_edit_protected_wiki(user) is edits_protected


# who → (publishes documents and reviews good practices, proposes one for the own LAO, for a
# neighbour)
KNOWLEDGE = {
    "anonymous": (False, False, False),
    "citizen": (False, False, False),
    "officer": (False, True, False),
    "neighbour officer": (False, False, True),
    "provincial": (False, False, False),
    "executive": (False, False, False),
    "editor": (True, False, False),
    "admin": (True, True, True),
    "inactive officer": (False, False, False),
    "inactive editor": (False, False, False),
}


@pytest.mark.parametrize("who", list(KNOWLEDGE))
def test_knowledge_scope(who, tree, django_assert_num_queries):
    user = person(who, tree)
    edits, proposes_own, proposes_neighbour = KNOWLEDGE[who]
    with django_assert_num_queries(0):
        assert access.is_knowledge_editor(user) is edits
        assert access.can_propose_good_practice(user, tree["own"]) is proposes_own
        assert access.can_propose_good_practice(user, tree["same_province"]) is proposes_neighbour


# who → (may post, moderates the webboard, answers officially for the own LAO, for a neighbour)
FORUMS = {
    "anonymous": (False, False, False, False),
    "citizen": (True, False, False, False),
    "officer": (True, False, True, False),
    "neighbour officer": (True, False, False, True),  # answers for their own LAO only
    "provincial": (True, False, False, False),
    "executive": (True, False, False, False),
    "editor": (True, True, False, False),
    "admin": (True, True, False, False),
    "inactive officer": (False, False, False, False),
    "inactive editor": (False, False, False, False),
}


@pytest.mark.parametrize("who", list(FORUMS))
def test_forum_scope(who, tree, django_assert_num_queries):
    user = person(who, tree)
    posts, moderates, answers_own, answers_neighbour = FORUMS[who]
    with django_assert_num_queries(0):
        assert access.can_post_in_forums(user) is posts
        assert access.is_forum_moderator(user) is moderates
        assert access.can_answer_for_lao(user, tree["own"]) is answers_own
        assert access.can_answer_for_lao(user, tree["same_province"]) is answers_neighbour


def test_forum_moderator_by_permission_needs_a_staff_account(tree):
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(codename="moderate_board", content_type__app_label="forums")
    staff = UserFactory(role=Role.EXECUTIVE, is_staff=True)
    citizen = UserFactory(role=Role.CITIZEN)
    assert not access.is_forum_moderator(staff)
    for user in (staff, citizen):
        user.user_permissions.add(permission)
    staff = type(staff).objects.get(pk=staff.pk)  # a fresh object: permissions are cached
    citizen = type(citizen).objects.get(pk=citizen.pk)
    assert access.is_forum_moderator(staff)
    assert not access.is_forum_moderator(citizen)


@pytest.mark.parametrize(
    ("who", "submitted_by", "expected"),
    [
        ("anonymous", None, False),
        ("provincial", None, False),  # not submitted (yet)
        ("provincial", "someone else", False),
        ("provincial", "the user", True),
    ],
)
def test_is_submitter(who, submitted_by, expected, tree):
    user = person(who, tree)
    submitters = {
        None: lambda: None,
        "someone else": lambda: UserFactory().pk,
        "the user": lambda: user.pk,
    }
    # Plans and reports both carry `submitted_by_id`; the rule reads nothing else.
    submission = SimpleNamespace(submitted_by_id=submitters[submitted_by]())
    assert access.is_submitter(user, submission) is expected


def _page(request):
    return HttpResponse("page")


@pytest.mark.parametrize(
    ("decorator", "who", "outcome"),
    [
        (access.back_office_required, "anonymous", "login"),
        (access.back_office_required, "citizen", Http404),
        (access.back_office_required, "officer", 200),
        (access.back_office_required, "executive", 200),
        (access.uploader_required, "anonymous", "login"),
        (access.uploader_required, "officer", PermissionDenied),
        (access.uploader_required, "executive", PermissionDenied),
        (access.uploader_required, "provincial", 200),
        (access.uploader_required, "admin", 200),
    ],
)
def test_view_guards(decorator, who, outcome, tree):
    request = RequestFactory().get("/staff-page/")
    request.user = person(who, tree)
    view = decorator(_page)
    if outcome == "login":
        response = view(request)
        assert response.status_code == 302 and reverse("login") in response["Location"]
    elif outcome == 200:
        assert view(request).content == b"page"
    else:
        with pytest.raises(outcome):
            view(request)
