"""The completeness pages: the profile section, a province's list and its reminder list
(XLSX/CSV), e-mail reminders (once a day, only in scope), the national rollup; who may open
what, and the queries each page costs."""

import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from benchmarks.completeness import ITEMS_BY_CODE, completeness_recompute
from benchmarks.models import Completeness, ReminderSent
from budgets.models import PlanStatus
from budgets.tests.factories import BudgetPlanFactory
from units.models import Role
from units.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FULL_PROFILE = {
    "population": 5000,
    "households": 1500,
    "area_km2": Decimal("40.00"),
    "address": "1 หมู่ 1",
    "phone": "02 000 0000",
    "email": "saraban@lao.example.org",
    "chief_executive": "นายก ทดสอบ",
}


@pytest.fixture
def scene(tree):
    """`tree.lao` lacks its budget (its demo e-mail is the only demo field), `tree.neighbour`
    has everything but reports; `far` is in the other province. Computed for this fiscal year."""
    tree.lao.__dict__.update(FULL_PROFILE, demo_fields=["email"])
    tree.lao.save()
    tree.neighbour.__dict__.update(FULL_PROFILE)
    tree.neighbour.save()
    from units.thai import current_fiscal_year

    year = current_fiscal_year()
    BudgetPlanFactory(lao=tree.neighbour, fiscal_year=year, status=PlanStatus.ENACTED)
    completeness_recompute(fiscal_years=[year])
    tree.year = year
    return tree


