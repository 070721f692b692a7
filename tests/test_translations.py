"""The Thai and English catalogues cover every translatable string of the portal."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
