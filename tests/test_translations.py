"""The Thai and English catalogues cover every translatable string of the portal."""

import importlib
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["config", "portal", "units", "budgets", "projects", "knowledge", "forums", "benchmarks"]


def untranslated(po_file: Path) -> str:
    """msgids of a catalogue that have no translation or are marked fuzzy."""
    missing = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return missing + fuzzy


@pytest.mark.parametrize("language", ["th", "en"])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    assert untranslated(ROOT / "locale" / language / "LC_MESSAGES" / "django.po") == ""


def test_every_string_in_the_code_is_in_the_thai_catalogue(tmp_path):
    # Re-extract from a copy of the sources, merging into a copy of the catalogue: any string
    # added to the code but not to locale/th shows up as untranslated.
    for name in [*SOURCES, "templates", "locale"]:
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "th", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert untranslated(tmp_path / "locale" / "th" / "LC_MESSAGES" / "django.po") == ""


# --- Text that never reaches the catalogue ---------------------------------------------------
# Django's own messages, form help texts, history notes and data show in Thai mode too: the key
# pages are rendered in Thai over a small data set and every English word is reported, except
# codes, brands, units and acronyms Thai texts use as they are (LPA, ITA): ALLOWED; and what is
# marked as another language (`lang="en"`).

ALLOWED = {
    "CSV", "XLSX", "xlsx", "Excel", "PDF", "MB", "KB", "km", "OCHA", "CC", "BY", "IGO",
    "Open", "Data", "Common", "LAO", "Portal", "Q", "LPA", "ITA",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z]{2,}")
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sdr]")
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S*|\b[\w-]+(?:\.[\w-]+)+\b")


class _VisibleText(HTMLParser):
    """What a reader sees or hears of a page: text and the labels of attributes, without
    scripts, styles and anything marked as written in another language than Thai."""

    LABELS = ("title", "aria-label", "placeholder", "alt")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__()
        self.hidden: list[str] = []  # open tags whose content is not Thai text
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if not self.hidden:
            self.texts += [values[name] for name in self.LABELS if values.get(name)]
            if tag == "input" and values.get("type") in {"submit", "button"}:
                self.texts.append(values.get("value") or "")
        foreign = values.get("lang") not in (None, "th")
        if tag not in self.VOID and (self.hidden or foreign or tag in {"script", "style"}):
            self.hidden.append(tag)

    def handle_endtag(self, tag):
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.texts.append(data)


def english_words(html: str, allowed: set[str]) -> set[str]:
    parser = _VisibleText()
    parser.feed(html)
    text = NOT_WORDS.sub(" ", " ".join(parser.texts))
    return set(WORD.findall(text)) - ALLOWED - allowed


@pytest.fixture
def small_portal(tree):
    """The tree, a history with the registry's notes, a returned plan, a report and a project."""
    from budgets.models import PlanStatus
    from budgets.tests.factories import BudgetPlanFactory, ProgrammeFactory
    from projects.tests.factories import ProgressReportFactory, ProjectFactory
    from units.models import ChangeSource, LAOChange
    from units.notes import system_note

    LAOChange.objects.create(
        lao=tree.lao, source=ChangeSource.IMPORT, changes={}, note=system_note("registry-created")
    )
    LAOChange.objects.create(
        lao=tree.lao,
        source=ChangeSource.ADMIN,
        changes={"is_active": ["True", "False"], "kind": ["sao", "subdistrict"]},
        note=system_note("upload", 3),
    )
    plan = BudgetPlanFactory(lao=tree.lao, status=PlanStatus.RETURNED, return_comment="แก้ไขรายการ")
    BudgetPlanFactory(lao=tree.neighbour, status=PlanStatus.SUBMITTED)
    report = ProgressReportFactory(lao=tree.lao)
    project = ProjectFactory(lao=tree.lao, programme=ProgrammeFactory())
    return {"tree": tree, "plan": plan, "report": report, "project": project}


