"""The upload types apps plug into the upload machinery.

An app declares what its workbook holds with a django-import-export Resource (columns, widgets
that raise ValueError with translated messages) and registers an `UploadType` in its
`AppConfig.ready()`:

    register_upload_type(UploadType(
        key="budgets.lines",
        title=_("Budget lines"),
        resource_class=BudgetLineResource,
        template_rows=budget_template_rows,  # (*, user) -> rows under the template's headers
        check=budget_lines_check,  # (*, rows, user) -> CheckResult(errors, summary)
        commit=budget_lines_commit,  # (*, rows, user, job) -> summary, inside the transaction
        lao_code_field="dla_code",  # the Resource field naming the row's LAO: scope check per row
        unique_fields=("dla_code", "item"),  # duplicates in one file are row errors
        column_notes={"รหัส อปท.": ("DLA code", _("Required. 7 digits; keep it as text."))},
        template_notes=budget_template_notes,  # (*, request) -> lines under the column notes
    ))

The type lives in the app's `uploads.py`; the Resource and its widgets in its `resources.py`
(widgets several apps use: units/uploads/widgets.py).

The commit of every type repeats its check itself, with the rows it changes locked (SELECT …
FOR UPDATE), and raises engine.InvalidUpload when a row has become invalid since the dry run:
the engine does not run `check` a second time.

The machinery does the rest (units/uploads/engine.py): safe reading, header check, widget
cleaning, per-row scope check, duplicates, progress, the dry-run preview, the error report, and the
one-transaction commit.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One problem in one cell: Excel row number, column header, message for the user."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class ParsedRow:
    """A data row after the Resource's widgets cleaned it.

    `values` maps Resource field attributes to cleaned values and leaves blank cells out (a
    blank cell changes nothing); `lao_id` is the LAO the row names, when the type has one.
    """

    number: int
    cells: list[str | None]
    values: dict[str, Any]
    lao_id: int | None = None

    def required_errors(self, required: Iterable[tuple[str, str]]) -> list[RowError]:
        """A "required" error for each (field attribute, column header) of `required` whose
        cell is blank."""
        return [
            RowError(self.number, column, _("This column is required."))
            for name, column in required
            if self.values.get(name) is None
        ]


@dataclass
class CheckResult:
    """What an upload type's `check` found: row errors the widgets could not see (they need the
    database or several cells), and the preview summary (JSON) shown before the commit."""

    errors: list[RowError] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


@dataclass(frozen=True)
class UploadType:
    key: str
    title: str
    resource_class: type
    template_rows: Callable[..., Iterable[Sequence]]
    check: Callable[..., CheckResult]
    # Checks again under row locks, then writes (inside the engine's transaction).
    commit: Callable[..., dict]
    lao_code_field: str | None = "dla_code"
    unique_fields: tuple[str, ...] = ("dla_code",)
    description: str = ""
    # Said on the job page once the upload is saved (e.g. where its changes are recorded).
    committed_note: str = ""
    # Template for the preview summary (gets `summary`, `page_obj` of summary["changes"]).
    preview_template: str = "units/uploads/_preview_changes.html"
    # The template's notes sheet: per column header, its English name and how to fill it in;
    # then `template_notes(request=)` lines under them (None: "a blank cell changes nothing").
    column_notes: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    template_notes: Callable[..., list[str]] | None = None

    def resource(self):
        return self.resource_class()


_types: dict[str, UploadType] = {}


def register_upload_type(upload_type: UploadType) -> None:
    """Add an app's upload type (idempotent: ready() may run more than once in tests)."""
    _types[upload_type.key] = upload_type


def get_upload_type(key: str) -> UploadType | None:
    return _types.get(key)


def upload_types() -> list[UploadType]:
    """Every registered type, by key: each is open to whoever may upload at all (the pages'
    units.access.uploader_required)."""
    return sorted(_types.values(), key=lambda upload_type: upload_type.key)