def province_url(tree, **query):
    url = reverse("benchmarks:completeness-province", args=[tree.province.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- The profile --------------------------------------------------------------------------


@pytest.fixture
def only_completeness_section():
    """The profile with the completeness section alone (other apps' sections and actions cost
    their own queries, pinned in their tests)."""
    from units import profile

    sections, actions = dict(profile._sections), dict(profile._actions)
    profile._sections.clear()
    profile._actions.clear()
    profile._sections["completeness"] = sections["completeness"]
    yield
    profile._sections.clear()
    profile._sections.update(sections)
    profile._actions.update(actions)


def test_profile_shows_score_freshness_and_what_is_missing(
    client, scene, django_assert_num_queries, only_completeness_section
):
    url = reverse("units:detail", args=[scene.lao.url_code])
    with django_assert_num_queries(3):  # the profile's stamps, the LAO, its completeness
        response = client.get(url)
    assert response.status_code == 200
    card = next(card for card in response.context["sections"] if card["key"] == "completeness")
    assert not card["placeholder"]
    html = card["html"]
    row = Completeness.objects.get(lao=scene.lao, fiscal_year=scene.year)
    shown = row.score.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert f'completeness-score">{shown}<' in html
    assert 'data-item="budget"' in html  # missing
    assert "badge-stale" in html  # nothing present has a date
    assert "อีเมล" in html  # the demo field is named


def test_profile_section_without_a_computed_row_says_so(
    client, tree, django_assert_num_queries, only_completeness_section
):
    with django_assert_num_queries(3):  # the profile's stamps, the LAO, its completeness
        response = client.get(reverse("units:detail", args=[tree.lao.url_code]))
    assert "has not been assessed yet" in response.content.decode() or "ยังไม่" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("age", "badge"), [(10, "badge-fresh"), (200, "badge-ageing"), (400, "badge-stale")]
)
def test_profile_badge_follows_the_as_of_date(client, scene, age, badge, only_completeness_section):
    as_of = timezone.localdate() - datetime.timedelta(days=age)
    Completeness.objects.filter(lao=scene.lao).update(as_of=as_of)
    response = client.get(reverse("units:detail", args=[scene.lao.url_code]))
    assert badge in response.content.decode()


# --- The province's list ------------------------------------------------------------------


def test_provincial_staff_see_their_laos_lowest_score_first(
    client, scene, django_assert_num_queries
):
    client.force_login(scene.staff)
    with django_assert_num_queries(6):  # session, user, province, count, page, may remind
        response = client.get(province_url(scene))
    assert response.status_code == 200
    rows = list(response.context["page_obj"])
    assert [row.lao_id for row in rows] == [scene.lao.pk, scene.neighbour.pk]
    assert rows[0].score < rows[1].score
    html = response.content.decode()
    assert scene.far.full_name_th not in html
    assert 'name="lao"' in html  # may remind


def test_the_index_sends_provincial_staff_to_their_province(client, scene):
    client.force_login(scene.staff)
    response = client.get(reverse("benchmarks:completeness") + "?kind=sao")
    assert response.status_code == 302
    assert response.url == province_url(scene) + "?kind=sao"


def test_filters_by_kind_and_missing_item(client, scene):
    client.force_login(scene.staff)
    response = client.get(province_url(scene, missing="budget"))
    assert [row.lao_id for row in response.context["page_obj"]] == [scene.lao.pk]
    response = client.get(province_url(scene, kind="city"))
    assert list(response.context["page_obj"]) == []


@pytest.mark.parametrize("who", ["citizen", "officer", "far_staff", "editor"])
def test_others_get_404(client, scene, who):
    client.force_login(getattr(scene, who))
    assert client.get(province_url(scene)).status_code == 404
    url = reverse("benchmarks:completeness-download", args=[scene.province.code, "xlsx"])
    assert client.get(url).status_code == 404
    if who != "far_staff":
        assert client.get(reverse("benchmarks:completeness")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, scene):
    response = client.get(province_url(scene))
    assert response.status_code == 302 and "login" in response.url


def test_executives_read_any_province_but_may_not_remind(client, scene):
    client.force_login(scene.executive)
    response = client.get(province_url(scene))
    assert response.status_code == 200
    assert 'name="lao"' not in response.content.decode()
    response = client.post(
        reverse("benchmarks:completeness-remind", args=[scene.province.code]),
        {"fiscal_year": scene.year, "lao": [scene.lao.pk], "confirm": "yes"},
    )
    assert response.status_code == 404
    assert ReminderSent.objects.count() == 0


def test_the_reminder_list_opens_in_excel_with_officers_emails(client, scene):
    UserFactory(
        username="lao_officer2", role=Role.OFFICER, lao=scene.lao, email="b@lao.example.org"
    )
    UserFactory(
        username="gone",
        role=Role.OFFICER,
        lao=scene.lao,
        email="gone@lao.example.org",
        is_active=False,
    )
    client.force_login(scene.staff)
    url = reverse("benchmarks:completeness-download", args=[scene.province.code, "xlsx"])
    response = client.get(url + "?missing=budget")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # header + the LAO missing its budget
    header, row = rows
    assert len(header) == 13
    assert (row[2], row[3]) == (scene.lao.dla_code, scene.lao.full_name_th)
    assert str(ITEMS_BY_CODE["budget"].missing) in row[8]  # what is missing, in words
    assert str(ITEMS_BY_CODE["budget"].missing) in row[8]
    assert row[12] == "b@lao.example.org, officer@example.org"  # active officers only
    csv = client.get(url.replace("xlsx", "csv")).content.decode("utf-8-sig")
    assert scene.neighbour.full_name_th in csv and scene.lao.full_name_th in csv


# --- Reminders ----------------------------------------------------------------------------


def remind(client, tree, laos, *, confirm=True, **extra):
    data = {"fiscal_year": tree.year, "lao": [lao.pk for lao in laos], **extra}
    if confirm:
        data = {
            "fiscal_year": tree.year,
            "laos": ",".join(str(lao.pk) for lao in laos),
            "confirm": "yes",
        }
    return client.post(reverse("benchmarks:completeness-remind", args=[tree.province.code]), data)


def test_reminding_asks_first_then_mails_the_officers_once_a_day(
    client, scene, django_capture_on_commit_callbacks
):
    client.force_login(scene.staff)
    response = remind(client, scene, [scene.lao], confirm=False)
    assert response.status_code == 200
    assert "units/step_confirm.html" in [t.name for t in response.templates]
    assert ReminderSent.objects.count() == 0 and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = remind(client, scene, [scene.lao])
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["officer@example.org"]]
    body = mail.outbox[0].body
    assert scene.lao.full_name_th in mail.outbox[0].subject
    assert "/work/" in body
    reminder = ReminderSent.objects.get()
    assert (reminder.lao, reminder.sent_by, reminder.recipients) == (scene.lao, scene.staff, 1)

    # The same day again: skipped, nothing sent.
    with django_capture_on_commit_callbacks(execute=True):
        remind(client, scene, [scene.lao])
    assert len(mail.outbox) == 1 and ReminderSent.objects.count() == 1

    # The list says when it was last reminded.
    response = client.get(province_url(scene))
    row = next(row for row in response.context["page_obj"] if row.lao_id == scene.lao.pk)
    assert row.last_reminded == reminder.sent_at