def _pages(data):
    tree = data["tree"]
    lao = tree.lao.url_code
    return [
        (None, "/"),
        (None, reverse("signup")),
        (None, reverse("login")),
        (None, reverse("password_reset")),
        (None, reverse("units:index")),
        (None, reverse("units:province", args=[tree.province.code])),
        (None, reverse("units:detail", args=[lao])),
        (None, reverse("projects:detail", args=[data["project"].pk])),
        (tree.admin, reverse("units:history", args=[lao])),
        (tree.officer, reverse("units:edit", args=[lao])),
        (tree.officer, reverse("budgets:plans")),
        (tree.officer, reverse("budgets:plan", args=[data["plan"].pk])),
        (tree.officer, reverse("projects:report-list")),
        (tree.officer, reverse("projects:report", args=[data["report"].pk])),
        (tree.officer, reverse("projects:manage")),
        (tree.officer, reverse("projects:manage-project", args=[data["project"].pk])),
        (tree.staff, reverse("budgets:review")),
        (tree.staff, reverse("projects:report-review")),
        (tree.staff, reverse("units:upload-list")),
        (tree.executive, reverse("budgets:explorer")),
        (tree.executive, reverse("projects:dashboard")),
    ]


@pytest.mark.django_db
def test_key_pages_show_no_english_in_thai_mode(client, small_portal):
    """Sign-up help texts, password rules, history notes, the admin's title, names of data
    values: nothing of it may stay English on a Thai page."""
    from units.models import User

    usernames = set(User.objects.values_list("username", flat=True))
    found = {}
    for user, url in _pages(small_portal):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        words = english_words(response.content.decode(), usernames)
        if words:
            found[url] = sorted(words)
    assert found == {}


@pytest.mark.django_db
def test_the_administration_is_named_in_the_portal_s_language(client, settings, tree):
    # Its models' pages come from Django and third-party apps (Axes, tasks): only its own name
    # and the history's "source" are the portal's.
    client.force_login(tree.admin)
    assert "ระบบจัดการข้อมูล" in client.get(reverse("admin:index")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("admin:index")).content.decode()
    assert "LAO Portal administration" in english and "Django administration" not in english


@pytest.mark.django_db
def test_sign_up_errors_are_thai(client):
    """Django's password validators have no Thai of their own (config/django_messages.py)."""
    response = client.post(
        reverse("signup"),
        {"username": "somchai", "email": "s@example.org", "password1": "1234", "password2": "1234"},
    )
    assert response.status_code == 200
    assert english_words(response.content.decode(), {"somchai"}) == set()


def test_django_messages_without_thai_of_their_own_are_thai_here():
    from django.utils import translation

    from config.django_messages import MESSAGES

    english = {}
    with translation.override("th"):
        for message in MESSAGES:
            text = translation.gettext(message) if isinstance(message, str) else str(message)
            words = set(WORD.findall(PLACEHOLDER.sub("", text))) - ALLOWED
            if words:
                english[str(message)] = words
    assert english == {}


def _form_classes():
    from django import forms
    from django_filters import FilterSet

    for app in SOURCES:
        for name in ("forms", "filters"):
            path = ROOT / app / f"{name}.py"
            if not path.exists():
                continue
            module = importlib.import_module(f"{app}.{name}")
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and value.__module__ == module.__name__
                    and issubclass(value, forms.BaseForm | FilterSet)
                ):
                    yield value


def test_form_labels_and_help_texts_follow_the_language():
    """A label made with `gettext` (not lazy) at import time stays in the language of that
    moment: every label and help text of the portal's forms is a lazy translation (or comes
    from a model field, whose verbose names are lazy)."""
    frozen = []
    for form_class in _form_classes():
        fields = getattr(form_class, "base_fields", None) or {
            name: filter_.field for name, filter_ in getattr(form_class, "base_filters", {}).items()
        }
        for name, field in fields.items():
            for text in (field.label, field.help_text):
                if isinstance(text, str) and WORD.search(text):
                    frozen.append(f"{form_class.__module__}.{form_class.__name__}.{name}: {text}")
    assert frozen == []
