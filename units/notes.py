"""Notes the system writes into histories (an LAO's changes, a project's stage moves).

A history row outlives the language of whoever caused it, so the system never stores a sentence:
it stores a key (`@upload:12`), and the sentence is written in the reader's language when the
row is shown (`note_text`, the `note_text` template filter of `{% load lao_history %}`). Notes
typed by people are stored and shown as typed.
"""

from django.utils.translation import gettext_lazy as _

PREFIX = "@"

# key → sentence; %(…)s placeholders take the key's values in order of NOTE_FIELDS.
NOTES = {
    "registry-created": _("Created from the DLA registry"),
    "registry-removed": _("No longer in the DLA registry"),
    "dla-code": _("DLA code %(old)s → %(new)s"),
    "admin-import": _("Spreadsheet import in the administration"),
    "upload": _("Spreadsheet upload no. %(number)s"),
    "project-created": _("Project created"),
}
NOTE_FIELDS = {"dla-code": ("old", "new"), "upload": ("number",)}


def system_note(key: str, *values) -> str:
    """The stored form of a system note: `system_note("upload", 12)` → `@upload:12`."""
    if key not in NOTES:
        raise ValueError(f"unknown note {key!r}")
    return ":".join([PREFIX + key, *(str(value) for value in values)])


def note_text(note: str) -> str:
    """A stored note as the reader sees it: a system note's sentence in the active language,
    anything else (a note someone typed, an unknown key) as stored."""
    if not note or not note.startswith(PREFIX):
        return note or ""
    key, *values = note[len(PREFIX) :].split(":")
    fields = NOTE_FIELDS.get(key, ())
    if key not in NOTES or len(values) != len(fields):
        return note
    return str(NOTES[key]) % dict(zip(fields, values, strict=True)) if fields else str(NOTES[key])