def test_the_confirmation_names_the_chosen_laos_and_who_will_be_skipped(
    english_client, scene, django_assert_num_queries
):
    english_client.force_login(scene.staff)
    remind(english_client, scene, [scene.lao])
    lacks_nothing = not Completeness.objects.get(
        lao=scene.neighbour, fiscal_year=scene.year
    ).missing_count
    with django_assert_num_queries(6):
        response = remind(english_client, scene, [scene.lao, scene.neighbour], confirm=False)
    assert response.status_code == 200
    assert response.context["subject"] == (
        f"2 LAOs of {scene.province.name_th}, fiscal year {scene.year}"
    )
    assert response.context["warnings"] == [
        "1 LAO was already reminded today and will be skipped.",
        *(["1 of the chosen LAOs lack nothing and will be skipped."] if lacks_nothing else []),
    ]
    assert response.context["hidden"] == {
        "fiscal_year": scene.year,
        "laos": ",".join(str(pk) for pk in sorted([scene.lao.pk, scene.neighbour.pk])),
    }


def test_remind_everyone_listed_skips_the_complete_and_the_addressless(
    client, scene, django_capture_on_commit_callbacks
):
    client.force_login(scene.staff)
    # The neighbour lacks only reports (none due early in a year) or nothing: either way it
    # has an officer; the LAO has one too.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("benchmarks:completeness-remind", args=[scene.province.code]),
            {"fiscal_year": scene.year, "everyone": "on", "laos": "", "confirm": "yes"},
        )
    assert response.status_code == 302
    lacking = Completeness.objects.filter(
        lao__province=scene.province, fiscal_year=scene.year, missing_count__gt=0
    ).count()
    assert ReminderSent.objects.count() == lacking
    assert {message.to[0] for message in mail.outbox} <= {
        "officer@example.org",
        "neighbour@example.org",
    }


def test_staff_cannot_remind_another_provinces_lao_even_by_crafting_a_post(
    client, scene, django_capture_on_commit_callbacks
):
    completeness_recompute(fiscal_years=[scene.year])
    client.force_login(scene.staff)
    with django_capture_on_commit_callbacks(execute=True):
        crafted = remind(client, scene, [scene.lao, scene.far])
        asked = remind(client, scene, [scene.far], confirm=False)
        other = client.post(
            reverse("benchmarks:completeness-remind", args=[scene.other_province.code]),
            {"fiscal_year": scene.year, "laos": str(scene.far.pk), "confirm": "yes"},
        )
    assert (crafted.status_code, asked.status_code, other.status_code) == (404, 404, 404)
    assert ReminderSent.objects.count() == 0 and mail.outbox == []


def test_reminders_are_rate_limited(client, scene, monkeypatch):
    from benchmarks import views_completeness

    monkeypatch.setattr(views_completeness, "REMINDER_LIMIT", 1)
    client.force_login(scene.staff)
    remind(client, scene, [scene.lao])
    response = remind(client, scene, [scene.neighbour])  # lacks its projects: would be sent
    assert response.status_code == 302
    assert ReminderSent.objects.filter(lao=scene.lao).count() == 1
    assert ReminderSent.objects.filter(lao=scene.neighbour).count() == 0


# --- The national rollup ------------------------------------------------------------------


def test_executives_see_every_province_rolled_up(client, scene, django_assert_num_queries):
    completeness_recompute(fiscal_years=[scene.year])
    client.force_login(scene.executive)
    with django_assert_num_queries(3):  # session, user, the rollup
        response = client.get(reverse("benchmarks:completeness"))
    assert response.status_code == 200
    rows = {row["province_code"]: row for row in response.context["rows"]}
    home = rows[scene.province.code]
    assert home["laos"] == 2
    assert home["missing_budget"] == 1
    assert rows[scene.other_province.code]["laos"] == 1
    html = response.content.decode()
    assert province_url(scene) in html
    # And they open any province's list.
    url = reverse("benchmarks:completeness-province", args=[scene.other_province.code])
    assert client.get(url).status_code == 200


def test_the_rollup_counts_the_last_ended_quarters_missing_report(client, tree):
    today = timezone.localdate()
    from benchmarks.completeness import last_ended_quarter, provinces_rollup
    from units.thai import fiscal_year_of

    year = fiscal_year_of(today) - 1  # a year that is over: its Q4 report is the last
    completeness_recompute(fiscal_years=[year])
    assert last_ended_quarter(year, today=today) == 4
    rows = {row["province_code"]: row for row in provinces_rollup(fiscal_year=year, today=today)}
    assert rows[tree.province.code]["missing_report"] == 2
